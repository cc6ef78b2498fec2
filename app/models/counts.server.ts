import type { DB } from '~/db.server'
import { setCounts } from '~/models/counters.server'

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
 * rows; with `repair`, sets the counters to the recount. Withdrawn signatures leave no row to
 * recount, so their counter is not checked.
 */
export async function reconcileCounts(db: DB, { repair }: { repair: boolean }): Promise<Drift[]> {
  return db.transaction().execute(async (trx) => {
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
    const now = Date.now()
    for (const { id } of campaigns) {
      const actual = new Map(actualByCountry.filter((r) => r.campaign_id === id).map((r) => [r.country_code, Number(r.n)]))
      const stored = new Map(storedByCountry.filter((r) => r.campaign_id === id).map((r) => [r.country_code, r.verified_count]))
      for (const country of new Set([...actual.keys(), ...stored.keys()])) {
        const a = actual.get(country) ?? 0
        const s = stored.get(country) ?? 0
        if (a !== s) drift.push({ campaignId: id, country, stored: s, actual: a })
      }
      const totalActual = [...actual.values()].reduce((x, y) => x + y, 0)
      const totals = storedTotals.find((r) => r.campaign_id === id)
      if ((totals?.verified_count ?? 0) !== totalActual) {
        drift.push({ campaignId: id, country: null, stored: totals?.verified_count ?? 0, actual: totalActual })
      }
      const invalidatedActual = Number(invalidated.find((r) => r.campaign_id === id)?.n ?? 0)
      if ((totals?.invalidated_count ?? 0) !== invalidatedActual) {
        drift.push({ campaignId: id, country: null, stored: totals?.invalidated_count ?? 0, actual: invalidatedActual, counter: 'invalidated' })
      }
      if (repair) {
        await setCounts(trx, id, actual, invalidatedActual, now)
      }
    }
    return drift
  })
}
