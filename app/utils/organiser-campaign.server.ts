import type { AppLoadContext } from '@remix-run/node'
import type { Role } from '~/db.server'
import { campaignForOrganisers } from '~/models/moderation.server'
import { requireOrganiser } from '~/utils/auth.server'

/** The signed-in organiser (with at least `role`) and the campaign named in the URL, or 404. */
export async function organiserCampaign(request: Request, context: AppLoadContext, slug: string, role: Role) {
  const organiser = await requireOrganiser(request, context, role)
  const campaign = await campaignForOrganisers(context.db, slug)
  if (!campaign) throw new Response('No such campaign', { status: 404 })
  return { organiser, campaign }
}
