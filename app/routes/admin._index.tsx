import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { getCampaignStats, listPublicCampaigns } from '~/models/campaign.server'
import { requireOrganiser } from '~/utils/auth.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireOrganiser(request, context, 'viewer')
  const campaigns = await listPublicCampaigns(context.db, 'en')
  return json({
    campaigns: await Promise.all(
      campaigns.map(async ({ campaign, copy }) => ({
        slug: campaign.slug,
        title: copy.title,
        status: campaign.status,
        verified: (await getCampaignStats(context.db, campaign.id)).verified,
      })),
    ),
  })
}

export default function AdminIndex() {
  const { campaigns } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>Campaigns</h1>
      <table className="data">
        <thead>
          <tr>
            <th scope="col">Campaign</th>
            <th scope="col">Status</th>
            <th scope="col">Verified signatures</th>
            <th scope="col">Letters</th>
          </tr>
        </thead>
        <tbody>
          {campaigns.map((c) => (
            <tr key={c.slug}>
              <td>{c.title}</td>
              <td>{c.status}</td>
              <td>{c.verified.toLocaleString('en')}</td>
              <td>
                <Link to={`/admin/campaigns/${c.slug}/letters`}>Letters and replies</Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}
