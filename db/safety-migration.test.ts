import { Migrator, sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { freshDatabaseUrl, type FreshDatabase } from '../tests/support/database'
import { engineOf, migrateToLatest, openDatabase, type DB } from './index'
import { migrations } from './migrations'
import { FIRST_CAMPAIGN_SLUG, seedFirstCampaign } from './seed'

let db: DB | null = null
let fresh: FreshDatabase | null = null
afterEach(async () => {
  await db?.destroy()
  await fresh?.drop()
  db = null
  fresh = null
})

async function open(): Promise<DB> {
  fresh = await freshDatabaseUrl()
  return openDatabase(fresh.url).db
}

const marked = async (db: DB) =>
  (await db.selectFrom('campaign_risk_states').innerJoin('campaigns', 'campaigns.id', 'campaign_risk_states.campaign_id').select(['slug', 'country_code']).execute())

describe('migration 009-safety', () => {
  it('marks Iran at risk for the first campaign of a database that already had it', async () => {
    db = await open()
    // Kysely's tables in this database's own schema (as migrateToLatest names it on PostgreSQL).
    const migrationTableSchema = engineOf(db) === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0].s : undefined
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, migrationTableSchema })
    const before = await migrator.migrateTo('005-moderation')
    expect(before.error).toBeUndefined()
    const now = Date.now()
    await (db as DB)
      .insertInto('campaigns')
      .values({ id: 'c1', slug: FIRST_CAMPAIGN_SLUG, status: 'open', default_locale: 'en', goal: 1, sources_json: '[]', sort_order: 0, created_at: now, updated_at: now })
      .execute()
    await (db as DB).insertInto('campaigns').values({ id: 'c2', slug: 'another', status: 'open', default_locale: 'en', goal: 1, sources_json: '[]', sort_order: 1, created_at: now, updated_at: now }).execute()
    await migrateToLatest(db)
    expect(await marked(db)).toEqual([{ slug: FIRST_CAMPAIGN_SLUG, country_code: 'IR' }])
  })

  it('lets the seed mark Iran on a new database', async () => {
    db = await open()
    await migrateToLatest(db)
    expect(await marked(db)).toEqual([])
    await seedFirstCampaign(db)
    expect(await marked(db)).toEqual([{ slug: FIRST_CAMPAIGN_SLUG, country_code: 'IR' }])
  })
})
