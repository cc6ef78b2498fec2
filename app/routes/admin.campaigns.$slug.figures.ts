import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { dashboardFigures } from '~/models/dashboard.server'
import { campaignOr404 } from '~/utils/admin-campaign.server'
import { requireOrganiser } from '~/utils/auth.server'

/** The dashboard's figures alone, polled by the open page so they refresh without a reload. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireOrganiser(request, context, 'viewer')
  const campaign = await campaignOr404(context, params.slug)
  return json(await dashboardFigures(context.readDb, context.vault, campaign.id), { headers: { 'Cache-Control': 'no-store' } })
}
