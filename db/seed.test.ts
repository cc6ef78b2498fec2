import { afterEach, describe, expect, it } from 'vitest'
import { openTestDatabase } from '../tests/support/database'
import type { DB } from './index'
import { FIRST_CAMPAIGN_SLUG, seedFirstCampaign } from './seed'

let close: (() => Promise<void>) | null = null
afterEach(async () => {
  await close?.()
  close = null
})

async function fresh() {
  const opened = await openTestDatabase()
  close = opened.close
  return opened.db
}

const localesOf = async (db: DB) =>
  (await db.selectFrom('campaign_translations').select('locale').orderBy('locale').execute()).map((r) => r.locale)

describe('seeding the first campaign', () => {
  it('writes its copy in all five interface languages', async () => {
    const db = await fresh()
    expect(await seedFirstCampaign(db)).toBe(true)
    expect(await localesOf(db)).toEqual(['ar', 'en', 'es', 'fa', 'fr'])
  })

  it('adds the missing translations to an existing database and keeps what organisers edited', async () => {
    const db = await fresh()
    await seedFirstCampaign(db)
    // A database seeded before French, Spanish and Arabic existed, with an edited English title.
    await db.deleteFrom('campaign_translations').where('locale', 'in', ['fr', 'es', 'ar']).execute()
    await db.updateTable('campaign_translations').set({ title: 'Edited by an organiser' }).where('locale', '=', 'en').execute()

    expect(await seedFirstCampaign(db)).toBe(false)
    expect(await seedFirstCampaign(db)).toBe(false)
    expect(await localesOf(db)).toEqual(['ar', 'en', 'es', 'fa', 'fr'])
    const en = await db.selectFrom('campaign_translations').select('title').where('locale', '=', 'en').executeTakeFirstOrThrow()
    expect(en.title).toBe('Edited by an organiser')
    expect(await db.selectFrom('campaigns').select('id').where('slug', '=', FIRST_CAMPAIGN_SLUG).execute()).toHaveLength(1)
  })
})
