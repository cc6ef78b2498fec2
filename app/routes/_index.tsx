import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { localeFromRequest, messagesFor, translator } from '~/i18n/i18n.server'
import { localeDir } from '~/i18n/locales'
import { useI18n } from '~/i18n/react'
import { getCampaignStats, listPublicCampaigns } from '~/models/campaign.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const locale = localeFromRequest(request)
  const campaigns = await listPublicCampaigns(context.db, locale)
  const withCounts = await Promise.all(
    campaigns.map(async ({ campaign, copy }) => ({
      slug: campaign.slug,
      status: campaign.status,
      title: copy.title,
      summary: copy.summary,
      copyLocale: copy.locale,
      verified: (await getCampaignStats(context.db, campaign.id, context.config.statsCacheMs)).verified,
    })),
  )
  return json({ campaigns: withCounts, title: translator(locale)('site.name'), i18n: messagesFor(locale, ['campaign', 'home']) })
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? 'Petitions' }]

export default function Index() {
  const { campaigns } = useLoaderData<typeof loader>()
  const { locale, t } = useI18n()
  return (
    <>
      <h1>{t('home.title')}</h1>
      <p className="lead">{t('home.intro')}</p>
      {campaigns.length === 0 ? <p>{t('home.none')}</p> : null}
      <ul className="campaign-list">
        {campaigns.map((c) => (
          <li key={c.slug} className="panel" lang={c.copyLocale} dir={localeDir(c.copyLocale)}>
            <h2>
              <Link to={`/campaigns/${c.slug}?lang=${locale}`}>{c.title}</Link>
            </h2>
            <p>{c.summary}</p>
            <p lang={locale} dir={localeDir(locale)}>
              <strong>{t('campaign.verified', { count: c.verified })}</strong>
              {c.status === 'closed' ? ` · ${t('campaign.closed')}` : null}
            </p>
            <Link to={`/campaigns/${c.slug}?lang=${locale}`} className="button" lang={locale} dir={localeDir(locale)}>
              {t('home.read')}
            </Link>
          </li>
        ))}
      </ul>
    </>
  )
}
