import { sql } from 'kysely'
import type { DB } from '~/db.server'

/**
 * Every move of a campaign's counters goes through here (issue 17): the verified total and its split
 * by country (what the page, the map and the letters read in constant time), and the withdrawn and
 * invalidated totals the dashboard shows. Each function runs in the caller's transaction, so a count
 * moves with the signature that moves it, or not at all. `reconcile` (counts.server.ts) finds and
 * repairs any drift from the signatures themselves.
 */
export interface CountMove {
  /** Verified signatures gained (positive) or lost (negative), by country. */
  verified?: Iterable<readonly [country: string, delta: number]>
  withdrawn?: number
  invalidated?: number
  /** Verified signatures added to the total alone, no country's: reconcile's repair of a total that drifted from its countries. */
  totalOnly?: number
}

/** A new campaign's counters, all at zero. */
export async function openCounters(db: DB, campaignId: string, now: number) {
  await db.insertInto('campaign_counts').values({ campaign_id: campaignId, verified_count: 0, withdrawn_count: 0, invalidated_count: 0, updated_at: now }).execute()
}

/** Moves the counters by the given deltas: one write of the campaign's totals, one per country that moved. */
export async function moveCounts(db: DB, campaignId: string, move: CountMove, now: number) {
  const byCountry = [...(move.verified ?? [])].filter(([, d]) => d !== 0)
  const verified = byCountry.reduce((sum, [, d]) => sum + d, move.totalOnly ?? 0)
  const withdrawn = move.withdrawn ?? 0
  const invalidated = move.invalidated ?? 0
  if (byCountry.length === 0 && verified === 0 && withdrawn === 0 && invalidated === 0) return
  await db
    .insertInto('campaign_counts')
    .values({ campaign_id: campaignId, verified_count: verified, withdrawn_count: withdrawn, invalidated_count: invalidated, updated_at: now })
    .onConflict((oc) =>
      oc.column('campaign_id').doUpdateSet({
        verified_count: sql`campaign_counts.verified_count + ${verified}`,
        withdrawn_count: sql`campaign_counts.withdrawn_count + ${withdrawn}`,
        invalidated_count: sql`campaign_counts.invalidated_count + ${invalidated}`,
        updated_at: now,
      }),
    )
    .execute()
  for (const [country, delta] of byCountry) {
    await db
      .insertInto('country_counts')
      .values({ campaign_id: campaignId, country_code: country, verified_count: delta })
      .onConflict((oc) => oc.columns(['campaign_id', 'country_code']).doUpdateSet({ verified_count: sql`country_counts.verified_count + ${delta}` }))
      .execute()
  }
}

/** One verified signature gained or lost in one country: the confirm and withdraw paths' move. */
export const moveVerified = (db: DB, campaignId: string, country: string, delta: number, now: number) => moveCounts(db, campaignId, { verified: [[country, delta]] }, now)

/** Reconcile's repair: the drift found in one snapshot, by country and in the totals (which may drift apart from the countries). */
export interface CountRepair {
  byCountry: [country: string, delta: number][]
  total: number
  invalidated: number
}

/**
 * Moves the counters by the drift reconcile found, so confirmations made since it read them are kept;
 * withdrawals are history and stay.
 */
export async function repairCounts(db: DB, campaignId: string, repair: CountRepair, now: number) {
  // The countries' deltas move the total by their sum; a total that had drifted from its countries needs the rest.
  const totalOnly = repair.total - repair.byCountry.reduce((sum, [, d]) => sum + d, 0)
  await moveCounts(db, campaignId, { verified: repair.byCountry, invalidated: repair.invalidated, totalOnly }, now)
}
