import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { seedFirstCampaign } from '../../db/seed'
import { openTestDatabase } from '../../tests/support/database'
import { type DB } from '../db.server'
import { commitmentOf, parseLeaf, signerSecret, tally } from '../transparency/leaf'
import { createVault } from '../infra/vault.server'
import { backfillLog, logCountDrift } from './log-backfill.server'
import { confirmSignature, signCampaign } from './signature.server'
import { countsAt, drainLog, sequenceLog } from './transparency-log.server'
import { turnsDuring } from '../../tests/support/turns'

const vault = createVault({ encryptionKey: randomBytes(32), hmacKey: randomBytes(32) })
const secrets = { ENCRYPTION_KEY: randomBytes(32), HMAC_KEY: randomBytes(32), SESSION_SECRET: randomBytes(32), ED25519_PRIVATE_KEY: randomBytes(32) }
const config = { secrets, appUrl: 'http://localhost:3000' }
let db: DB
let closeDb: () => Promise<void>
let dbUrl: string
let campaign: { id: string; slug: string; status: string }

beforeEach(async () => {
  ;({ db, url: dbUrl, close: closeDb } = await openTestDatabase())
  await seedFirstCampaign(db)
  campaign = await db.selectFrom('campaigns').select(['id', 'slug', 'status']).executeTakeFirstOrThrow()
})
afterEach(async () => {
  await closeDb()
})

/** Signs and confirms; answers the signature's id. */
async function confirmed(email: string, country: string) {
  await signCampaign(
    { db, vault, appUrl: config.appUrl, retentionDays: 14, now: Date.now() },
    { campaign, title: 'T', locale: 'en', ipHash: null, input: { name: 'N', email, country, showName: false, newsOptIn: false } },
  )
  const payloads = (await db.selectFrom('outbox').select('payload_enc').execute()).map((r) => JSON.parse(vault.decrypt(r.payload_enc!)) as { to: string; props: { confirmUrl: string } })
  const token = new URL(payloads.find((p) => p.to === email)!.props.confirmUrl).pathname.split('/').pop()!
  expect((await confirmSignature(db, token)).kind).toBe('confirmed')
  return (await db.selectFrom('signatures').select('id').where('email_hash', '=', vault.emailHash(email)).executeTakeFirstOrThrow()).id
}
const drain = async () => {
  while ((await sequenceLog(db, { config })).taken > 0);
}
const logEntries = () => db.selectFrom('log_entries').select(['idx', 'kind', 'commitment', 'removes', 'data']).where('campaign_id', '=', campaign.id).orderBy('idx').execute()
const commitment = (id: string) => commitmentOf(signerSecret(secrets.HMAC_KEY, id))

describe('the log backfill', () => {
  it('logs each signature confirmed before the log existed once, in the order confirmed, resumably, and a second run appends nothing', async () => {
    // Confirmed before migration 008: the rows exist, the log holds nothing of them.
    const before: { id: string; at: number }[] = []
    const plan: [string, string, number][] = [
      ['a@example.org', 'SE', 5_000],
      ['b@example.org', 'SE', 1_000],
      ['c@example.org', 'IR', 3_000],
      ['d@example.org', 'FR', 3_000],
      ['e@example.org', 'SE', 2_000],
    ]
    for (const [email, country, at] of plan) {
      const id = await confirmed(email, country)
      await db.updateTable('signatures').set({ confirmed_at: at }).where('id', '=', id).execute()
      before.push({ id, at })
    }
    await db.deleteFrom('log_pending').execute()
    // One of them was invalidated then, by code that wrote nothing for the log.
    const invalidated = before[2].id
    await db.updateTable('signatures').set({ status: 'invalidated' }).where('id', '=', invalidated).execute()
    // One confirmed since, already in the log.
    const after = await confirmed('f@example.org', 'FR')
    await drain()
    expect((await logEntries()).map((e) => e.commitment)).toEqual([commitment(after)])
    expect((await logCountDrift(db)).drift.length).toBeGreaterThan(0)

    // A first run stops after one slice of two; the next resumes where it stopped.
    const first = await backfillLog(db, { config, slice: 2, maxSlices: 1 })
    expect(first).toEqual({ queued: 2, scanned: 2, done: false })
    await drain()
    const rest = await backfillLog(db, { config, slice: 2 })
    expect(rest.done).toBe(true)
    await drain()

    const entries = await logEntries()
    const order = [...before].sort((x, y) => x.at - y.at || (x.id < y.id ? -1 : 1))
    const adds = entries.filter((e) => e.kind === 'confirm').map((e) => e.commitment)
    expect(adds).toEqual([commitment(after), ...order.map((s) => commitment(s.id))])
    const removal = entries.find((e) => e.kind === 'invalidate')!
    expect(entries[Number(removal.removes)].commitment).toBe(commitment(invalidated))
    expect(Number(removal.idx)).toBe(Number(removal.removes) + 1)
    expect(entries).toHaveLength(7)
    // Anyone recounting the log finds the database's total; its entries name no country (ADR 129),
    // which the log keeps to itself and recounts as the database does.
    const recount = tally(entries.map((e) => parseLeaf(e.data)))
    expect(recount.total).toBe(5)
    expect(recount.counts.size).toBe(0)
    for (const e of entries) expect(e.data).not.toMatch(/ (SE|IR|FR) /)
    expect(Object.fromEntries(await countsAt(db, campaign.id, entries.length))).toEqual({ SE: 3, IR: 0, FR: 2 })
    expect(await logCountDrift(db)).toEqual({ drift: [], pending: 0 })

    // Run again, and again from scratch (its cursor lost): nothing is appended.
    expect(await backfillLog(db, { config })).toEqual({ queued: 0, scanned: 0, done: true })
    await db.deleteFrom('log_backfill').execute()
    const again = await backfillLog(db, { config, slice: 2 })
    expect(again.queued).toBe(0)
    await drain()
    expect(await logEntries()).toHaveLength(7)
  })

  it('makes npm run reconcile fail while the log counts differently from the database, and pass once backfilled', async () => {
    await confirmed('r1@example.org', 'SE')
    await confirmed('r2@example.org', 'FR')
    await db.deleteFrom('log_pending').execute()
    const env = { PATH: process.env.PATH ?? '', NODE_ENV: 'test' as const, DATABASE_URL: dbUrl, APP_URL: config.appUrl, ...Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, v.toString('base64')])) }
    const reconcile = () => spawnSync(process.execPath, ['build/cli.js', 'reconcile', '--check'], { env, encoding: 'utf8' })
    const before = reconcile()
    expect(before.stdout).toMatch(/log drift: campaign \S+ FR database 1, log 0/)
    expect(before.status).toBe(1)
    await backfillLog(db, { config })
    const waiting = reconcile()
    expect(waiting.stdout).toContain('2 log entries still wait for the sequencer')
    await drain()
    const after = reconcile()
    expect(after.stdout).toContain('The transparency logs count what the database counts.')
    expect(after.status, after.stdout + after.stderr).toBe(0)
  }, 60_000)

  it('stops when its lease is lost, and the next holder carries on', async () => {
    for (const [i, country] of ['SE', 'FR', 'IR'].entries()) await confirmed(`s${i}@example.org`, country)
    await db.deleteFrom('log_pending').execute()
    let slices = 0
    const cut = await backfillLog(db, { config, slice: 1, keepGoing: async () => slices++ < 1 })
    expect(cut).toEqual({ queued: 1, scanned: 1, done: false })
    expect((await backfillLog(db, { config, slice: 1 })).queued).toBe(2)
    await drain()
    expect(await logCountDrift(db)).toEqual({ drift: [], pending: 0 })
  })

  it('drains the log queue in batches with a turn of the event loop between them, so serving goes on meanwhile', async () => {
    for (const [i, country] of ['SE', 'IR', 'FR', 'SE', 'DE'].entries()) await confirmed(`turn${i}@example.org`, country)
    // Five entries in batches of two: three batches, each followed by a turn.
    const { result: batches, turns } = await turnsDuring(() => drainLog(db, { config, batch: 2 }))
    expect(batches).toBe(3)
    expect(turns).toBeGreaterThanOrEqual(3)
    expect((await logEntries()).length).toBe(5)
    // A drain told to stop takes nothing.
    for (const [i, country] of ['SE', 'IR'].entries()) await confirmed(`stop${i}@example.org`, country)
    expect(await drainLog(db, { config }, async () => false)).toBe(0)
    expect((await logEntries()).length).toBe(5)
  })
})
