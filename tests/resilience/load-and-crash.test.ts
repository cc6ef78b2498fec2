import { Agent } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { ChildServer } from '../support/child-server'
import { confirmAsEmailsArrive, FORM, NO_RATE_LIMITS, runLoad, send, signForm } from '../support/load'

const SLUG = 'justice-for-1988'
const SIGNATURES = 5_000
const CONNECTIONS = 100

// All load comes from 127.0.0.1: the per-address limits would (rightly) stop it.
const LOAD_ENV = {
  ...NO_RATE_LIMITS,
  EMAIL_RATE_PER_SECOND: '2000',
  OUTBOX_POLL_MS: '50',
}

let server: ChildServer | null = null
afterEach(async () => {
  await server?.cleanup()
  server = null
})

const isCheckEmail = (r: { status: number; location: string | null }) => r.status === 303 && !!r.location?.includes('/check-email')


/** The signatures stored per email hash: each must be there exactly once. */
async function storedOnce(s: ChildServer, prefix: string, indexes: Iterable<number>) {
  const rows = await s.query<{ email_hash: string; n: number }>('select email_hash, count(*) as n from signatures group by email_hash')
  const byHash = new Map(rows.map((r) => [r.email_hash, r.n]))
  const wrong: string[] = []
  for (const i of indexes) {
    const n = byHash.get(s.emailHash(`${prefix}.${i}@example.org`)) ?? 0
    if (n !== 1) wrong.push(`${prefix}.${i}: stored ${n} times`)
  }
  return wrong
}

async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number) {
  const until = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

async function drainOutbox(s: ChildServer) {
  await waitUntil('the outbox to drain', async () => (await s.query<{ n: number }>("select count(*) as n from outbox where status = 'pending'"))[0].n === 0, 150_000)
}

/** Every queued message was accepted by the provider exactly once. */
async function expectEachEmailOnce(s: ChildServer) {
  const outbox = await s.query<{ id: string; status: string }>('select id, status from outbox')
  expect(outbox.filter((r) => r.status !== 'sent')).toEqual([])
  expect(s.resend.duplicateKeys()).toEqual([])
  // Confirmations go in batches (ADR 096): one email per row, each under its batch's key and place.
  expect(s.resend.emails).toHaveLength(outbox.length)
}

/**
 * One run proves both: 5,000 signatures over 100 connections, the server killed with SIGKILL at
 * three random moments of that load and started again each time, signers confirming as their
 * emails arrive throughout.
 */
describe('under load, killed three times', () => {
  it('keeps every acknowledged signature and confirmation, duplicates nothing, answers no 5xx, sends every email once, and counts match a recount', async () => {
    server = await new ChildServer(LOAD_ENV).start()
    const s = server
    const killAt = Array.from({ length: 3 }, () => 500 + Math.floor(Math.random() * (SIGNATURES - 1_000))).sort((a, b) => a - b)
    const restarts: Promise<unknown>[] = []
    const crash = async () => {
      await s.signal('SIGKILL')
      await s.start()
    }

    // Every fifth signer confirms as soon as their email arrives, crashes or not.
    const confirmer = confirmAsEmailsArrive(s.resend.emails, () => s.url)
    const confirmed = confirmer.confirmed

    const signs = await runLoad({
      count: SIGNATURES,
      concurrency: CONNECTIONS,
      retryNetworkErrors: true,
      job: (i, agent) => send(agent, `${s.url}/campaigns/${SLUG}?lang=en`, { method: 'POST', body: signForm(i, 'crash'), headers: FORM }),
      ok: isCheckEmail,
      onAck: (_i, done) => {
        if (killAt.length && done >= killAt[0]) {
          killAt.shift()
          restarts.push(crash())
        }
      },
    })
    await Promise.all(restarts)
    expect(s.starts).toBe(4)
    await drainOutbox(s)
    await confirmer.stop()

    // Answers: only "check your email", or a refused connection while the server was down.
    expect([...signs.statuses.keys()].filter((code) => code !== 303 && code !== 0)).toEqual([])
    expect(signs.acknowledged.size).toBe(SIGNATURES)
    expect(await storedOnce(s, 'crash', signs.acknowledged)).toEqual([])
    expect((await s.query<{ n: number }>('select count(*) as n from signatures'))[0].n).toBe(SIGNATURES)

    const verifiedHashes = new Set(
      (await s.query<{ email_hash: string }>("select email_hash from signatures where status = 'verified'")).map((r) => r.email_hash),
    )
    const notVerified = [...confirmed].filter((address) => !verifiedHashes.has(s.emailHash(address)))
    expect(confirmed.size).toBeGreaterThanOrEqual(SIGNATURES / 5)
    expect(notVerified).toEqual([])
    await expectEachEmailOnce(s)

    const agent = new Agent()
    const counts = JSON.parse((await send(agent, `${s.url}/campaigns/${SLUG}.json`)).body) as {
      signature_count: number
      signatures_by_country: { signature_count: number }[]
    }
    agent.destroy()
    const verified = (await s.query<{ n: number }>("select count(*) as n from signatures where status = 'verified'"))[0].n
    expect(counts.signature_count).toBe(verified)
    expect(counts.signatures_by_country.reduce((sum, c) => sum + c.signature_count, 0)).toBe(verified)
    const reconcile = await s.cli('reconcile', '--check')
    expect(reconcile.output).toContain('no drift')
    expect(reconcile.code).toBe(0)
  }, 280_000)
})
