import { Agent } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { ChildServer } from '../support/child-server'
import { freshDatabaseUrl, queryDatabase, testEngine, type FreshDatabase } from '../support/database'
import { FakeResend } from '../support/fake-resend'
import { confirmAsEmailsArrive, FORM, NO_RATE_LIMITS, runLoad, send, signForm } from '../support/load'
import { RoundRobinProxy } from '../support/proxy'
import { testSecrets } from '../support/server'
import { openDatabase } from '../../db'
import { createOrganiser, setPassword } from '../../app/models/organiser.server'
import { Client, locationOf } from '../support/http'
import { PASSWORD } from '../support/organisers'
import { seedSignatures } from '../support/signatures'

const SLUG = 'justice-for-1988'
const SIGNATURES = 5_000
const CONNECTIONS = 100

const LOAD_ENV = {
  ...NO_RATE_LIMITS,
  EMAIL_RATE_PER_SECOND: '1000',
  OUTBOX_POLL_MS: '50',
  PG_POOL_SIZE: '8',
}

/**
 * Three app processes on one PostgreSQL database behind a round-robin proxy (ADR 065): 5,000
 * signatures over 100 connections, one process killed with SIGKILL twice during the load and started
 * again; every fifth signer confirms as their email arrives.
 */
describe.skipIf(testEngine !== 'postgres')('three processes on one PostgreSQL, one killed twice under load', () => {
  let database: FreshDatabase
  let resend: FakeResend
  let proxy: RoundRobinProxy
  const processes: ChildServer[] = []
  afterEach(async () => {
    for (const p of processes.splice(0)) await p.signal('SIGKILL')
    await proxy?.stop()
    await resend?.stop()
    await database?.drop()
  })

  /** Three processes on a fresh database and one provider, behind the proxy. */
  async function startThree(env: Record<string, string>) {
    database = await freshDatabaseUrl()
    resend = await new FakeResend().start()
    const secrets = testSecrets()
    for (let i = 0; i < 3; i++) {
      const p = new ChildServer(env, secrets)
      p.database = { url: database.url, drop: async () => {} }
      p.resend = resend
      processes.push(p)
      await p.start()
    }
    proxy = await new RoundRobinProxy(() => processes.map((p) => p.url)).start()
    return processes
  }

  it('loses no acknowledged signature, stores and emails each once, and counts match a recount', async () => {
    const [victim] = await startThree(LOAD_ENV)

    const killAt = [1_200 + Math.floor(Math.random() * 1_000), 3_000 + Math.floor(Math.random() * 1_000)]
    const restarts: Promise<unknown>[] = []
    const attempts = new Map<number, number>()
    // Every fifth signer confirms as soon as their email arrives, through the proxy.
    const confirmer = confirmAsEmailsArrive(resend.emails, () => proxy.url)
    const confirmed = confirmer.confirmed

    const signs = await runLoad({
      count: SIGNATURES,
      concurrency: CONNECTIONS,
      retryNetworkErrors: true,
      job: (i, agent) => {
        attempts.set(i, (attempts.get(i) ?? 0) + 1)
        return send(agent, `${proxy.url}/campaigns/${SLUG}?lang=en`, { method: 'POST', body: signForm(i, 'replica'), headers: FORM })
      },
      ok: (r) => r.status === 303 && !!r.location?.includes('/check-email'),
      onAck: (_i, done) => {
        if (killAt.length && done >= killAt[0]) {
          killAt.shift()
          restarts.push(victim.signal('SIGKILL').then(() => victim.start()))
        }
      },
    })
    await Promise.all(restarts)
    expect(victim.starts).toBe(3)
    const until = Date.now() + 150_000
    while ((await queryDatabase<{ n: number }>(database.url, "select count(*) as n from outbox where status = 'pending'"))[0].n > 0) {
      if (Date.now() > until) throw new Error('the outbox did not drain')
      await new Promise((r) => setTimeout(r, 200))
    }
    await confirmer.stop()

    // Answers: only "check your email", or a connection cut while a process died.
    expect([...signs.statuses.keys()].filter((code) => code !== 303 && code !== 0)).toEqual([])
    expect(signs.acknowledged.size).toBe(SIGNATURES)
    const stored = await queryDatabase<{ email_hash: string; status: string }>(database.url, 'select email_hash, status from signatures')
    expect(stored).toHaveLength(SIGNATURES)
    const byHash = new Map(stored.map((r) => [r.email_hash, r.status]))
    const missing = [...signs.acknowledged].filter((i) => !byHash.has(victim.emailHash(`replica.${i}@example.org`)))
    expect(missing).toEqual([])
    expect(confirmed.size).toBeGreaterThanOrEqual(SIGNATURES / 5)
    expect([...confirmed].filter((a) => byHash.get(victim.emailHash(a)) !== 'verified')).toEqual([])

    // Each message accepted once by the provider, and no one emailed twice.
    const outbox = await queryDatabase<{ id: string; status: string }>(database.url, 'select id, status from outbox')
    expect(outbox.filter((r) => r.status !== 'sent')).toEqual([])
    expect(resend.duplicateKeys()).toEqual([])
    expect(resend.conflictingKeys).toEqual([])
    // Confirmations go in batches (ADR 096): one email per row, each under its batch's key and place.
    expect(resend.emails).toHaveLength(outbox.length)
    // A signer whose answer was cut off by a kill signs again and, as designed, gets a fresh link:
    // never more confirmation emails than the times they pressed the button.
    const received = new Map<string, number>()
    for (const e of resend.emails) received.set(e.to[0], (received.get(e.to[0]) ?? 0) + 1)
    expect([...received].filter(([address, n]) => n > (attempts.get(Number(/\.(\d+)@/.exec(address)![1])) ?? 0))).toEqual([])

    const agent = new Agent()
    const counts = JSON.parse((await send(agent, `${proxy.url}/campaigns/${SLUG}.json`)).body) as { signature_count: number }
    agent.destroy()
    const verified = stored.filter((r) => r.status === 'verified').length
    expect(counts.signature_count).toBe(verified)
    const reconcile = await processes[1].cli('reconcile', '--check')
    expect(reconcile.output).toContain('no drift')
  }, 280_000)

  it('sends a news update to 10,000 signers once each, with the process sending it killed twice', async () => {
    const [victim] = await startThree({ ...LOAD_ENV, EMAIL_RATE_PER_SECOND: '5' })

    // 10,000 confirmed signers who asked for news, and a few who did not, as signing would leave them.
    const opened = openDatabase(database.url, { poolSize: 2 })
    const handle = { db: opened.db, vault: victim.vault }
    const NEWS = 10_000
    await seedSignatures(handle, [
      ...Array.from({ length: NEWS }, (_, i) => ({ email: `reader.${i}@news.example`, newsOptIn: true, country: ['IR', 'SE', 'DE', 'CA'][i % 4] })),
      ...Array.from({ length: 50 }, (_, i) => ({ email: `quiet.${i}@news.example`, newsOptIn: false })),
    ])
    const organiser = await createOrganiser(opened.db, victim.vault, { email: 'news-sender@example.org', role: 'organiser', name: 'News sender' })
    await setPassword(opened.db, organiser.id, PASSWORD)
    await opened.db.destroy()

    // The organiser works through the victim, so the process queueing the fan-out is the one killed.
    const client = new Client(victim.url)
    expect((await client.post('/admin/login', { email: 'news-sender@example.org', password: PASSWORD, redirectTo: '/admin' })).status).toBe(302)
    const created = await client.post(`/admin/campaigns/${SLUG}/updates`, { locale: 'en', subject: 'The letters are out', body: 'We delivered the letters.' })
    expect(created.status).toBe(303)
    const page = locationOf(created)
    expect((await client.post(page, { intent: 'send' })).status).toBe(303)

    // Killed once early (the fan-out may still be queueing) and once mid-send, then started again.
    const news = () => resend.emails.filter((e) => e.to[0].endsWith('@news.example'))
    for (const at of [50 + Math.floor(Math.random() * 400), 3_000 + Math.floor(Math.random() * 2_000)]) {
      await resend.waitFor(() => news().length >= at, 120_000)
      await victim.signal('SIGKILL')
      await victim.start()
    }
    expect(victim.starts).toBe(3)
    await resend.waitFor(() => news().length >= NEWS, 200_000)
    // Give a duplicate, if one were coming, time to arrive.
    const until = Date.now() + 60_000
    while ((await queryDatabase<{ n: number }>(database.url, "select count(*) as n from outbox where status = 'pending'"))[0].n > 0) {
      if (Date.now() > until) throw new Error('the outbox did not drain')
      await new Promise((r) => setTimeout(r, 200))
    }
    await new Promise((r) => setTimeout(r, 1_000))

    const received = new Map<string, number>()
    for (const e of news()) received.set(e.to[0], (received.get(e.to[0]) ?? 0) + 1)
    expect(received.size).toBe(NEWS)
    expect([...received].filter(([, n]) => n !== 1)).toEqual([])
    expect([...received.keys()].filter((a) => a.startsWith('quiet.'))).toEqual([])
    expect(resend.duplicateKeys()).toEqual([])
    expect(resend.conflictingKeys).toEqual([])
    const rows = await queryDatabase<{ status: string; n: number }>(database.url, 'select status, count(*) as n from outbox where news_update_id is not null group by status')
    expect(rows.map((r) => ({ status: r.status, n: Number(r.n) }))).toEqual([{ status: 'sent', n: NEWS }])
    const [update] = await queryDatabase<{ status: string; queued_count: number }>(database.url, 'select status, queued_count from news_updates')
    expect(Number(update.queued_count)).toBe(NEWS)
  }, 400_000)
})
