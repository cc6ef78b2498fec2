import { parseWithZod } from '@conform-to/zod/v4'
import { json, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { formatNumber } from '~/i18n/core'
import { localeFromRequest } from '~/i18n/i18n.server'
import { useI18n } from '~/i18n/react'
import { SignForm, HONEYPOT_FIELD } from '~/components/sign-form'
import { getCampaign, getCampaignStats, recentSigners } from '~/models/campaign.server'
import { signCampaign } from '~/models/signature.server'
import { attributionFrom, attributionFromForm } from '~/utils/attribution.server'
import { countryName, countryOptions } from '~/utils/countries'
import { renderMarkdown } from '~/utils/markdown.server'
import { socialMeta } from '~/utils/meta'
import { readForm } from '~/utils/form.server'
import { serverSignSchema } from '~/utils/sign-schema.server'

async function loadCampaign(context: LoaderFunctionArgs['context'], slug: string, locale: ReturnType<typeof localeFromRequest>) {
  const found = await getCampaign(context.db, slug, locale)
  if (!found) throw new Response('Not found', { status: 404 })
  return found
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = localeFromRequest(request)
  const { campaign, copy, fallback, sources } = await loadCampaign(context, params.slug!, locale)
  const cacheMs = context.config.statsCacheMs
  const [stats, recent] = await Promise.all([
    getCampaignStats(context.db, campaign.id, cacheMs),
    recentSigners(context.db, context.vault, campaign.id, 8, cacheMs),
  ])
  return json({
    campaign: {
      slug: campaign.slug,
      status: campaign.status,
      goal: campaign.goal,
      title: copy.title,
      summary: copy.summary,
      copyLocale: copy.locale,
      storyHtml: renderMarkdown(copy.story_md),
      askHtml: renderMarkdown(copy.ask_md),
      sources,
      fallback,
    },
    verified: stats.verified,
    topCountries: stats.byCountry.slice(0, 10).map((c) => ({ ...c, name: countryName(c.code, locale) })),
    recent: recent.map((r) => ({ firstName: r.firstName, country: countryName(r.country, locale) })),
    countries: countryOptions(locale),
    attribution: attributionFrom(request, context.config.appUrl),
    url: `${context.config.appUrl}/campaigns/${campaign.slug}`,
  })
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? socialMeta({ title: data.campaign.title, description: data.campaign.summary, url: data.url }) : [{ title: 'Not found' }]

// A refused sign (429) tells the browser when to try again; Remix sends an action's headers on a
// full-page answer only through this.
export const headers: HeadersFunction = ({ actionHeaders, loaderHeaders }) =>
  actionHeaders.has('Retry-After') ? actionHeaders : loaderHeaders

export async function action({ request, params, context }: ActionFunctionArgs) {
  const locale = localeFromRequest(request)
  const { campaign, copy } = await loadCampaign(context, params.slug!, locale)
  const checkEmail = `/campaigns/${campaign.slug}/check-email?lang=${locale}`
  const { form: formData, refusal } = await readForm(request)
  if (refusal) return refusal

  // A filled honeypot is a robot: it gets the same answer as a person and nothing is stored.
  if (formData.get(HONEYPOT_FIELD)) return redirect(checkEmail, 303)

  const submission = parseWithZod(formData, { schema: serverSignSchema })
  if (campaign.status !== 'open') {
    return json(submission.reply({ formErrors: ['campaign.closed'] }), { status: 409 })
  }
  const limited = await context.limits.sign(context.vault.ipHash(context.clientIp), campaign.id)
  if (limited) {
    return json(submission.reply({ formErrors: ['rateLimit.body'] }), {
      status: 429,
      headers: { 'Retry-After': String(limited.retryAfterSeconds) },
    })
  }
  if (submission.status !== 'success') return json(submission.reply(), { status: 400 })

  const attribution = attributionFromForm(formData)
  await signCampaign(
    { db: context.db, vault: context.vault, appUrl: context.config.appUrl, retentionDays: context.config.pendingRetentionDays },
    {
      campaign,
      title: copy.title,
      input: submission.value,
      locale,
      ipHash: context.vault.ipHash(context.clientIp),
      referrer: attribution.referrer,
      utm: { source: attribution.utmSource, medium: attribution.utmMedium, campaign: attribution.utmCampaign },
    },
  )
  context.wakeOutbox()
  return redirect(checkEmail, 303)
}

export default function CampaignPage() {
  const data = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
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
          {campaign.status === 'open' ? (
            <SignForm slug={campaign.slug} countries={data.countries} attribution={data.attribution} lastResult={lastResult} />
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
