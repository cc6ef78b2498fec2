import { json, type LoaderFunctionArgs, type SerializeFrom } from '@remix-run/node'
import { Form, isRouteErrorResponse, Link, Outlet, useLoaderData, useRouteError, useRouteLoaderData } from '@remix-run/react'
import { ErrorBoundary as GeneralError } from '~/components/error-page'
import { CAMPAIGN_NOT_FOUND, isCampaignNotFound } from '~/utils/campaign-not-found'
import { isRoleNeeded, ROLE_CAN } from '~/utils/role-needed'
import { optionalOrganiser } from '~/infra/auth.server'
import { organiserName } from '~/models/organiser.server'
import { partnerHome, partnerScope } from '~/models/partner.server'

export const meta = ({ error }: { error?: unknown }) => [
  {
    title:
      isRouteErrorResponse(error) && isRoleNeeded(error.data)
        ? `You need the ${error.data.needed} role · Organisers`
        : isRouteErrorResponse(error) && isCampaignNotFound(error.status, error.data)
          ? `${CAMPAIGN_NOT_FOUND} · Organisers`
          : 'Organisers',
  },
  { name: 'robots', content: 'noindex' },
]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const organiser = await optionalOrganiser(request, context)
  // A partner's organiser sees only its partner's page in the navigation (ADR 131).
  const scope = organiser?.partner_id ? await partnerScope(context.db, organiser.partner_id) : null
  return json(
    {
      organiser: organiser
        ? { name: organiserName(context.vault, organiser), role: organiser.role, partnerHome: scope ? partnerHome(scope) : organiser.partner_id ? '/admin/account' : null }
        : null,
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

/** The organisers' area: English only for now, never cached, never indexed. */
export default function AdminLayout() {
  const { organiser } = useLoaderData<typeof loader>()
  return (
    <div className="admin" lang="en" dir="ltr">
      <AdminNav organiser={organiser} />
      <Outlet />
    </div>
  )
}

function CampaignNav({ role }: { role: string }) {
  return (
    <>
      <li>
        <Link to="/admin">Campaigns</Link>
      </li>
      <li>
        <Link to="/admin/missions">Missions</Link>
      </li>
      <li>
        <Link to="/admin/un-addressees">UN office holders</Link>
      </li>
      {role === 'admin' ? (
        <>
          <li>
            <Link to="/admin/organisers">Organisers</Link>
          </li>
          <li>
            <Link to="/admin/audit">Audit log</Link>
          </li>
        </>
      ) : null}
    </>
  )
}

function AdminNav({ organiser }: { organiser: SerializeFrom<typeof loader>['organiser'] }) {
  return (
    <>
      {organiser ? (
        <nav aria-label="Organisers" className="admin-nav">
          <ul>
            {organiser.partnerHome ? (
              <li>
                <Link to={organiser.partnerHome}>Your partner page</Link>
              </li>
            ) : (
              <CampaignNav role={organiser.role} />
            )}
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
            Signed in as {organiser.name || 'organiser'} ({organiser.partnerHome ? 'partner organiser' : organiser.role})
          </p>
        </nav>
      ) : null}
    </>
  )
}

/**
 * A page or action refused for the organiser's role gets a page that says which role it needs and
 * what to do, in the organisers' look with their navigation, and a campaign that does not exist the
 * one not-found page of the campaign guard (ADR 118); any other failure renders the general error
 * page, under the root's messages (app/components/error-page.tsx).
 */
export function ErrorBoundary() {
  const error = useRouteError()
  const data = useRouteLoaderData<typeof loader>('routes/admin')
  // Every organiser campaign route answers a campaign that does not exist alike (ADR 118).
  if (isRouteErrorResponse(error) && isCampaignNotFound(error.status, error.data)) {
    return (
      <div className="admin" lang="en" dir="ltr">
        <AdminNav organiser={data?.organiser ?? null} />
        <div className="panel narrow">
          <h1>{CAMPAIGN_NOT_FOUND}</h1>
          <p>No campaign has this address: it may have been renamed. Nothing was changed.</p>
          <p>
            <Link to="/admin">Back to the campaigns</Link>
          </p>
        </div>
      </div>
    )
  }
  if (!isRouteErrorResponse(error) || error.status !== 403 || !isRoleNeeded(error.data)) return <GeneralError />
  const { needed, have } = error.data
  if (error.data.partner) {
    return (
      <div className="admin" lang="en" dir="ltr">
        <AdminNav organiser={data?.organiser ?? null} />
        <div className="panel narrow role-needed">
          <h1>This account is a partner’s</h1>
          <p>It can read its own partner’s page and export that partner’s opted-in supporters, nothing else of the campaign. Nothing was changed.</p>
          <p>
            <Link to={data?.organiser?.partnerHome ?? '/admin/account'}>Your partner page</Link>
          </p>
        </div>
      </div>
    )
  }
  return (
    <div className="admin" lang="en" dir="ltr">
      <AdminNav organiser={data?.organiser ?? null} />
      <div className="panel narrow role-needed">
        <h1>{`You need the ${needed} role`}</h1>
        <p>{`Your account has the ${have} role: you can ${ROLE_CAN[have].replace(/^also /, '')}. This page or action needs the ${needed} role${needed === 'organiser' ? ' or admin' : ''}. ${needed[0].toUpperCase()}${needed.slice(1)}s can ${ROLE_CAN[needed]}.`}</p>
        <p>Nothing was changed. If you need this, ask an admin of your organisation to change your role on the Organisers page.</p>
        <p>
          <Link to="/admin">Back to the campaigns</Link>
        </p>
      </div>
    </div>
  )
}

