import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { EmbedFrame } from '~/components/embed-frame'
import { localeFromRequest, translator } from '~/i18n/i18n.server'
import { useI18n } from '~/i18n/react'
import { getCampaign } from '~/models/campaign.server'
import { PARTNER_REF } from '~/models/partner.server'
import { isSuggestibleDomain } from '~/utils/email-suggestion'
import { storedOrigins } from '~/utils/embed'
import { CONFIRM_LINK_DAYS } from '~/utils/signature-rules'

// "Check your email" inside the partner's frame (ADR 132): no cookie, so no masked address either.
export const handle = { bare: true }

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = localeFromRequest(request)
  const found = await getCampaign(context.db, params.slug!, locale)
  if (!found) throw new Response('Not found', { status: 404 })
  const url = new URL(request.url)
  const suggest = url.searchParams.get('suggest')
  const via = url.searchParams.get('via')
  return json(
    {
      slug: found.campaign.slug,
      title: found.copy.title,
      pageTitle: translator(locale)('check.title'),
      suggest: suggest && isSuggestibleDomain(suggest) ? suggest : null,
      origins: storedOrigins(found.campaign.embed_origins),
      via: via && PARTNER_REF.test(via) ? via : null,
    },
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
