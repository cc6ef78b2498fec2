import { CompiledQuery, sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { clearAttributions, clearIpCountries } from '../app/models/at-rest.server'
import { rowsMissingDomainHash } from '../app/models/moderation.server'
import { openTestDatabase, testEngine } from '../tests/support/database'

let close: (() => Promise<void>) | null = null
afterEach(async () => {
  await close?.()
  close = null
})

// What each start's backfills look for (at-rest.server.ts, moderation.server.ts), and the partial index that holds just those rows.
const LOOKS = [
  ['signatures_clear_ip_country', clearIpCountries],
  ['signatures_clear_attribution', clearAttributions],
  ['signatures_missing_domain_hash', rowsMissingDomainHash],
] as const

describe('the backfills run at each start (migration 029)', () => {
  it.each(LOOKS)('find their rows by %s, not by reading every signature', async (index, look) => {
    const t = await openTestDatabase()
    close = t.close
    const query = look(t.db, 200).compile()
    const plan = await t.db.transaction().execute(async (trx) => {
      if (testEngine === 'postgres') {
        // On a near-empty table PostgreSQL reads it whole, rightly: with scans priced out, the plan shows whether the index can serve.
        await sql`set local enable_seqscan = off`.execute(trx)
        const rows = await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]))
        return rows.rows.map((r) => r['QUERY PLAN']).join('\n')
      }
      const rows = await trx.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]))
      return rows.rows.map((r) => r.detail).join('\n')
    })
    expect(plan).toContain(index)
    expect(plan).not.toMatch(/SCAN signatures$|Seq Scan on signatures/m)
  })
})
