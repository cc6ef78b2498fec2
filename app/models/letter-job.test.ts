import { randomBytes, randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FIRST_CAMPAIGN_SLUG, seedFirstCampaign } from '../../db/seed'
import type { DB } from '../db.server'
import { createVault } from '../infra/vault.server'
import { generateLetter, jobFailures, LETTER_ATTEMPTS, runLetterJob, seedLetters } from './letter.server'
import { saveLetterSettings } from './letter-settings.server'
import { openTestDatabase } from '../../tests/support/database'

let db: DB
let closeDb: () => Promise<void>
let campaign: { id: string; slug: string }
const secrets = { ENCRYPTION_KEY: randomBytes(32), HMAC_KEY: randomBytes(32), SESSION_SECRET: randomBytes(32), ED25519_PRIVATE_KEY: randomBytes(32) }
const vault = createVault({ encryptionKey: secrets.ENCRYPTION_KEY, hmacKey: secrets.HMAC_KEY })

beforeEach(async () => {
  ;({ db, close: closeDb } = await openTestDatabase())
  await seedFirstCampaign(db)
  await seedLetters(db, FIRST_CAMPAIGN_SLUG)
  campaign = await db.selectFrom('campaigns').select(['id', 'slug']).where('slug', '=', FIRST_CAMPAIGN_SLUG).executeTakeFirstOrThrow()
  await saveLetterSettings(db, campaign.id, { senderName: 'Justice Watch', senderAddress: '1 Example Street\nGeneva', senderEmail: 'letters@justice.example', signerName: 'Maryam Example', signerTitle: 'Director', writeWithoutSigners: true }, null)
})
afterEach(async () => {
  await closeDb()
})

async function job(countries: string[]) {
  const id = randomUUID()
  await db
    .insertInto('letter_jobs')
    .values({ id, campaign_id: campaign.id, status: 'running', total: countries.length, done: 0, error: null, created_by: null, started_at: Date.now(), finished_at: null })
    .execute()
  return id
}

describe('the letter job', () => {
  it('tries a failing letter again, goes on with the next states, and records only those that failed every time', async () => {
    const deps = { db, vault, config: { appUrl: 'https://petition.example', secrets } }
    const tries = new Map<string, number>()
    // France fails once then succeeds; Mexico fails every time; Norway never fails.
    const flaky: typeof generateLetter = async (d, o) => {
      const n = (tries.get(o.country) ?? 0) + 1
      tries.set(o.country, n)
      if (o.country === 'MX' || (o.country === 'FR' && n === 1)) throw new Error(`layout failed for ${o.country}`)
      return generateLetter(d, o)
    }
    const id = await job(['FR', 'MX', 'NO'])
    await runLetterJob(deps, id, campaign, null, ['FR', 'MX', 'NO'], flaky)
    expect(Object.fromEntries(tries)).toEqual({ FR: 2, MX: LETTER_ATTEMPTS, NO: 1 })
    const row = await db.selectFrom('letter_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'failed', done: 2, total: 3, error: '1 of 3 letters could not be made: MX' })
    expect((await jobFailures(db, id)).map((f) => [f.country_code, f.error, f.attempts])).toEqual([['MX', 'layout failed for MX', LETTER_ATTEMPTS]])
    const made = await db.selectFrom('letter_versions').select('country_code').orderBy('country_code').execute()
    expect(made.map((m) => m.country_code)).toEqual(['FR', 'NO'])
  })

  it('ends done, with no failure recorded, when every letter is made', async () => {
    const deps = { db, vault, config: { appUrl: 'https://petition.example', secrets } }
    const id = await job(['NO', 'SE'])
    await runLetterJob(deps, id, campaign, null, ['NO', 'SE'])
    expect(await db.selectFrom('letter_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow()).toMatchObject({ status: 'done', done: 2, error: null })
    expect(await jobFailures(db, id)).toEqual([])
  })
})
