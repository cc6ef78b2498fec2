import { json, redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { ResendForm } from '~/components/resend-form'
import { localeFromRequest, messagesFor, translator } from '~/i18n/i18n.server'
import { useI18n } from '~/i18n/react'
import { CONFIRM_LINK_DAYS } from '~/utils/signature-rules'
import { confirmSignature } from '~/models/signature.server'
import { confirmedCookieHeader } from '~/use-cases/check-email.server'

/**
 * The link in the confirmation email. It confirms on GET so it works from any mail client with one
 * click; a second visit (or a mail scanner's earlier one) just finds the signature confirmed.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = localeFromRequest(request)
  const outcome = await confirmSignature(context.db, params.token ?? '', Date.now(), context.writes)
  const t = translator(locale)
  const i18n = messagesFor(locale, ['campaign', 'error', 'link', 'rateLimit', 'sign'])
  switch (outcome.kind) {
    case 'confirmed':
    case 'already-confirmed':
      return redirect(`/campaigns/${outcome.campaignSlug}/thanks?lang=${locale}`, {
        status: 303,
        headers: { 'Set-Cookie': confirmedCookieHeader(context.vault, context.config.appUrl.startsWith('https:'), outcome.campaignSlug) },
      })
    case 'expired':
    case 'used':
      return json(
        { kind: outcome.kind, slug: outcome.campaignSlug, pageTitle: t(outcome.kind === 'expired' ? 'link.expiredTitle' : 'link.usedTitle'), i18n },
        { status: 410, headers: { 'Cache-Control': 'no-store' } },
      )
    case 'closed':
      return json({ kind: outcome.kind, slug: outcome.campaignSlug, pageTitle: t('campaign.closed'), i18n }, { status: 409 })
    default:
      return json({ kind: 'invalid' as const, slug: null, pageTitle: t('link.invalidTitle'), i18n }, { status: 404 })
  }
}

export const meta = ({ data }: { data?: { pageTitle: string } }) => [{ title: data?.pageTitle ?? '' }, { name: 'robots', content: 'noindex' }]

export default function ConfirmLink() {
  const data = useLoaderData<typeof loader>()
  const { locale, t } = useI18n()
  return (
    <div className="panel">
      <h1>{data.pageTitle}</h1>
      {data.kind === 'expired' || data.kind === 'used' ? (
        <>
          <p>{t('link.expiredBody', { days: CONFIRM_LINK_DAYS })}</p>
          <ResendForm slug={data.slug!} />
        </>
      ) : data.kind === 'closed' ? null : (
        <>
          <p>{t('link.invalidBody')}</p>
          <p>
            <Link to={`/?lang=${locale}`}>{t('nav.campaigns')}</Link>
          </p>
        </>
      )}
    </div>
  )
}
