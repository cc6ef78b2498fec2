import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { listMissions, missionEmails } from '~/models/mission.server'
import { requireOrganiser } from '~/infra/auth.server'
import { unState } from '~/utils/countries'
import { isMissionOffice, MISSION_OFFICES, OFFICE_LABEL } from '~/utils/mission-schema'
import { DataTable } from '~/components/admin/data-table'

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireOrganiser(request, context, 'viewer')
  const search = new URL(request.url).searchParams
  const q = (search.get('q') ?? '').trim().toLowerCase()
  // One office at a time (New York first): the page stays the size it was before offices.
  const rawOffice = search.get('office') ?? 'new-york'
  const office = isMissionOffice(rawOffice) ? rawOffice : 'new-york'
  const missions = (await listMissions(context.db)).map((m) => ({
    code: m.country_code,
    name: unState(m.country_code)?.unName.short.en ?? m.country_code,
    headTitle: m.head_title,
    language: m.language,
    confidence: m.language_confidence,
    office: m.office,
    emails: missionEmails(m).length,
    hasAddress: m.postal_address.length > 0,
  }))
  const atOffice = missions.filter((m) => m.office === office)
  const filtered = q ? atOffice.filter((m) => m.name.toLowerCase().includes(q) || m.code.toLowerCase() === q || m.language === q) : atOffice
  return json({ missions: filtered, total: missions.length, office })
}

export const meta = () => [{ title: 'Missions' }]

export default function Missions() {
  const { missions, total, office } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  return (
    <>
      <h1>Permanent missions</h1>
      <p>
        {total} missions of the 193 member states and 2 observer states, in New York and Geneva and wherever else a state keeps one (each campaign chooses the offices it writes to). The language of correspondence starts from a proposal with a confidence; the UN Protocol’s Blue
        Book is the authority, so check each and save it (it is then marked “set”).
      </p>
      <p>
        <a href="/admin/missions.csv" download>
          Export CSV
        </a>{' '}
        · <Link to="/admin/missions/import">Import CSV</Link>
      </p>
      <p>
        Office:{' '}
        {MISSION_OFFICES.map((o, i) => (
          <span key={o}>
            {i ? ' · ' : ''}
            {o === office ? <strong aria-current="page">{OFFICE_LABEL[o]}</strong> : <Link to={`/admin/missions?office=${o}`}>{OFFICE_LABEL[o]}</Link>}
          </span>
        ))}
      </p>
      <Form method="get" role="search">
        <input type="hidden" name="office" value={office} />
        <label htmlFor="q">Filter by name, code or language</label>
        <input id="q" name="q" type="search" defaultValue={params.get('q') ?? ''} />
        <button type="submit">Filter</button>
      </Form>
      <DataTable columns={['State', 'Head of mission', 'Language', 'Office', 'Delivery']}>
        {missions.map((m) => (
          <tr key={`${m.code}/${m.office}`}>
            <td>
              <Link to={`/admin/missions/${m.code}?office=${m.office}`}>{m.name}</Link> ({m.code})
            </td>
            <td>{m.headTitle === 'observer' ? 'Permanent Observer' : 'Permanent Representative'}</td>
            <td>
              {m.language} <span className="hint">({m.confidence})</span>
            </td>
            <td>{OFFICE_LABEL[m.office]}</td>
            <td>{m.emails > 0 ? `email (${m.emails})` : m.hasAddress ? 'by hand or post' : 'no address yet'}</td>
          </tr>
        ))}
      </DataTable>
    </>
  )
}
