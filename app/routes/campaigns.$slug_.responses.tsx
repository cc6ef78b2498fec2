import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { localeFromRequest, messagesFor } from '~/i18n/i18n.server'
import { useI18n } from '~/i18n/react'
import { getCampaign } from '~/models/campaign.server'
import { correspondenceTable, listResponses } from '~/models/response.server'
import { countryName } from '~/infra/countries.server'
import { formatDate } from '~/i18n/core'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = localeFromRequest(request)
  const found = await getCampaign(context.db, params.slug!, locale)
  if (!found) throw new Response('Not found', { status: 404 })
  const [responses, table] = await Promise.all([
    listResponses(context.db, found.campaign.id, true),
    correspondenceTable(context.db, found.campaign.id),
  ])
  return json({
    slug: found.campaign.slug,
    title: found.copy.title,
    responses: responses.map((r) => ({ ...r, countryName: countryName(r.country, locale) })),
    table: table.map((r) => ({ ...r, countryName: countryName(r.country, locale) })),
    i18n: messagesFor(locale, ['responses']),
  })
}

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: data.title }] : [])

/** Public: the delegations written to, when, who answered, and the replies. */
export default function Responses() {
  const d = useLoaderData<typeof loader>()
  const { t, locale } = useI18n()
  const date = (ms: number) => formatDate(locale, ms)
  return (
    <div>
      <p>
        <Link to={`/campaigns/${d.slug}?lang=${locale}`}>{d.title}</Link>
      </p>
      <h1>{t('responses.title')}</h1>
      <p>{t('responses.intro')}</p>
      {d.responses.length === 0 ? <p>{t('responses.none')}</p> : null}
      {d.responses.map((r) => (
        <article key={r.id} className="panel response">
          <h2>{r.countryName}</h2>
          <p className="hint">
            {date(r.receivedAt)} · {r.source === 'mission' ? t('responses.byMission') : t('responses.recorded')}
          </p>
          <p className="response-body">{r.body}</p>
          {r.attachmentName ? (
            <p>
              <a href={`/campaigns/${d.slug}/responses/${r.id}/attachment`}>{t('responses.attachment', { name: r.attachmentName })}</a>
            </p>
          ) : null}
        </article>
      ))}
      <h2>{t('responses.table')}</h2>
      <table className="data">
        <thead>
          <tr>
            <th scope="col">{t('responses.country')}</th>
            <th scope="col">{t('responses.writtenAt')}</th>
            <th scope="col">{t('responses.answered')}</th>
          </tr>
        </thead>
        <tbody>
          {d.table.map((row) => (
            <tr key={row.country}>
              <td>{row.countryName}</td>
              <td>{date(row.writtenAt)}</td>
              <td>{row.respondedAt ? t('responses.yes', { date: date(row.respondedAt) }) : t('responses.no')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
