import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { findCampaignBySlug } from '~/models/campaign-admin.server'
import { campaignDashboardFigures, organiserCampaign } from '~/use-cases/organiser-campaign.server'

/** The dashboard's figures alone, polled by the open page so they refresh without a reload. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign } = await organiserCampaign(request, context, params.slug, 'viewer', findCampaignBySlug)
  return json(await campaignDashboardFigures(context, campaign.id), { headers: { 'Cache-Control': 'no-store' } })
}
