import { json, type AppLoadContext } from '@remix-run/node'
import type { Role } from '~/db.server'
import { campaignForOrganisers } from '~/models/moderation.server'
import { hasRole } from '~/models/organiser.server'
import { partnerForOrganisers } from '~/models/partner.server'
import { requireOrganiser } from '~/infra/auth.server'
import type { RoleNeeded } from '~/utils/role-needed'
import { campaignNotFound } from '~/use-cases/organiser-campaign.server'

/** The same answer for another partner's page, a removed partner's and a made-up ref: nothing says which it was. */
const partnerNotFound = () => new Response('No such partner', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })

/**
 * The guard of a partner's own pages (ADR 131): a campaign organiser (at least `role`, organiser by
 * default, with no partner scope) for any partner of the campaign, removed ones too; or, where
 * `partners` allows it, an organiser of that very partner while it is current. Roles are checked
 * before the campaign is looked up (ADR 118); a partner's organiser asking for another partner, or
 * another campaign, gets the partner's 404, the same as a made-up ref.
 */
export async function partnerAccess(
  request: Request,
  context: AppLoadContext,
  slug: string | undefined,
  ref: string | undefined,
  { role = 'organiser', partners = true }: { role?: Role; partners?: boolean } = {},
) {
  const organiser = await requireOrganiser(request, context, 'viewer', { partner: partners })
  const scoped = organiser.partner_id !== null
  if (!scoped && !hasRole(organiser.role, role)) throw json({ reason: 'role', needed: role, have: organiser.role } satisfies RoleNeeded, { status: 403 })
  const campaign = slug ? await campaignForOrganisers(context.db, slug) : null
  if (!campaign) throw campaignNotFound()
  const partner = await partnerForOrganisers(context.db, campaign.id, ref)
  if (!partner || (scoped && (partner.id !== organiser.partner_id || partner.removed))) throw partnerNotFound()
  return { organiser, campaign, partner, scoped }
}
