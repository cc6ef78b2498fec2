import type { AppLoadContext } from '@remix-run/node'
import type { DB, Role } from '~/db.server'
import { campaignForOrganisers, type CampaignRef } from '~/models/moderation.server'
import { requireOrganiser } from '~/infra/auth.server'
import { dashboardFigures } from '~/models/dashboard.server'
import { CAMPAIGN_NOT_FOUND } from '~/utils/campaign-not-found'

type Lookup<T> = (db: DB, slug: string) => Promise<T | null | undefined>

/** The 404 of a campaign that does not exist, the same from every organiser route (ADR 118). */
export const campaignNotFound = () => new Response(CAMPAIGN_NOT_FOUND, { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })

/**
 * The guard of every organiser route under /admin/campaigns/:slug (ADR 118): the signed-in organiser
 * with at least `role` (else the sign-in redirect, 401 or 403 of requireOrganiser), then the campaign
 * named in the URL, or the one not-found answer. The role is checked first, so a viewer learns nothing
 * of which campaigns exist from a route they may not use. A route that needs more of the campaign than
 * its reference passes the model's own lookup.
 */
export async function organiserCampaign(request: Request, context: AppLoadContext, slug: string | undefined, role: Role): Promise<{ organiser: Awaited<ReturnType<typeof requireOrganiser>>; campaign: CampaignRef }>
export async function organiserCampaign<T>(
  request: Request,
  context: AppLoadContext,
  slug: string | undefined,
  role: Role,
  lookup: Lookup<T>,
): Promise<{ organiser: Awaited<ReturnType<typeof requireOrganiser>>; campaign: T }>
export async function organiserCampaign(request: Request, context: AppLoadContext, slug: string | undefined, role: Role, lookup: Lookup<unknown> = campaignForOrganisers) {
  const organiser = await requireOrganiser(request, context, role)
  const campaign = slug ? await lookup(context.db, slug) : null
  if (!campaign) throw campaignNotFound()
  return { organiser, campaign }
}

/**
 * The dashboard's figures, the latest while they are quick to compute, else the last computed (their
 * `at` says when) while newer ones are computed in the background (ADR 141). Shared by the page and
 * its live figures, which every open tab polls.
 */
export async function campaignDashboardFigures(context: AppLoadContext, campaignId: string) {
  const read = await context.figures.dashboard.read(campaignId, () => dashboardFigures(context.figuresDb, context.vault, campaignId))
  return read!.value
}
