import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { listAudit } from '~/models/audit.server'
import { requireOrganiser } from '~/infra/auth.server'
import { DataTable } from '~/components/admin/data-table'

const PER_PAGE = 50

export const meta = () => [{ title: 'Audit log · Admin' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireOrganiser(request, context, 'admin')
  const asked = Number(new URL(request.url).searchParams.get('page') ?? '1')
  const page = Number.isInteger(asked) && asked >= 1 ? asked : 1
  const result = await listAudit(context.db, context.vault, { page, perPage: PER_PAGE })
  return json({ page, ...result }, { headers: { 'Cache-Control': 'no-store' } })
}

const when = (at: number) => new Date(at).toISOString().replace('T', ' ').slice(0, 19)
const detail = (value: unknown) => (Array.isArray(value) ? value.join(', ') : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value))

export default function AuditLog() {
  const { entries, page, pages, total } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>Audit log</h1>
      <p className="hint">
        Every organiser action, newest first: {total.toLocaleString('en')} in all. Times are UTC.
      </p>
      <DataTable className="audit" columns={['When (UTC)', 'Who', 'What', 'On', 'Details']}>
        {entries.map((e) => (
          <tr key={e.id}>
            <td>
              <time dateTime={new Date(e.at).toISOString()}>{when(e.at)}</time>
            </td>
            <td>{e.who}</td>
            <td>{e.action.replace(/-/g, ' ')}</td>
            <td>{e.target ?? ''}</td>
            <td>
              {Object.keys(e.details).length ? (
                <dl className="details">
                  {Object.entries(e.details)
                    .filter(([, v]) => v !== undefined && v !== null)
                    .map(([k, v]) => (
                      <div key={k}>
                        <dt>{k}</dt>
                        <dd>{detail(v)}</dd>
                      </div>
                    ))}
                </dl>
              ) : null}
            </td>
          </tr>
        ))}
      </DataTable>
      <nav aria-label="Audit log pages" className="pager">
        {page > 1 ? <Link to={`?page=${page - 1}`}>Newer</Link> : null}
        <span>{`Page ${page} of ${pages}`}</span>
        {page < pages ? <Link to={`?page=${page + 1}`}>Older</Link> : null}
      </nav>
    </>
  )
}
