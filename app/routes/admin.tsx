import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, Outlet, useLoaderData } from '@remix-run/react'
import { optionalOrganiser } from '~/utils/auth.server'
import { organiserName } from '~/models/organiser.server'

export const meta = () => [{ title: 'Organisers' }, { name: 'robots', content: 'noindex' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const organiser = await optionalOrganiser(request, context)
  return json(
    { organiser: organiser ? { name: organiserName(context.vault, organiser), role: organiser.role } : null },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

/** The organisers' area: English only for now, never cached, never indexed. */
export default function AdminLayout() {
  const { organiser } = useLoaderData<typeof loader>()
  return (
    <div className="admin" lang="en" dir="ltr">
      {organiser ? (
        <nav aria-label="Organisers" className="admin-nav">
          <ul>
            <li>
              <Link to="/admin">Campaigns</Link>
            </li>
            <li>
              <Link to="/admin/missions">Missions</Link>
            </li>
            <li>
              <Link to="/admin/un-addressees">UN office holders</Link>
            </li>
            {organiser.role === 'admin' ? (
              <>
                <li>
                  <Link to="/admin/organisers">Organisers</Link>
                </li>
                <li>
                  <Link to="/admin/audit">Audit log</Link>
                </li>
              </>
            ) : null}
            <li>
              <Link to="/admin/account">Your account</Link>
            </li>
            <li>
              <Form method="post" action="/admin/logout">
                <button type="submit" className="link-button">
                  Sign out
                </button>
              </Form>
            </li>
            <li>
              <Form method="post" action="/admin/logout?everywhere=1">
                <button type="submit" className="link-button">
                  Sign out everywhere
                </button>
              </Form>
            </li>
          </ul>
          <p className="hint">
            Signed in as {organiser.name || 'organiser'} ({organiser.role})
          </p>
        </nav>
      ) : null}
      <Outlet />
    </div>
  )
}

// An action's failure renders here, under the root's messages (app/components/error-page.tsx).
export { ErrorBoundary } from '~/components/error-page'
