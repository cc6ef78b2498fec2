import { randomBytes, randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FIRST_CAMPAIGN_SLUG, seedFirstCampaign } from '../../db/seed'
import type { DB } from '../db.server'
import { createVault } from '../infra/vault.server'
import { generateLetter, generateOne, getJob, interruptedJobs, JOB_STALE_MS, jobFailures, latestLetters, LETTER_ATTEMPTS, MAX_STALLED_RESUMES, resumeInterruptedJobs, resumeJob, runLetterJob, seedLetters } from './letter.server'
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

describe('a job a stopped process left running', () => {
  const deps = () => ({ db, vault, config: { appUrl: 'https://petition.example', secrets } })
  const TARGETS = ['FR', 'NO', 'SE']

  /** As a killed process leaves it: 'running', one letter made, its heartbeat last beaten at `heartbeatAt`. */
  async function leftRunning(heartbeatAt: number, columns: { done?: number; resumes?: number; best_done?: number; stalled_resumes?: number } = {}) {
    const id = randomUUID()
    await db
      .insertInto('letter_jobs')
      .values({
        id,
        campaign_id: campaign.id,
        status: 'running',
        total: TARGETS.length,
        done: 1,
        error: null,
        created_by: null,
        started_at: heartbeatAt - 60_000,
        finished_at: null,
        heartbeat_at: heartbeatAt,
        targets_json: JSON.stringify(TARGETS),
        ...columns,
      })
      .execute()
    return id
  }
  const versions = () => db.selectFrom('letter_versions').select(['country_code', 'version', 'created_at']).orderBy('country_code').orderBy('version').execute()

  it('is resumed once its heartbeat is stale, under the same id, and makes every letter from one snapshot', async () => {
    // The stopped run had made France's letter.
    await generateOne(deps(), campaign, 'FR', null)
    const id = await leftRunning(Date.now() - JOB_STALE_MS - 1_000)
    const resumed = await resumeInterruptedJobs(deps())
    expect(resumed.map((r) => r.jobId)).toEqual([id])
    await Promise.all(resumed.map((r) => r.done))
    const row = await getJob(db, id)
    expect(row).toMatchObject({ status: 'done', done: 3, total: 3, error: null, resumes: 1, stalled_resumes: 0, best_done: 1 })
    expect(row!.resumed_at).toEqual(expect.any(Number))
    // Every target of the job has a letter of the resumed run, all of them from its one snapshot.
    const latest = await latestLetters(db, campaign.id)
    expect(latest.map((l) => [l.country_code, l.version])).toEqual([
      ['FR', 2],
      ['NO', 1],
      ['SE', 1],
    ])
    expect(new Set(latest.map((l) => l.created_at)).size).toBe(1)
  })

  it('is left alone while its heartbeat is fresh: another process is running it', async () => {
    const id = await leftRunning(Date.now())
    expect(await resumeInterruptedJobs(deps())).toEqual([])
    expect(await getJob(db, id)).toMatchObject({ status: 'running', done: 1, resumes: 0, resumed_at: null })
    expect(await versions()).toEqual([])
  })

  it('is resumed once when two processes claim it at the same time', async () => {
    const id = await leftRunning(Date.now() - JOB_STALE_MS - 1_000)
    // Both processes found it stale before either claimed it.
    const [a, b] = [await interruptedJobs(db), await interruptedJobs(db)]
    const claims = (await Promise.all([resumeJob(deps(), a[0]), resumeJob(deps(), b[0])])).filter((c) => c !== null)
    expect(claims.map((r) => r.jobId)).toEqual([id])
    await Promise.all(claims.map((r) => r.done))
    expect(await getJob(db, id)).toMatchObject({ status: 'done', done: 3, resumes: 1 })
    expect((await versions()).map((v) => [v.country_code, v.version])).toEqual([
      ['FR', 1],
      ['NO', 1],
      ['SE', 1],
    ])
  })

  it('is given up, with the reason, after resumes in a row that never got further; one that got further goes on', async () => {
    const stale = Date.now() - JOB_STALE_MS - 1_000
    const stuck = await leftRunning(stale, { done: 1, resumes: MAX_STALLED_RESUMES, best_done: 1, stalled_resumes: MAX_STALLED_RESUMES - 1 })
    const moving = await leftRunning(stale, { done: 2, resumes: MAX_STALLED_RESUMES, best_done: 1, stalled_resumes: MAX_STALLED_RESUMES - 1 })
    const resumed = await resumeInterruptedJobs(deps())
    expect(resumed.map((r) => r.jobId)).toEqual([moving])
    await Promise.all(resumed.map((r) => r.done))
    expect(await getJob(db, stuck)).toMatchObject({
      status: 'failed',
      error: `Resumed ${MAX_STALLED_RESUMES} times after a restart, never getting past 1 of 3 letters: one of them may be stopping the server. Start the job again once that is fixed.`,
    })
    expect(await getJob(db, moving)).toMatchObject({ status: 'done', done: 3, resumes: MAX_STALLED_RESUMES + 1, stalled_resumes: 0, best_done: 2 })
  })

  it("stops a run once another process has resumed the job, and leaves the job's row to the new run", async () => {
    const id = await leftRunning(Date.now())
    let release = () => {}
    let entered = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    const inFirstLetter = new Promise<void>((resolve) => (entered = resolve))
    const slow: typeof generateLetter = async (d, o) => {
      entered()
      await held
      return generateLetter(d, o)
    }
    const old = runLetterJob(deps(), id, campaign, null, TARGETS, slow)
    // While the old run is in its first letter, another process takes the job over.
    await inFirstLetter
    await db.updateTable('letter_jobs').set({ resumes: 1, done: 0, heartbeat_at: Date.now() }).where('id', '=', id).execute()
    release()
    await old
    expect(await getJob(db, id)).toMatchObject({ status: 'running', done: 0, resumes: 1 })
    expect((await versions()).map((v) => v.country_code)).toEqual(['FR'])
  })
})
