import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { localeFromRequest, messagesFor, translator } from '~/i18n/i18n.server'
import { useI18n } from '~/i18n/react'
import { publicAtRiskStates } from '~/models/risk-policy.server'
import { countryList } from '~/use-cases/campaign-page.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const locale = localeFromRequest(request)
  return json({
    days: context.config.pendingRetentionDays,
    atRisk: countryList(await publicAtRiskStates(context.db), locale),
    pageTitle: translator(locale)('privacy.title'),
    i18n: messagesFor(locale, ['privacy']),
  })
}

export const meta = ({ data }: { data?: { pageTitle: string } }) => [{ title: data?.pageTitle ?? '' }]

export default function Privacy() {
  const { days, atRisk } = useLoaderData<typeof loader>()
  const { t } = useI18n()
  const sections = [
    ['privacy.whatTitle', 'privacy.what'],
    ['privacy.whyTitle', 'privacy.why'],
    ['privacy.howLongTitle', 'privacy.howLong'],
    ['privacy.rightsTitle', 'privacy.rights'],
    ['privacy.shareTitle', 'privacy.share'],
    // What a partner whose link brought the signer may receive, and only with their tick (ADR 131).
    ['privacy.partnerTitle', 'privacy.partner'],
  ] as const
  return (
    <article>
      <h1>{t('privacy.title')}</h1>
      <p className="lead">{t('privacy.intro')}</p>
      {sections.map(([title, body]) => (
        <section key={title}>
          <h2>{t(title)}</h2>
          <p>{t(body, { days })}</p>
          {body === 'privacy.rights' ? <p>{t('privacy.letters')}</p> : null}
          {body === 'privacy.what' ? <p>{t('privacy.clear')}</p> : null}
        </section>
      ))}
      {atRisk ? (
        <section>
          <h2>{t('privacy.riskTitle')}</h2>
          <p>{t('privacy.risk', { countries: atRisk })}</p>
        </section>
      ) : null}
    </article>
  )
}
