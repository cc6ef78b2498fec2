import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { localeFromRequest, messagesFor } from '~/i18n/i18n.server'
import { localeDir } from '~/i18n/locales'
import { useI18n } from '~/i18n/react'
import { getCampaign } from '~/models/campaign.server'
import { publicUpdates } from '~/models/campaign-story.server'
import { formatDay } from '~/use-cases/campaign-page.server'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = localeFromRequest(request)
  const found = await getCampaign(context.db, params.slug!, locale)
  if (!found) throw new Response('Not found', { status: 404 })
  const updates = await publicUpdates(context.db, found.campaign.id, locale)
  return json({
    slug: found.campaign.slug,
    title: found.copy.title,
    feedUrl: `${context.config.appUrl}/campaigns/${found.campaign.slug}/updates.atom?lang=${locale}`,
    updates: updates.map((u) => ({ id: u.id, title: u.title, locale: u.locale, sentOn: formatDay(u.sentAt, locale), bodyHtml: u.bodyHtml })),
    i18n: messagesFor(locale, ['updates']),
  })
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: data.title }, { tagName: 'link', rel: 'alternate', type: 'application/atom+xml', title: data.title, href: data.feedUrl }] : []

/** Public: the updates sent to signers that organisers chose to publish, newest first (ADR 108). */
export default function Updates() {
  const d = useLoaderData<typeof loader>()
  const { t, locale } = useI18n()
  return (
    <div className="updates-page">
      <p>
        <Link to={`/campaigns/${d.slug}?lang=${locale}`}>{t('updates.back')}</Link>
      </p>
      <h1>{t('updates.pageTitle', { title: d.title })}</h1>
      <p>
        <Link to={`/campaigns/${d.slug}/updates.atom?lang=${locale}`} reloadDocument type="application/atom+xml">
          {t('updates.feed')}
        </Link>
      </p>
      {d.updates.length === 0 ? <p>{t('updates.none')}</p> : null}
      {d.updates.map((u) => (
        <article key={u.id} className="panel update" lang={u.locale} dir={localeDir(u.locale)}>
          <h2>
            <Link to={`/campaigns/${d.slug}/updates/${u.id}?lang=${locale}`}>{u.title}</Link>
          </h2>
          <p className="hint" lang={locale} dir={localeDir(locale)}>
            {t('updates.sentOn', { date: u.sentOn })}
          </p>
          <div dangerouslySetInnerHTML={{ __html: u.bodyHtml }} />
        </article>
      ))}
    </div>
  )
}
