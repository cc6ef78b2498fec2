import { afterEach, describe, expect, it } from 'vitest'
import type { WorkerDecision } from '../../app/email-worker.server'
import { Client } from '../support/http'
import { startTestServer, type TestServer } from '../support/server'

const SLUG = 'justice-for-1988'
let server: TestServer | null = null
afterEach(async () => {
  await server?.stop()
  server = null
})

async function signMany(s: TestServer, prefix: string, count: number) {
  const client = new Client(s.url)
  const addresses: string[] = []
  for (let i = 0; i < count; i++) {
    const email = `${prefix}.${i}@example.org`
    const res = await client.post(`/campaigns/${SLUG}?lang=en`, { name: `Fault Signer ${i}`, email, country: 'NO' })
    expect(res.status).toBe(303)
    addresses.push(email)
  }
  return addresses
}

/** Each address got exactly one email, each under its own key, and the outbox has nothing left. */
async function expectEveryoneMailedOnce(s: TestServer, addresses: string[]) {
  await s.resend.waitFor((all) => addresses.every((a) => all.some((e) => e.to.includes(a))), 60_000)
  // Give a stray second send the chance to show itself before counting.
  await new Promise((r) => setTimeout(r, 300))
  for (const address of addresses) expect(s.resend.to(address)).toHaveLength(1)
  expect(s.resend.duplicateKeys()).toEqual([])
  const left = await s.db.selectFrom('outbox').select(['status']).where('status', '!=', 'sent').execute()
  expect(left).toEqual([])
}

describe('when the email provider fails', () => {
  it('retries 500s with backoff, waiting at least the backoff between attempts of one message, and loses nothing', async () => {
    server = await startTestServer({ EMAIL_RATE_PER_SECOND: '50' })
    server.resend.failWith(500, 3)
    const addresses = await signMany(server, 'five-hundred', 3)
    await expectEveryoneMailedOnce(server, addresses)
    const failed = server.resend.requests.filter((r) => r.status === 500)
    expect(failed).toHaveLength(3)
    for (const failure of failed) {
      const retry = server.resend.requests.find((r) => r.key === failure.key && r.at > failure.at)!
      expect(retry, `a retry of ${failure.key}`).toBeDefined()
      // The first retry comes after backoffMs(1) = 2 s (timer slack aside).
      expect(retry.at - failure.at).toBeGreaterThanOrEqual(1_900)
    }
  }, 60_000)

  it('gives up on a request that hangs past EMAIL_TIMEOUT_MS and sends the message later, once', async () => {
    server = await startTestServer({ EMAIL_RATE_PER_SECOND: '50', EMAIL_TIMEOUT_MS: '400' })
    server.resend.hang(3_000, 2)
    const addresses = await signMany(server, 'hang', 2)
    await expectEveryoneMailedOnce(server, addresses)
    // The fake notes a hung request as unanswered (status 0) once its hang ends: the client had gone.
    await server.resend.waitFor(() => server!.resend.requests.filter((r) => r.status === 0).length === 2, 10_000)
    const rows = await server.db.selectFrom('outbox').select(['attempts', 'status']).execute()
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent'])
    // Each message tried at least twice (the hung try, then the one that went); a machine too loaded to
    // answer within 400 ms may take more tries, never more emails.
    for (const row of rows) expect(row.attempts).toBeGreaterThanOrEqual(2)
  }, 60_000)

  it('honours 429 Retry-After: no request at all until the wait is over, then every message once', async () => {
    server = await startTestServer({ EMAIL_RATE_PER_SECOND: '50' })
    const decisions: WorkerDecision[] = []
    server.worker.observe((d) => decisions.push(d))
    server.resend.rateLimit(2, 3)
    const addresses = await signMany(server, 'limited', 4)
    await expectEveryoneMailedOnce(server, addresses)
    const limited = server.resend.requests.filter((r) => r.status === 429)
    expect(limited.length).toBe(3)
    // What the worker decided, on its own clock, not when a loaded machine let requests out: each 429
    // paused sending for the 2 s it asked, and every slot given after a pause lies beyond its end.
    // (A slot given before the 429 came back was already in flight.)
    const pauses = decisions.flatMap((d, i) => (d.kind === 'pause' ? [{ ...d, i }] : []))
    expect(pauses.length).toBe(3)
    for (const pause of pauses) {
      expect(pause.ms).toBe(2_000)
      const slotsAfter = decisions.slice(pause.i + 1).flatMap((d) => (d.kind === 'send' ? [d.at] : []))
      expect(slotsAfter.length).toBeGreaterThan(0)
      for (const at of slotsAfter) expect(at).toBeGreaterThanOrEqual(pause.until)
      // A slot is told once its time has come, so the last one before the 429 came back is no later
      // than the pause's start: the next one given is at least the whole wait after it.
      const before = decisions.slice(0, pause.i).flatMap((d) => (d.kind === 'send' ? [d.at] : []))
      expect(Math.min(...slotsAfter) - Math.max(...before)).toBeGreaterThanOrEqual(2_000)
    }
  }, 60_000)
})
