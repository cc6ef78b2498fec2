import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useI18n } from '~/i18n/react'
import { CONFIRM_LINK_DAYS } from '~/utils/signature-rules'
import { checkEmailPage, readCheckCookie } from '~/use-cases/check-email.server'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { found, page } = await checkEmailPage(context, request, params.slug!)
  // Only the masked address leaves the sealed cookie (ADR 104); the page is this reader's alone.
  const kept = readCheckCookie(context.vault, request.headers.get('Cookie'), found.campaign.slug)
  return json(
    { ...page, masked: kept?.masked ?? null },
    { headers: { 'Cache-Control': 'private, no-store' } },
  )
}

export const meta = ({ data }: { data?: { pageTitle: string } }) => [{ title: data?.pageTitle ?? '' }, { name: 'robots', content: 'noindex' }]

export default function CheckEmail() {
  const { slug, title, suggest, masked } = useLoaderData<typeof loader>()
  const { locale, t, tx } = useI18n()
  return (
    <div className="panel">
      <h1>{t('check.title')}</h1>
      <p>{t('check.body', { days: CONFIRM_LINK_DAYS })}</p>
      {suggest ? (
        <p className="notice" role="note">
          {tx('check.suggest', {
            domain: <bdi dir="ltr">@{suggest}</bdi>,
            again: <Link to={`/campaigns/${slug}?lang=${locale}&change#sign-email`}>{t('check.suggestAgain')}</Link>,
          })}
        </p>
      ) : null}
      {masked ? (
        <>
          <p className="masked-address">{tx('check.sentTo', { address: <bdi dir="ltr">{masked}</bdi> })}</p>
          <p>
            {/* Back to the form with the name and country kept and the address to type again. */}
            <Link to={`/campaigns/${slug}?lang=${locale}&change#sign-email`}>{t('check.wrongAddress')}</Link>
          </p>
        </>
      ) : null}
      <p>{t('check.spam')}</p>
      <p>
        <Link to={`/campaigns/${slug}/resend?lang=${locale}`}>{t('check.again')}</Link>
      </p>
      <p>
        <Link to={`/campaigns/${slug}?lang=${locale}`}>{t('confirm.back')}</Link>: <bdi>{title}</bdi>
      </p>
    </div>
  )
}
