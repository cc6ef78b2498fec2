import { Migrator, sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { freshDatabaseUrl, type FreshDatabase } from '../tests/support/database'
import { engineOf, migrateToLatest, openDatabase, type DB } from './index'
import { migrations } from './migrations'

let db: DB | null = null
let fresh: FreshDatabase | null = null
afterEach(async () => {
  await db?.destroy()
  await fresh?.drop()
  db = null
  fresh = null
})

describe('migration 010-addressees', () => {
  it('keeps every existing mission as its state’s New York office, and a Geneva-pointed one as Geneva', async () => {
    fresh = await freshDatabaseUrl()
    db = openDatabase(fresh.url).db
    const migrationTableSchema = engineOf(db) === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0].s : undefined
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, migrationTableSchema })
    expect((await migrator.migrateTo('009-safety')).error).toBeUndefined()
    const old = db as unknown as import('kysely').Kysely<any>
    const row = (code: string, city: string, emails: string) => ({
      country_code: code,
      status: 'member',
      head_title: 'representative',
      language: 'fr',
      language_confidence: 'set',
      city,
      postal_address: `${code} address`,
      emails,
      notes: `${code} notes`,
      updated_at: 1,
      updated_by: null,
    })
    await old.insertInto('missions').values([row('AD', 'new-york', 'ad@example.org'), row('LU', 'geneva', 'lu.geneva@example.org')]).execute()

    await migrateToLatest(db)
    const missions = await db.selectFrom('missions').selectAll().orderBy('country_code').orderBy('office').execute()
    expect(missions.map((m) => [m.country_code, m.office, m.emails, m.postal_address, m.language])).toEqual([
      ['AD', 'new-york', 'ad@example.org', 'AD address', 'fr'],
      ['LU', 'geneva', 'lu.geneva@example.org', 'LU address', 'fr'],
      ['LU', 'new-york', '', '', 'fr'],
    ])
    // The key is the state and the office: a second Geneva row for LU is refused, one for AD is not.
    await db.insertInto('missions').values({ ...missions[0], office: 'geneva' }).execute()
    await expect(db.insertInto('missions').values({ ...missions[1] }).execute()).rejects.toThrow()
    // Existing campaigns write to New York only.
    const cols = await db.introspection.getTables()
    expect(cols.find((t) => t.name === 'campaign_letter_settings')!.columns.map((c) => c.name)).toContain('offices')
    expect(cols.find((t) => t.name === 'letter_versions')!.columns.map((c) => c.name)).toContain('addressee')
  })
})
