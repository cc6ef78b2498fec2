import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { localeFromRequest, messagesFor, translator } from '~/i18n/i18n.server'
import { useI18n } from '~/i18n/react'
import { getCampaign, getCampaignStats } from '~/models/campaign.server'
import { confirmedHere } from '~/use-cases/check-email.server'
import { socialMeta } from '~/utils/meta'
import { OG_HEIGHT, OG_WIDTH } from '~/infra/og-image.server'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = localeFromRequest(request)
  const found = await getCampaign(context.db, params.slug!, locale)
  if (!found) throw new Response('Not found', { status: 404 })
  // Read fresh: the person who just confirmed expects to be in the count.
  const stats = await getCampaignStats(context.db, found.campaign.id)
  const url = `${context.config.appUrl}/campaigns/${found.campaign.slug}`
  // Only the browser that just followed its confirmation link is told its signature counts.
  const confirmed = confirmedHere(context.vault, request.headers.get('Cookie'), found.campaign.slug)
  const t = translator(locale)
  return json({
    confirmed,
    slug: found.campaign.slug,
    title: found.copy.title,
    summary: found.copy.summary,
    verified: stats.verified,
    url,
    // Shared links open in the sharer's language, and their preview card is drawn in it.
    shareUrl: `${url}?lang=${locale}`,
    locale,
    image: { url: `${url}/og.png?lang=${locale}`, width: OG_WIDTH, height: OG_HEIGHT, alt: found.copy.title },
    // Only a signer says "I signed"; a closed campaign is not shared as one to sign.
    shareText: confirmed ? t('confirm.shareText', { title: found.copy.title }) : found.copy.title,
    open: found.campaign.status === 'open',
    pageTitle: t(confirmed ? 'confirm.thanksTitle' : 'thanks.shareTitle'),
    i18n: messagesFor(locale, ['campaign', 'confirm', 'thanks']),
  }, confirmed ? { headers: { 'Cache-Control': 'private, no-store' } } : undefined)
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [...socialMeta({ title: data.title, description: data.summary, url: data.url, image: data.image, locale: data.locale }), { title: data.pageTitle }] : []

/** Plain links to each network's own share page: nothing is loaded from them until a person clicks. */
export function shareLinks(url: string, text: string, emailLabel: string) {
  const tagged = (source: string) => {
    const u = new URL(url)
    u.searchParams.set('utm_source', source)
    u.searchParams.set('utm_medium', 'share')
    return u.toString()
  }
  const enc = encodeURIComponent
  return [
    { name: emailLabel, href: `mailto:?subject=${enc(text)}&body=${enc(`${text}\n${tagged('email')}`)}` },
    { name: 'WhatsApp', href: `https://wa.me/?text=${enc(`${text} ${tagged('whatsapp')}`)}` },
    { name: 'Telegram', href: `https://t.me/share/url?url=${enc(tagged('telegram'))}&text=${enc(text)}` },
    { name: 'X', href: `https://x.com/intent/post?text=${enc(text)}&url=${enc(tagged('x'))}` },
    { name: 'Facebook', href: `https://www.facebook.com/sharer/sharer.php?u=${enc(tagged('facebook'))}` },
  ]
}

export default function Thanks() {
  const data = useLoaderData<typeof loader>()
  const { locale, t } = useI18n()
  return (
    <div className="panel">
      <h1>{data.pageTitle}</h1>
      <p>{t(data.confirmed ? 'confirm.thanksBody' : 'thanks.shareBody', { count: data.verified })}</p>
      {!data.open ? <p className="notice">{t('campaign.closed')}</p> : data.confirmed ? <h2>{t('confirm.share')}</h2> : null}
      {data.open ? <ShareBlock data={data} /> : null}
      <p>
        <Link to={`/campaigns/${data.slug}?lang=${locale}`}>{t('confirm.back')}</Link>
      </p>
    </div>
  )
}

function ShareBlock({ data }: { data: { shareUrl: string; shareText: string } }) {
  const { t } = useI18n()
  const [canCopy, setCanCopy] = useState(false)
  const [canShare, setCanShare] = useState(false)
  const [copied, setCopied] = useState(false)
  useEffect(() => {
    setCanCopy(!!navigator.clipboard)
    // The phone's own share sheet (Web Share), where the browser has one: its apps, not a list of ours.
    setCanShare(typeof navigator.share === 'function')
  }, [])
  return (
    <>
      <ul className="share">
        {canShare ? (
          <li>
            <button
              type="button"
              // A person closing the share sheet rejects the promise: nothing to say then.
              onClick={() => navigator.share({ text: data.shareText, url: data.shareUrl }).catch(() => {})}
            >
              {t('confirm.shareNative')}
            </button>
          </li>
        ) : null}
        {shareLinks(data.shareUrl, data.shareText, t('confirm.shareEmail')).map((l) => (
          <li key={l.name}>
            <a href={l.href} rel="noopener noreferrer" target="_blank">
              {l.name}
            </a>
          </li>
        ))}
        {canCopy ? (
          <li>
            <button
              type="button"
              onClick={() => navigator.clipboard.writeText(data.shareUrl).then(() => setCopied(true))}
            >
              {t('confirm.copy')}
            </button>
          </li>
        ) : null}
      </ul>
      <p aria-live="polite">{copied ? t('confirm.copied') : null}</p>
      <label htmlFor="share-url">{t('confirm.copy')}</label>
      <input id="share-url" type="text" readOnly value={data.shareUrl} dir="ltr" />
    </>
  )
}
