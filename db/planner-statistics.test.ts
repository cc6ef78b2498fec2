import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { insertSignatures } from '../tests/support/rows'
import { createVault } from '../app/infra/vault.server'
import { migrateToLatest, openSqliteDatabase, refreshPlannerStatistics } from '.'
import { seedFirstCampaign } from './seed'

// The statements a moderation slice runs: a few hundred ids, of one campaign and one or two statuses.
const IDS = Array.from({ length: 500 }, (_, i) => `id-${i}`)
const SLICE = [
  `update signatures set status = 'invalidated' where campaign_id = ? and id in (${IDS.map(() => '?').join(', ')}) and status = 'verified'`,
  `select id, status from signatures where id in (${IDS.map(() => '?').join(', ')}) and status in ('verified', 'pending')`,
]
const plan = (sqlite: ReturnType<typeof openSqliteDatabase>['sqlite'], campaignId: string) =>
  SLICE.map((q, i) => (sqlite.prepare(`explain query plan ${q}`).all(...(i === 0 ? [campaignId, ...IDS] : IDS)) as { detail: string }[]).map((r) => r.detail).join('; ')).join(' | ')

let dir: string
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe("the SQLite planner's statistics (ADR 138)", () => {
  it('are made at open and kept current, so a slice by id is found by its key, not by walking every signature of a status', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'planner-'))
    const file = path.join(dir, 'app.db')
    const first = openSqliteDatabase(file)
    await migrateToLatest(first.db)
    await seedFirstCampaign(first.db)
    const { id: campaignId } = await first.db.selectFrom('campaigns').select('id').executeTakeFirstOrThrow()
    const vault = createVault({ encryptionKey: randomBytes(32), hmacKey: randomBytes(32) })
    insertSignatures(first.sqlite, vault, { campaignId, count: 3_000, status: 'verified', prefix: 'plan' })
    // Without statistics the planner takes (campaign_id, status) to match a handful of rows.
    first.sqlite.exec('drop table if exists sqlite_stat1')
    expect(plan(first.sqlite, campaignId)).toMatch(/USING INDEX signatures_\w+ \((campaign_id=\? AND )?status=\?/)
    refreshPlannerStatistics(first.sqlite)
    expect(plan(first.sqlite, campaignId)).toBe(Array(2).fill('SEARCH signatures USING INDEX sqlite_autoindex_signatures_1 (id=?)').join(' | '))
    // A sample of each index (analysis_limit) is its first rows, all of one status: it misleads the planner as much as no statistics.
    first.sqlite.pragma('analysis_limit = 1000')
    first.sqlite.exec('ANALYZE')
    expect(plan(first.sqlite, campaignId)).not.toBe(Array(2).fill('SEARCH signatures USING INDEX sqlite_autoindex_signatures_1 (id=?)').join(' | '))
    first.sqlite.pragma('analysis_limit = 0')
    await first.db.destroy()

    // A file grown since its last statistics (rows written while it was closed) is analysed again at open.
    const second = openSqliteDatabase(file)
    second.sqlite.exec('drop table if exists sqlite_stat1')
    await second.db.destroy()
    const third = openSqliteDatabase(file)
    expect(plan(third.sqlite, campaignId)).toBe(Array(2).fill('SEARCH signatures USING INDEX sqlite_autoindex_signatures_1 (id=?)').join(' | '))
    await third.db.destroy()
  })

  it('are made again, whole, once a table has grown far past what they describe', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'planner-'))
    const file = path.join(dir, 'app.db')
    const { db, sqlite } = openSqliteDatabase(file)
    await migrateToLatest(db)
    await seedFirstCampaign(db)
    const { id: campaignId } = await db.selectFrom('campaigns').select('id').executeTakeFirstOrThrow()
    const vault = createVault({ encryptionKey: randomBytes(32), hmacKey: randomBytes(32) })
    insertSignatures(sqlite, vault, { campaignId, count: 20, status: 'verified', prefix: 'small' })
    sqlite.exec('ANALYZE')
    insertSignatures(sqlite, vault, { campaignId, count: 4_000, status: 'verified', prefix: 'grown' })
    // What the statistics of 20 rows and a sampled re-analysis (a plain PRAGMA optimize) would leave is checked above.
    refreshPlannerStatistics(sqlite)
    expect(sqlite.prepare("select stat from sqlite_stat1 where idx = 'sqlite_autoindex_signatures_1'").pluck().get()).toMatch(/^40\d\d 1$/)
    expect(plan(sqlite, campaignId)).toBe(Array(2).fill('SEARCH signatures USING INDEX sqlite_autoindex_signatures_1 (id=?)').join(' | '))
    await db.destroy()
  })

  it('take in an index a migration added by analysing it alone, not its whole table again (ADR 144)', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'planner-'))
    const { db, sqlite } = openSqliteDatabase(path.join(dir, 'app.db'))
    await migrateToLatest(db)
    await seedFirstCampaign(db)
    const { id: campaignId } = await db.selectFrom('campaigns').select('id').executeTakeFirstOrThrow()
    insertSignatures(sqlite, createVault({ encryptionKey: randomBytes(32), hmacKey: randomBytes(32) }), { campaignId, count: 2_000, status: 'verified', prefix: 'known' })
    sqlite.exec('ANALYZE')
    // A mark on the table's existing statistics: a whole analysis of the table writes it over.
    sqlite.prepare("update sqlite_stat1 set stat = '2000 7' where idx = 'sqlite_autoindex_signatures_1'").run()
    sqlite.exec('create index signatures_new_partial on signatures (id) where ip_country is not null')
    refreshPlannerStatistics(sqlite)
    expect(sqlite.prepare("select stat from sqlite_stat1 where idx = 'signatures_new_partial'").pluck().get()).toBe('0 0')
    expect(sqlite.prepare("select stat from sqlite_stat1 where idx = 'sqlite_autoindex_signatures_1'").pluck().get()).toBe('2000 7')
    await db.destroy()
  })
})
