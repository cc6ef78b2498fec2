import type { LoaderFunctionArgs } from '@remix-run/node'
import { localeFromRequest } from '~/i18n/i18n.server'
import { getCampaign } from '~/models/campaign.server'
import { updatesFeed } from '~/models/campaign-story.server'

/** The campaign's public updates as an Atom feed (RFC 4287), every link absolute from APP_URL (ADR 108). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = localeFromRequest(request)
  const found = await getCampaign(context.db, params.slug!, locale)
  if (!found) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  const xml = await updatesFeed(context.db, { campaign: found.campaign, title: found.copy.title, summary: found.copy.summary }, locale, context.config.appUrl)
  return new Response(xml, {
    headers: { 'Content-Type': 'application/atom+xml; charset=utf-8', 'Cache-Control': 'public, max-age=300', 'X-Content-Type-Options': 'nosniff' },
  })
}
