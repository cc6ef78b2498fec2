import { json, redirect, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { listCampaignsForOrganisers } from '~/models/campaign-admin.server'
import { hasRole } from '~/models/organiser.server'
import { partnerHome, partnerScope } from '~/models/partner.server'
import { requireOrganiser } from '~/infra/auth.server'
import { DataTable } from '~/components/admin/data-table'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const organiser = await requireOrganiser(request, context, 'viewer', { partner: true })
  // A partner's organiser has one page (ADR 131): the campaigns list is not for it.
  if (organiser.partner_id) {
    const scope = await partnerScope(context.db, organiser.partner_id)
    throw redirect(scope && !scope.removed ? partnerHome(scope) : '/admin/account')
  }
  const campaigns = await listCampaignsForOrganisers(context.db)
  return json({
    canEdit: hasRole(organiser.role, 'organiser'),
    campaigns: campaigns.map((c) => ({ slug: c.slug, title: c.title ?? c.slug, status: c.status, goal: c.goal, verified: c.verified_count ?? 0 })),
  })
}

export default function AdminIndex() {
  const { campaigns, canEdit } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>Campaigns</h1>
      {canEdit ? (
        <p>
          <Link to="/admin/campaigns/new" className="button">
            New campaign
          </Link>
        </p>
      ) : null}
      <DataTable columns={['Campaign', 'Status', 'Verified signatures', 'Goal', 'Letters', canEdit && { label: 'Actions', hidden: true }]}>
        {campaigns.map((c) => (
          <tr key={c.slug}>
            <th scope="row">
              <Link to={`/admin/campaigns/${c.slug}`}>{c.title}</Link>
            </th>
            <td>{c.status}</td>
            <td>{c.verified.toLocaleString('en')}</td>
            <td>{c.goal.toLocaleString('en')}</td>
            <td>
              <Link to={`/admin/campaigns/${c.slug}/letters`}>Letters and replies</Link>
            </td>
            {canEdit ? (
              <td>
                <Link to={`/admin/campaigns/${c.slug}/edit`} aria-label={`Edit ${c.title}`}>
                  Edit
                </Link>
              </td>
            ) : null}
          </tr>
        ))}
      </DataTable>
    </>
  )
}
