import { Migrator } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { migrateToLatest, openDatabase, type DB } from './index'
import { migrations } from './migrations'
import { FIRST_CAMPAIGN_SLUG, seedFirstCampaign } from './seed'

let db: DB | null = null
afterEach(async () => {
  await db?.destroy()
  db = null
})

const marked = async (db: DB) =>
  (await db.selectFrom('campaign_risk_states').innerJoin('campaigns', 'campaigns.id', 'campaign_risk_states.campaign_id').select(['slug', 'country_code']).execute())

describe('migration 009-safety', () => {
  it('marks Iran at risk for the first campaign of a database that already had it', async () => {
    db = openDatabase(':memory:').db
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
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
    db = openDatabase(':memory:').db
    await migrateToLatest(db)
    expect(await marked(db)).toEqual([])
    await seedFirstCampaign(db)
    expect(await marked(db)).toEqual([{ slug: FIRST_CAMPAIGN_SLUG, country_code: 'IR' }])
  })
})
