import type { DB } from '~/db.server'
import { ttlCache } from '~/infra/ttl-cache.server'

/**
 * The states whose signers are at risk from their own government, per campaign (ADR 085). A signer
 * who gives one of them is counted, but their name is never put in the letter to that state's
 * mission nor shown on a public page, whatever they ticked.
 */
export async function atRiskStates(db: DB, campaignId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('campaign_risk_states')
    .select('country_code')
    .where('campaign_id', '=', campaignId)
    .orderBy('country_code')
    .execute()
  return rows.map((r) => r.country_code)
}

const listCache = ttlCache<string[]>()

/** The same list through a few seconds' cache, for the sign path: reads of names filter again anyway. */
export function atRiskStatesCached(db: DB, campaignId: string, maxAgeMs: number): Promise<string[]> {
  return listCache(db, campaignId, maxAgeMs, () => atRiskStates(db, campaignId))
}

export async function isAtRisk(db: DB, campaignId: string, country: string): Promise<boolean> {
  const row = await db
    .selectFrom('campaign_risk_states')
    .select('country_code')
    .where('campaign_id', '=', campaignId)
    .where('country_code', '=', country)
    .executeTakeFirst()
  return Boolean(row)
}

/** The at-risk states of a campaign, as a subquery for `where('country_code', 'not in', ...)`. */
export function atRiskSubquery(db: DB, campaignId: string) {
  return db.selectFrom('campaign_risk_states').select('country_code').where('campaign_id', '=', campaignId)
}

/** Marks a state at risk; true when it was not marked before. */
export async function markAtRisk(db: DB, campaignId: string, country: string, organiserId: string | null, now = Date.now()): Promise<boolean> {
  const result = await db
    .insertInto('campaign_risk_states')
    .values({ campaign_id: campaignId, country_code: country, marked_by: organiserId, marked_at: now })
    .onConflict((oc) => oc.columns(['campaign_id', 'country_code']).doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
}

/** Lifts the mark; true when the state was marked. Names withheld so far stay withheld (ADR 085). */
export async function unmarkAtRisk(db: DB, campaignId: string, country: string): Promise<boolean> {
  const result = await db
    .deleteFrom('campaign_risk_states')
    .where('campaign_id', '=', campaignId)
    .where('country_code', '=', country)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

/** Every state marked at risk by a campaign the public can see, for the privacy page. */
export async function publicAtRiskStates(db: DB): Promise<string[]> {
  const rows = await db
    .selectFrom('campaign_risk_states')
    .innerJoin('campaigns', 'campaigns.id', 'campaign_risk_states.campaign_id')
    .select('campaign_risk_states.country_code')
    .where('campaigns.status', '!=', 'draft')
    .groupBy('campaign_risk_states.country_code')
    .orderBy('campaign_risk_states.country_code')
    .execute()
  return rows.map((r) => r.country_code)
}
