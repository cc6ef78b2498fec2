import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useFetcher, useLoaderData, useLocation, useSearchParams, type ShouldRevalidateFunction } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import { DailyChart } from '~/components/admin/daily-chart'
import { WorldMap } from '~/components/admin/world-map'
import type { DashboardFigures } from '~/models/dashboard.server'
import { getCampaignForEdit } from '~/models/campaign-admin.server'
import { hasRole } from '~/models/organiser.server'
import { undeliveredMail } from '~/models/outbox.server'
import { campaignDashboardFigures, organiserCampaign } from '~/use-cases/organiser-campaign.server'
import { worldMapData } from '~/infra/world-map.server'
import { countryOptions } from '~/infra/countries.server'
import { DataTable } from '~/components/admin/data-table'

/** How often the open page asks for fresh figures. */
const REFRESH_MS = 15_000

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { organiser, campaign: found } = await organiserCampaign(request, context, params.slug, 'viewer', getCampaignForEdit)
  const { campaign, translations } = found
  const copy = translations.find((t) => t.locale === campaign.default_locale) ?? translations[0]
  return json(
    {
      campaign: { slug: campaign.slug, status: campaign.status, goal: campaign.goal, title: copy?.title ?? campaign.slug },
      canEdit: hasRole(organiser.role, 'organiser'),
      figures: await campaignDashboardFigures(context, campaign.id),
      // Mail the provider would not take for 72 hours (ADR 096): each is a signer without their link.
      undelivered: (await undeliveredMail(context.db, campaign.id)).count,
      geometry: worldMapData(),
      names: countryOptions('en'),
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.campaign.title ?? 'Campaign'} · Dashboard` }]

// Sorting the table happens in the page: a new sort order needs no new figures.
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, nextUrl, formMethod, defaultShouldRevalidate }) => {
  if (formMethod || currentUrl.pathname !== nextUrl.pathname) return defaultShouldRevalidate
  const strip = (u: URL) => {
    const p = new URLSearchParams(u.search)
    p.delete('sort')
    p.delete('dir')
    p.sort()
    return p.toString()
  }
  return strip(currentUrl) === strip(nextUrl) ? false : defaultShouldRevalidate
}

type Country = DashboardFigures['countries'][number]
const SORTS = ['country', 'count', 'progress'] as const
type SortKey = (typeof SORTS)[number]

const fmt = (n: number) => n.toLocaleString('en')
const pct = (x: number) => `${(x * 100).toLocaleString('en', { maximumFractionDigits: 1 })}%`
const progressOf = (c: Country) => (c.goal ? c.count / c.goal : -1)

function sortCountries(countries: Country[], key: SortKey, dir: 'asc' | 'desc') {
  const sign = dir === 'asc' ? 1 : -1
  const byName = (a: Country, b: Country) => a.name.localeCompare(b.name, 'en')
  const compare: Record<SortKey, (a: Country, b: Country) => number> = {
    country: (a, b) => sign * byName(a, b),
    count: (a, b) => sign * (a.count - b.count) || byName(a, b),
    progress: (a, b) => sign * (progressOf(a) - progressOf(b)) || byName(a, b),
  }
  return [...countries].sort(compare[key])
}

function SortHeader({ label, sortKey, current, dir }: { label: string; sortKey: SortKey; current: SortKey; dir: 'asc' | 'desc' }) {
  const [params] = useSearchParams()
  const location = useLocation()
  const active = current === sortKey
  const nextDir = active ? (dir === 'asc' ? 'desc' : 'asc') : sortKey === 'country' ? 'asc' : 'desc'
  const next = new URLSearchParams(params)
  next.set('sort', sortKey)
  next.set('dir', nextDir)
  return (
    <th scope="col" aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}>
      <Link to={`${location.pathname}?${next}#countries`} preventScrollReset replace>
        {label}
        <span aria-hidden="true">{active ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
        <span className="visually-hidden">{`, sort ${nextDir === 'asc' ? 'ascending' : 'descending'}`}</span>
      </Link>
    </th>
  )
}

export default function CampaignDashboard() {
  const data = useLoaderData<typeof loader>()
  const { campaign } = data
  const fetcher = useFetcher<typeof data.figures>()
  const figures = fetcher.data ?? data.figures
  const [params] = useSearchParams()

  // The interval reads the latest render's fetcher: the first render's would say 'idle' for ever, so a
  // slow answer would be asked for again on top of itself (found by react-hooks/exhaustive-deps).
  const latest = useRef(fetcher)
  useEffect(() => {
    latest.current = fetcher
  })
  useEffect(() => {
    const timer = setInterval(() => {
      const f = latest.current
      if (document.visibilityState === 'visible' && f.state === 'idle') f.load(`/admin/campaigns/${campaign.slug}/figures`)
    }, REFRESH_MS)
    return () => clearInterval(timer)
  }, [campaign.slug])

  const sortParam = params.get('sort')
  const sortKey: SortKey = (SORTS as readonly string[]).includes(sortParam ?? '') ? (sortParam as SortKey) : 'count'
  const dir = params.get('dir') === 'asc' ? 'asc' : params.get('dir') === 'desc' ? 'desc' : sortKey === 'country' ? 'asc' : 'desc'
  const { totals } = figures
  const countries = sortCountries(figures.countries, sortKey, dir)
  const asOf = new Date(figures.at).toISOString().slice(11, 19)

  return (
    <div className="dashboard">
      <h1>{campaign.title}</h1>
      <p className="hint">
        Status: <strong>{campaign.status}</strong> · Overall goal {fmt(campaign.goal)} · <span data-testid="as-of">Figures as of {asOf} UTC</span>, refreshed
        every {REFRESH_MS / 1000} seconds while this page is open.
      </p>
      <p className="actions">
        {data.canEdit ? (
          <>
            <Link to={`/admin/campaigns/${campaign.slug}/edit`}>Edit campaign</Link>
            <Link to={`/admin/campaigns/${campaign.slug}/preview`}>Preview as supporters see it</Link>
            <Link to={`/admin/campaigns/${campaign.slug}/moderation`}>Moderation</Link>
            <Link to={`/admin/campaigns/${campaign.slug}/partners`}>Partners</Link>
            <Link to={`/admin/campaigns/${campaign.slug}/embed`}>Embed the sign form</Link>
            <Link to={`/admin/campaigns/${campaign.slug}/image`}>Lead image</Link>
            <Link to={`/admin/campaigns/${campaign.slug}/updates`}>News to signers</Link>
            <Link to={`/admin/campaigns/${campaign.slug}/paper`}>Paper signatures</Link>
            <a href={`/admin/campaigns/${campaign.slug}/export.csv`} download>
              Export verified signatures (CSV)
            </a>
          </>
        ) : null}
        <a href={`/admin/campaigns/${campaign.slug}/counts.csv`} download>
          Export counts per country (CSV)
        </a>
      </p>

      {data.undelivered > 0 ? (
        <p role="alert" className="notice" data-undelivered={data.undelivered}>
          {`${fmt(data.undelivered)} email${data.undelivered === 1 ? '' : 's'} to signers could not be delivered after 72 hours of trying. `}
          <Link to={`/admin/campaigns/${campaign.slug}/undelivered`}>See and send again</Link>
        </p>
      ) : null}

      <h2>Totals</h2>
      <dl className="totals">
        <div>
          <dt>Verified</dt>
          <dd data-total="verified">{fmt(totals.verified)}</dd>
        </div>
        <div>
          <dt>Pending confirmation</dt>
          <dd data-total="pending">{fmt(totals.pending)}</dd>
        </div>
        <div>
          <dt>Withdrawn</dt>
          <dd data-total="withdrawn">{fmt(totals.withdrawn)}</dd>
        </div>
        <div>
          <dt>Invalidated</dt>
          <dd data-total="invalidated">{fmt(totals.invalidated)}</dd>
        </div>
        <div>
          <dt>Confirmation rate</dt>
          <dd data-total="rate">{totals.confirmationRate === null ? '–' : pct(totals.confirmationRate)}</dd>
        </div>
      </dl>
      {/* Paper signatures are counted apart and never added to the verified figure or the goal (ADR 134). */}
      <p className="paper-split" data-total="split">
        {`${fmt(totals.verified)} confirmed by email · ${fmt(figures.paper)} on paper`}
      </p>
      <p className="hint">
        Confirmation rate: verified ÷ (verified + pending). Unconfirmed signatures are deleted after their retention period, so it describes recent
        signers.
      </p>
      <label htmlFor="goal-progress">Progress to the overall goal</label>
      <progress id="goal-progress" max={campaign.goal} value={Math.min(totals.verified, campaign.goal)}>
        {pct(totals.verified / campaign.goal)}
      </progress>

      <h2>Where signers live</h2>
      <WorldMap geometry={data.geometry} names={data.names} countries={figures.countries} />

      <h2 id="countries">Countries</h2>
      {countries.length === 0 ? (
        <p>No verified signature and no country goal yet.</p>
      ) : (
        <DataTable className="countries" caption="Verified signatures by country, sortable by each column" captionHidden
          columns={[
            { cell: <SortHeader label="Country" sortKey="country" current={sortKey} dir={dir} /> },
            { cell: <SortHeader label="Verified" sortKey="count" current={sortKey} dir={dir} /> },
            'Share of total',
            { cell: <SortHeader label="Progress to country goal" sortKey="progress" current={sortKey} dir={dir} /> },
            'Confirmed by email · on paper',
          ]}
        >
          {countries.map((c) => (
            <tr key={c.code} data-country={c.code}>
              <th scope="row">{c.name}</th>
              <td>{fmt(c.count)}</td>
              <td>{totals.verified ? pct(c.count / totals.verified) : '–'}</td>
              <td>{c.goal ? `${fmt(c.count)} of ${fmt(c.goal)} (${pct(c.count / c.goal)})` : 'no goal'}</td>
              <td data-paper={c.paper}>{`${fmt(c.count)} confirmed by email · ${fmt(c.paper)} on paper`}</td>
            </tr>
          ))}
        </DataTable>
      )}

      <h2>Verified signatures per day</h2>
      <DailyChart daily={figures.daily} />

      <h2>Where signers came from</h2>
      <p className="hint">The referring site and utm_* tags of the campaign link, recorded at signing for verified signatures; nothing else is tracked.</p>
      <div className="attribution">
        <DataTable caption="Referring sites" columns={['Site', 'Verified']}>
          {figures.referrers.length === 0 ? (
            <tr>
              <td colSpan={2}>No verified signature yet.</td>
            </tr>
          ) : null}
          {figures.referrers.map((r) => (
            <tr key={r.host ?? ''}>
              <th scope="row">{r.host ?? 'No referrer (direct, email, apps)'}</th>
              <td>{fmt(r.count)}</td>
            </tr>
          ))}
        </DataTable>
        <DataTable caption="Campaign tags (utm)" columns={['Source', 'Medium', 'Campaign', 'Verified']}>
          {figures.utm.length === 0 ? (
            <tr>
              <td colSpan={4}>No signature arrived through a tagged link yet.</td>
            </tr>
          ) : (
            figures.utm.map((u, i) => (
              <tr key={i}>
                <td>{u.source ?? '–'}</td>
                <td>{u.medium ?? '–'}</td>
                <td>{u.campaign ?? '–'}</td>
                <td>{fmt(u.count)}</td>
              </tr>
            ))
          )}
        </DataTable>
      </div>
      <h2>Partners</h2>
      <p className="hint">
        Verified signatures that came through each partner&apos;s share link. They are part of the campaign&apos;s one count, never added to it.{' '}
        {data.canEdit ? <Link to={`/admin/campaigns/${campaign.slug}/partners`}>Manage partners</Link> : null}
      </p>
      <DataTable id="partners" caption="Verified signatures by partner" columns={['Partner', 'Verified']}>
        {figures.partners.length === 0 ? (
          <tr>
            <td colSpan={2}>No verified signature came through a partner&apos;s link yet.</td>
          </tr>
        ) : (
          figures.partners.map((p, i) => (
            <tr key={i}>
              <th scope="row">{p.removed ? `${p.name} (removed)` : p.name}</th>
              <td>{fmt(p.count)}</td>
            </tr>
          ))
        )}
      </DataTable>
    </div>
  )
}
