import type { SubmissionResult } from '@conform-to/react'
import { Link } from '@remix-run/react'
import { SignForm } from '~/components/sign-form'
import { formatNumber } from '~/i18n/core'
import { useI18n } from '~/i18n/react'
import type { CampaignPageData } from '~/utils/campaign-page.server'

interface Props {
  data: Omit<CampaignPageData, 'campaign'> & { campaign: Omit<CampaignPageData['campaign'], 'status'> & { status: string } }
  lastResult?: SubmissionResult<string[]> | null
  /** An organiser's preview: the sign form is shown as it will be once open, but switched off. */
  preview?: boolean
}

/** The public campaign page; organisers' previews render the same component. */
export function CampaignView({ data, lastResult, preview = false }: Props) {
  const { locale, t, tx } = useI18n()
  const { campaign } = data
  const copyDir = campaign.copyLocale === 'fa' || campaign.copyLocale === 'ar' ? 'rtl' : 'ltr'
  return (
    <article className="campaign">
      <div lang={campaign.copyLocale} dir={copyDir}>
        {campaign.fallback ? (
          <p className="notice" lang={locale} dir={locale === 'fa' ? 'rtl' : 'ltr'}>
            {t('campaign.fallback')}
          </p>
        ) : null}
        <h1>{campaign.title}</h1>
        <p className="lead">{campaign.summary}</p>
        <div dangerouslySetInnerHTML={{ __html: campaign.storyHtml }} />
        <h2>{t('campaign.ask')}</h2>
        <div className="panel" dangerouslySetInnerHTML={{ __html: campaign.askHtml }} />
        <h2>{t('campaign.sources')}</h2>
        <ul className="sources">
          {campaign.sources.map((s) => (
            <li key={s.url}>
              <bdi>{s.publisher}</bdi>, <a href={s.url} rel="noopener noreferrer">{s.title}</a> (<bdi>{s.date}</bdi>)
            </li>
          ))}
        </ul>
      </div>
      <aside aria-labelledby="sign-heading">
        <div className="panel">
          <p className="count" aria-live="polite">
            {t('campaign.verified', { count: data.verified })}
          </p>
          <label htmlFor="progress" className="visually-hidden">
            {t('campaign.progress')}
          </label>
          <progress id="progress" max={campaign.goal} value={Math.min(data.verified, campaign.goal)}>
            {formatNumber(locale, data.verified)}
          </progress>
          <p className="hint">{t('campaign.goal', { goal: campaign.goal })}</p>
          <h2 id="sign-heading">{t('sign.title')}</h2>
          {campaign.status === 'open' || (preview && campaign.status === 'draft') ? (
            <fieldset disabled={preview} className="plain">
              <SignForm slug={campaign.slug} countries={data.countries} attribution={data.attribution} lastResult={lastResult} />
            </fieldset>
          ) : (
            <p className="notice">{t('campaign.closed')}</p>
          )}
        </div>
        <h2>{t('campaign.topCountries')}</h2>
        {data.topCountries.length ? (
          <ol className="top-countries">
            {data.topCountries.map((c) => (
              <li key={c.code}>
                <span>{c.name}</span> <span>{formatNumber(locale, c.count)}</span>
              </li>
            ))}
          </ol>
        ) : (
          <p>{t('campaign.noSigners')}</p>
        )}
        <h2>{t('campaign.recent')}</h2>
        {data.recent.length ? (
          <ul>
            {data.recent.map((r, i) => (
              <li key={i}>
                {tx('campaign.recentItem', { name: <bdi>{r.firstName}</bdi>, country: <bdi>{r.country}</bdi> })}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('campaign.noSigners')}</p>
        )}
        <p className="hint">
          <Link to={`/campaigns/${campaign.slug}.json`} reloadDocument>
            JSON
          </Link>{' '}
          ·{' '}
          <Link to={`/campaigns/${campaign.slug}.csv`} reloadDocument>
            CSV
          </Link>{' '}
          · {t('campaign.countsLag')}
        </p>
      </aside>
    </article>
  )
}
