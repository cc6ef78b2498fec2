import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FakeResend } from '../tests/support/fake-resend'
import { type DB } from './db.server'
import { enqueueEmail } from './email.server'
import { backoffMs, parseRetryAfter, resendSender, startOutboxWorker, type OutboxWorker } from './email-worker.server'
import { createVault } from './utils/vault.server'
import { openTestDatabase } from '../tests/support/database'

const vault = createVault({ encryptionKey: randomBytes(32), hmacKey: randomBytes(32) })
let db: DB
let closeDb: () => Promise<void>
let resend: FakeResend
let worker: OutboxWorker | null = null

beforeEach(async () => {
  ;({ db, close: closeDb } = await openTestDatabase())
  resend = await new FakeResend().start()
})
afterEach(async () => {
  await worker?.stop()
  worker = null
  await resend.stop()
  await closeDb()
})

function start(ratePerSecond = 50, timeoutMs = 2000) {
  const sender = resendSender({ mode: 'resend', resendApiKey: resend.apiKey, resendBaseUrl: resend.url, from: 'Campaign <c@example.org>', ratePerSecond, timeoutMs, pollMs: 20, letterGapMs: 0 })
  worker = startOutboxWorker({ db, vault, sender, ratePerSecond, pollMs: 20 })
  return worker
}

const queue = (to: string) =>
  enqueueEmail(db, vault, {
    template: 'password-reset',
    locale: 'en',
    to,
    props: { url: 'http://localhost:3000/admin/password/x', purpose: 'reset-password' },
  })

const rows = () => db.selectFrom('outbox').selectAll().execute()

describe('the outbox worker', () => {
  it('sends each message once, with its idempotency key, and clears the payload', async () => {
    const id = await queue('a@example.org')
    start()
    await resend.waitFor((e) => e.length === 1)
    await expect.poll(async () => (await rows())[0].status).toBe('sent')
    const [row] = await rows()
    expect(row.payload_enc).toBeNull()
    expect(resend.emails[0].idempotencyKey).toBe(`outbox/${id}`)
    expect(resend.emails[0].text).toContain('Choose a password')
  })

  it('retries a 500 with backoff and sends after recovery', async () => {
    resend.failWith(500, 1)
    await queue('b@example.org')
    start()
    await expect.poll(async () => (await rows())[0].attempts, { timeout: 5000 }).toBe(1)
    const [row] = await rows()
    expect(row.status).toBe('pending')
    expect(row.next_attempt_at).toBeGreaterThan(Date.now() + 1000)
    await db.updateTable('outbox').set({ next_attempt_at: 0 }).execute()
    await resend.waitFor((e) => e.length === 1)
    await expect.poll(async () => (await rows())[0].status).toBe('sent')
  })

  it('waits as long as a 429 asks before sending anything else', async () => {
    resend.rateLimit(1, 1)
    await queue('c@example.org')
    await queue('d@example.org')
    start(5)
    await resend.waitFor((e) => e.length === 2, 8000)
    const limited = resend.requests.find((r) => r.status === 429)!
    // A request already in flight when the 429 came back may land; none may start during the wait.
    const after = resend.requests.filter((r) => r.status === 200 && r.at > limited.at)
    expect(after.length).toBeGreaterThan(0)
    for (const r of after) expect(r.at - limited.at).toBeGreaterThanOrEqual(950)
  })

  it('records a permanent failure without retrying', async () => {
    resend.failWith(422, 1, 'validation_error')
    await queue('e@example.org')
    start()
    await expect.poll(async () => (await rows())[0].status).toBe('failed')
    const [row] = await rows()
    expect(row.payload_enc).toBeNull()
    expect(row.last_error).toContain('422')
    expect(resend.emails).toHaveLength(0)
  })

  it('keeps under the configured rate', async () => {
    for (let i = 0; i < 6; i++) await queue(`r${i}@example.org`)
    start(5)
    await resend.waitFor((e) => e.length === 6, 8000)
    const times = resend.requests.map((r) => r.at)
    expect(times[5] - times[0]).toBeGreaterThanOrEqual(5 * 200 - 50)
  })
})

describe('pacing when the server is busy', () => {
  it('makes up for slots a blocked event loop missed, without going over a provider that counts per second', async () => {
    // A provider with a bucket of 20 requests refilled at 20 a second, like Resend's limit.
    const limited = await new FakeResend({ ratePerSecond: 20 }).start()
    try {
      for (let i = 0; i < 40; i++) await queue(`busy${i}@example.org`)
      const sender = resendSender({ mode: 'resend', resendApiKey: limited.apiKey, resendBaseUrl: limited.url, from: 'Campaign <c@example.org>', ratePerSecond: 20, timeoutMs: 2000, pollMs: 20, letterGapMs: 0 })
      worker = startOutboxWorker({ db, vault, sender, ratePerSecond: 20, pollMs: 20 })
      await limited.waitFor((e) => e.length >= 5, 5000)
      // The event loop is held for 800 ms, as a burst of signing or rendering could hold it.
      const until = Date.now() + 800
      while (Date.now() < until);
      await limited.waitFor((e) => e.length === 40, 8000)
      const times = limited.requests.map((r) => r.at).sort((a, b) => a - b)
      expect(limited.requests.filter((r) => r.status === 429)).toHaveLength(0)
      // 40 sends at 20 a second take about 2 s; the blocked 800 ms are made up rather than lost
      // (without catching up, this took 2.7 s).
      expect(times[times.length - 1] - times[0]).toBeLessThan(2_400)
    } finally {
      await worker?.stop()
      worker = null
      await limited.stop()
    }
  })
})

describe('retry timing', () => {
  it('doubles from 2 s and stops at an hour', () => {
    expect(backoffMs(1)).toBe(2000)
    expect(backoffMs(2)).toBe(4000)
    expect(backoffMs(30)).toBe(3_600_000)
  })
  it('reads Retry-After as seconds or as a date', () => {
    expect(parseRetryAfter('3')).toBe(3000)
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000)
    expect(parseRetryAfter(null)).toBeUndefined()
  })
})
