import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { EmbedFrame } from '~/components/embed-frame'
import { useI18n } from '~/i18n/react'
import { PARTNER_REF } from '~/models/partner.server'
import { storedOrigins } from '~/utils/embed'
import { loopbackAllowed } from '~/utils/loopback'
import { checkEmailPage } from '~/use-cases/check-email.server'
import { CONFIRM_LINK_DAYS } from '~/utils/signature-rules'

// "Check your email" inside the partner's frame (ADR 132): no cookie, so no masked address either.
export const handle = { bare: true }

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { found, page } = await checkEmailPage(context, request, params.slug!)
  const via = new URL(request.url).searchParams.get('via')
  return json(
    { ...page, origins: storedOrigins(found.campaign.embed_origins, loopbackAllowed(context.config.env)), via: via && PARTNER_REF.test(via) ? via : null },
    { headers: { 'Cache-Control': 'private, no-store' } },
  )
}

export const meta = ({ data }: { data?: { pageTitle: string } }) => [{ title: data?.pageTitle ?? '' }, { name: 'robots', content: 'noindex' }]

export default function EmbedCheckEmail() {
  const { slug, suggest, origins, via } = useLoaderData<typeof loader>()
  const { locale, t, tx } = useI18n()
  return (
    <EmbedFrame slug={slug} origins={origins}>
      <h1>{t('check.title')}</h1>
      <p>{t('check.body', { days: CONFIRM_LINK_DAYS })}</p>
      {suggest ? (
        <p className="notice" role="note">
          {tx('check.suggest', {
            domain: <bdi dir="ltr">@{suggest}</bdi>,
            again: <Link to={`/embed/campaigns/${slug}?lang=${locale}${via ? `&via=${via}` : ''}#sign-email`}>{t('check.suggestAgain')}</Link>,
          })}
        </p>
      ) : null}
      <p>{t('check.spam')}</p>
      <p>
        <Link to={`/campaigns/${slug}/resend?lang=${locale}`} target="_blank" rel="noopener">
          {t('check.again')} {t('embed.newTab')}
        </Link>
      </p>
    </EmbedFrame>
  )
}

export { ErrorBoundary } from '~/components/error-page'
