import type { SubmissionResult } from '@conform-to/react'
import { Link } from '@remix-run/react'
import { focusFirstField, SIGN_FORM_ID, SignForm } from '~/components/sign-form'
import { WorldMap, type WorldMapLabels } from '~/components/admin/world-map'
import { formatNumber } from '~/i18n/core'
import { localeDir } from '~/i18n/locales'
import { useI18n } from '~/i18n/react'
import type { CampaignPageData } from '~/use-cases/campaign-page.server'

interface Props {
  data: Omit<CampaignPageData, 'campaign'> & {
    campaign: Omit<CampaignPageData['campaign'], 'status'> & { status: string }
    /** The name and country kept for "wrong address? change it". */
    defaults?: { name: string; country: string } | null
  }
  lastResult?: SubmissionResult<string[]> | null
  /** An organiser's preview: the sign form is shown as it will be once open, but switched off. */
  preview?: boolean
}

/** The public campaign page; organisers' previews render the same component. */
export function CampaignView({ data, lastResult, preview = false }: Props) {
  const { locale, t, tx } = useI18n()
  const { campaign } = data
  const copyLang = {
    lang: campaign.copyLocale,
    dir: localeDir(campaign.copyLocale),
  }
  const signable = campaign.status === 'open' || (preview && campaign.status === 'draft')
  const mapLabels: WorldMapLabels = {
    format: (n) => formatNumber(locale, n),
    country: (name, count) => (count === null ? t('map.countryFew', { name, min: data.map.minShown }) : t('map.country', { name, count })),
    other: (name) => t('map.other', { name }),
    summary: (top, n) =>
      n === 0
        ? t('map.summaryNone')
        : t('map.summary', {
            count: n,
            top: new Intl.ListFormat(locale, { type: 'conjunction' }).format(
              top.map((c) => (c.count === null ? c.name : t('map.summaryItem', { name: c.name, count: c.count }))),
            ),
          }),
    hint: t('map.hint', { min: data.map.minShown }),
    legend: t('map.legend'),
    none: t('map.none'),
    fewer: (min) => t('map.fewer', { min }),
  }
  return (
    <article className="campaign">
      <div>
        {campaign.fallback ? (
          <p className="notice" role="note">
            {t('campaign.fallback')}
          </p>
        ) : null}
        {/* The campaign's copy may be in another language than the interface around it. */}
        <div {...copyLang}>
          <h1>{campaign.title}</h1>
        </div>
        {campaign.victory ? (
          <section className="panel victory" aria-labelledby="victory-heading">
            <h2 id="victory-heading">{t('campaign.victory')}</h2>
            {campaign.victory.text ? <p {...copyLang}>{campaign.victory.text}</p> : null}
            <p>{t('campaign.victoryThanks', { count: data.verified })}</p>
          </section>
        ) : null}
        {/* Phone first: the count, the progress and the way to sign come before the story (issue 15). */}
        <div className="sign-cta">
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
          {data.paper ? <p className="hint paper-count">{t('paper.public', { count: data.paper })}</p> : null}
          {signable && campaign.endsOn ? <p className="hint">{t('campaign.endsOn', { date: campaign.endsOn })}</p> : null}
          {signable ? (
            // A plain link to the form works without JavaScript; with it, the first field also gets focus.
            <>
              <a className="button sign-button" href={`#${SIGN_FORM_ID}`} onClick={focusFirstField}>
                {t('sign.title')}
              </a>
              {/* Sharing needs no signature first (issue 15): the share page, in the reader's language. */}
              {preview ? null : (
                <p className="share-link">
                  <Link to={`/campaigns/${campaign.slug}/thanks?lang=${locale}`}>{t('thanks.shareTitle')}</Link>
                </p>
              )}
            </>
          ) : (
            <p className="notice closed-notice">
              {campaign.victory
                ? t('campaign.victoryClosed')
                : campaign.ended && campaign.endsOn
                  ? t('campaign.ended', { date: campaign.endsOn })
                  : t('campaign.closed')}
            </p>
          )}
        </div>
        {data.leadImage ? (
          // After the way to sign, so a phone's first screen keeps the count and the button (issue 15).
          <img
            className="lead-image"
            src={data.leadImage.src}
            srcSet={data.leadImage.srcSet}
            sizes="(min-width: 48rem) 46rem, 100vw"
            width={data.leadImage.width}
            height={data.leadImage.height}
            alt={data.leadImage.alt.text}
            lang={data.leadImage.alt.locale}
            dir={localeDir(data.leadImage.alt.locale)}
            decoding="async"
          />
        ) : null}
        <div {...copyLang}>
          <p className="lead">{campaign.summary}</p>
          <div dangerouslySetInnerHTML={{ __html: campaign.storyHtml }} />
        </div>
        <h2>{t('campaign.ask')}</h2>
        <div className="panel" {...copyLang} dangerouslySetInnerHTML={{ __html: campaign.askHtml }} />
        <h2>{t('campaign.sources')}</h2>
        <ul className="sources">
          {campaign.sources.map((s) => (
            <li key={s.url}>
              <bdi lang="en">{s.publisher}</bdi>,{' '}
              <a href={s.url} rel="noopener noreferrer" lang="en" dir="ltr">
                {s.title}
              </a>{' '}
              (<bdi>{s.date}</bdi>)
            </li>
          ))}
        </ul>
      </div>
      <aside aria-labelledby={signable ? 'sign-heading' : undefined}>
        {data.milestones.length ? (
          <section className="panel" aria-labelledby="milestones-heading">
            <h2 id="milestones-heading">{t('milestones.title')}</h2>
            <ol className="milestones">
              {data.milestones.map((m) => (
                <li key={m.threshold} className={m.reached ? 'reached' : undefined}>
                  <strong>{formatNumber(locale, m.threshold)}</strong> <span {...copyLang}>{m.text}</span>
                  {m.reached ? <span className="badge"> {t('milestones.reached')}</span> : null}
                </li>
              ))}
            </ol>
          </section>
        ) : null}
        {/* A closed campaign says so once, at the top, and invites no one to sign. */}
        {signable ? (
          <div className="panel">
            <h2 id="sign-heading">{t('sign.title')}</h2>
            <fieldset disabled={preview} className="plain">
              <SignForm
                slug={campaign.slug}
                countries={data.countries}
                defaultCountry={data.defaultCountry}
                attribution={data.attribution}
                partner={data.partner}
                atRisk={data.atRisk}
                lastResult={lastResult}
                defaults={data.defaults}
              />
            </fieldset>
          </div>
        ) : null}
        <h2>{t('campaign.topCountries')}</h2>
        <WorldMap geometry={data.map.geometry} names={data.countries} countries={data.map.countries} minShown={data.map.minShown} labels={mapLabels} />
        {data.topCountries.length ? (
          <ol className="top-countries">
            {data.topCountries.map((c) => (
              <li key={c.code}>
                <span>{c.name}</span> <span>{c.count === null ? t('map.fewer', { min: data.map.minShown }) : formatNumber(locale, c.count)}</span>
              </li>
            ))}
          </ol>
        ) : (
          <p>{t('campaign.noSigners')}</p>
        )}
        <h2 id="updates-heading">{t('updates.title')}</h2>
        {data.updates.length ? (
          <ul className="updates" aria-labelledby="updates-heading">
            {data.updates.map((u) => (
              <li key={u.id}>
                <Link to={`/campaigns/${campaign.slug}/updates/${u.id}`} lang={u.locale} dir={localeDir(u.locale)}>
                  {u.title}
                </Link>{' '}
                <span className="hint">{u.sentOn}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('updates.none')}</p>
        )}
        <p>
          <Link to={`/campaigns/${campaign.slug}/updates`}>{t('updates.all')}</Link> ·{' '}
          <Link to={`/campaigns/${campaign.slug}/updates.atom`} reloadDocument type="application/atom+xml">
            {t('updates.feed')}
          </Link>
        </p>
        <h2>{t('campaign.recent')}</h2>
        {data.recent.length ? (
          <ul>
            {data.recent.map((r, i) => (
              <li key={i}>
                {tx('campaign.recentItem', {
                  name: <bdi>{r.firstName}</bdi>,
                  country: <bdi>{r.country}</bdi>,
                })}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('campaign.noSigners')}</p>
        )}
        <p className="hint">
          {/* Isolated, so the Latin names keep the page's order in right-to-left text. */}
          <bdi>
            <Link to={`/campaigns/${campaign.slug}.json`} reloadDocument>
              JSON
            </Link>
          </bdi>{' '}
          ·{' '}
          <bdi>
            <Link to={`/campaigns/${campaign.slug}.csv`} reloadDocument>
              CSV
            </Link>
          </bdi>{' '}
          · {t('campaign.countsLag')}
        </p>
      </aside>
    </article>
  )
}
