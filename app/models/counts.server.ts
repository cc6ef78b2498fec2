import { randomUUID } from 'node:crypto'
import type { DB } from '~/db.server'
import { engineOf } from '~/db.server'
import { repairCounts, type CountRepair } from '~/models/counters.server'
import { underLease } from '~/models/lease.server'

/** Another reconcile is repairing: two at once would each add the same drift. */
export class ReconcileBusyError extends Error {
  constructor() {
    super('Another reconcile is repairing the counts now: run it again once that one has finished.')
  }
}
const REPAIR_LEASE = 'reconcile-repair'
const REPAIR_LEASE_MS = 60_000

export interface Drift {
  campaignId: string
  country: string | null
  stored: number
  actual: number
  /** Which counter drifted: verified (by country or total) unless said otherwise. */
  counter?: 'invalidated'
}

/**
 * Recomputes verified counts from the signatures themselves and compares them with the counter
 * rows; with `repair`, moves the counters by the drift found. Withdrawn signatures leave no row to
 * recount, so their counter is not checked.
 *
 * Safe beside a serving process: the recount and the counters are read in one snapshot (repeatable
 * read on PostgreSQL, one read transaction on SQLite), so a signature confirmed meanwhile moves
 * neither or both; and the repair adds the drift (recount minus stored, both of that snapshot) to
 * the counters, rather than overwriting them with a recount that confirmations made since would
 * leave behind. A repair holds a lease from its read to its last write, so a second reconcile started
 * meanwhile (another terminal, a cron job) is refused with ReconcileBusyError instead of adding the
 * same drift again; a check (`repair: false`) writes nothing and needs no lease.
 */
export async function reconcileCounts(db: DB, { repair }: { repair: boolean }): Promise<Drift[]> {
  if (!repair) return (await readDrift(db)).drift
  let found: Drift[] = []
  const ran = await underLease(
    db,
    REPAIR_LEASE,
    REPAIR_LEASE_MS,
    async () => {
      const { drift, repairs } = await readDrift(db)
      const now = Date.now()
      for (const r of repairs) await db.transaction().execute((trx) => repairCounts(trx, r.campaignId, r.move, now))
      found = drift
    },
    randomUUID(),
  )
  if (!ran) throw new ReconcileBusyError()
  return found
}

async function readDrift(db: DB): Promise<{ drift: Drift[]; repairs: { campaignId: string; move: CountRepair }[] }> {
  const snapshot = engineOf(db) === 'postgres' ? db.transaction().setIsolationLevel('repeatable read') : db.transaction()
  return snapshot.execute(async (trx) => {
    const campaigns = await trx.selectFrom('campaigns').select('id').execute()
    const actualByCountry = await trx
      .selectFrom('signatures')
      .select(['campaign_id', 'country_code', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'verified')
      .groupBy(['campaign_id', 'country_code'])
      .execute()
    const storedByCountry = await trx.selectFrom('country_counts').selectAll().execute()
    const storedTotals = await trx.selectFrom('campaign_counts').selectAll().execute()
    const invalidated = await trx
      .selectFrom('signatures')
      .select(['campaign_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'invalidated')
      .groupBy('campaign_id')
      .execute()

    const drift: Drift[] = []
    const repairs: { campaignId: string; move: CountRepair }[] = []
    for (const { id } of campaigns) {
      const actual = new Map(actualByCountry.filter((r) => r.campaign_id === id).map((r) => [r.country_code, Number(r.n)]))
      const stored = new Map(storedByCountry.filter((r) => r.campaign_id === id).map((r) => [r.country_code, Number(r.verified_count)]))
      const byCountry: [string, number][] = []
      for (const country of new Set([...actual.keys(), ...stored.keys()])) {
        const a = actual.get(country) ?? 0
        const s = stored.get(country) ?? 0
        if (a !== s) {
          drift.push({ campaignId: id, country, stored: s, actual: a })
          byCountry.push([country, a - s])
        }
      }
      const totalActual = [...actual.values()].reduce((x, y) => x + y, 0)
      const totals = storedTotals.find((r) => r.campaign_id === id)
      const totalStored = Number(totals?.verified_count ?? 0)
      if (totalStored !== totalActual) drift.push({ campaignId: id, country: null, stored: totalStored, actual: totalActual })
      const invalidatedActual = Number(invalidated.find((r) => r.campaign_id === id)?.n ?? 0)
      const invalidatedStored = Number(totals?.invalidated_count ?? 0)
      if (invalidatedStored !== invalidatedActual) {
        drift.push({ campaignId: id, country: null, stored: invalidatedStored, actual: invalidatedActual, counter: 'invalidated' })
      }
      const move = { byCountry, total: totalActual - totalStored, invalidated: invalidatedActual - invalidatedStored }
      if (byCountry.length || move.total || move.invalidated) repairs.push({ campaignId: id, move })
    }
    return { drift, repairs }
  })
}
