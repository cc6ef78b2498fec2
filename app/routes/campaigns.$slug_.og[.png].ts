import type { LoaderFunctionArgs } from '@remix-run/node'
import { isLocale, translator } from '~/i18n/i18n.server'
import { getCampaign } from '~/models/campaign.server'
import { etagOf, renderOgCard } from '~/infra/og-image.server'

// Drawing a card takes a few hundred milliseconds; each campaign and language is drawn once per
// change of its copy, and networks' crawlers then get it from here or their own cache.
const cache = new Map<string, Buffer>()
const CACHE_ENTRIES = 200

/** GET /campaigns/:slug/og.png?lang=xx: the campaign's social card in that language. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  // Only ?lang= chooses the language, never a cookie: the same address must always be the same image.
  const lang = new URL(request.url).searchParams.get('lang')
  const requested = isLocale(lang) ? lang : null
  const found = await getCampaign(context.db, params.slug!, requested ?? '')
  if (!found) throw new Response('Not found', { status: 404 })
  const { campaign, copy } = found
  const locale = requested ?? (isLocale(copy.locale) ? copy.locale : 'en')
  const key = `${campaign.id}:${locale}:${copy.locale}:${copy.updated_at}`
  const etag = etagOf(key)
  const headers = {
    'Content-Type': 'image/png',
    'Cache-Control': 'public, max-age=3600, stale-while-revalidate=86400',
    ETag: etag,
  }
  if (request.headers.get('If-None-Match') === etag) return new Response(null, { status: 304, headers })

  let png = cache.get(key)
  if (!png) {
    const t = translator(locale)
    png = renderOgCard({
      uiLocale: locale,
      copyLocale: copy.locale,
      site: t('site.name'),
      title: copy.title,
      cta: t('sign.title'),
      host: new URL(context.config.appUrl).host,
    })
    if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!)
    cache.set(key, png)
  }
  return new Response(new Uint8Array(png), { headers: { ...headers, 'Content-Length': String(png.length) } })
}
