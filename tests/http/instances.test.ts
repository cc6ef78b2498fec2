import { afterEach, describe, expect, it } from 'vitest'
import { freshDatabaseUrl, queryDatabase, testEngine, type FreshDatabase } from '../support/database'
import { NO_SENDER_MESSAGE } from '../../app/models/letter.server'
import { FakeResend } from '../support/fake-resend'
import { Client } from '../support/http'
import { startTestServer, testSecrets, type TestServer } from '../support/server'
import { linkIn, nextEmailTo, SLUG, signForm } from '../support/signing'

/**
 * Several app processes on one PostgreSQL database (ADR 065), each a real server here, sharing one
 * provider account (one FakeResend) and one set of secrets, as replicas behind a load balancer do.
 */
describe.skipIf(testEngine !== 'postgres')('several app processes on one PostgreSQL database', () => {
  let database: FreshDatabase
  let resend: FakeResend
  const servers: TestServer[] = []

  async function replicas(n: number, env: Record<string, string> = {}) {
    database = await freshDatabaseUrl()
    resend = await new FakeResend().start()
    const shared = { ...testSecrets(), DATABASE_URL: database.url, RESEND_BASE_URL: resend.url, RESEND_API_KEY: resend.apiKey, ...env }
    for (let i = 0; i < n; i++) servers.push(await startTestServer(shared))
    // Every replica's links and waits go through the one provider.
    for (const s of servers) s.resend = resend
    return servers
  }

  afterEach(async () => {
    for (const s of servers.splice(0)) await s.stop()
    await resend?.stop()
    await database?.drop()
  })

  it('send each message once, whichever process takes it, at the shared provider rate', async () => {
    const [a, b, c] = await replicas(3, { EMAIL_RATE_PER_SECOND: '10', OUTBOX_POLL_MS: '20', RATE_LIMIT_SIGN_PER_IP: '1000' })
    const addresses: string[] = []
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const form = signForm({ email: `replica-${i}@example.org` })
        addresses.push(form.email)
        const res = await new Client([a, b, c][i % 3].url).post(`/campaigns/${SLUG}`, form)
        expect(res.status).toBe(303)
      }),
    )
    await resend.waitFor((emails) => emails.length >= 30, 30_000)
    // Give a second sender, if there were one, time to send again.
    await new Promise((r) => setTimeout(r, 500))
    const accepted = resend.requests.filter((r) => r.status === 200)
    // Confirmations go in batches (ADR 096): no request twice, and every message in exactly one.
    const keys = accepted.map((r) => r.key)
    expect(new Set(keys).size).toBe(keys.length)
    expect(accepted.reduce((n, r) => n + r.size, 0)).toBe(30)
    expect(resend.duplicateKeys()).toEqual([])
    for (const address of addresses) expect(resend.emails.filter((e) => e.to.includes(address))).toHaveLength(1)
    // 10 requests a second across all three (alone, each would send 10 a second): the slots are spaced
    // 100 ms apart, and at most the last second's unused slots are caught up on (the provider counts
    // per second), so n requests take at least (n - 1) x 100 ms less that second. (The shared pacing is
    // also covered, request by request, in app/email-worker.server.test.ts on PostgreSQL.)
    const times = accepted.map((r) => r.at).sort((x, y) => x - y)
    expect(times[times.length - 1] - times[0]).toBeGreaterThanOrEqual((times.length - 1) * 100 - 1000 - 50)
  })

  it('count a client against one limit whichever process it reaches', async () => {
    const [a, b] = await replicas(2, { RATE_LIMIT_SIGN_PER_IP: '3' })
    const statuses: number[] = []
    for (const server of [a, b, a, b]) statuses.push((await new Client(server.url).post(`/campaigns/${SLUG}`, signForm())).status)
    expect(statuses).toEqual([303, 303, 303, 429])
  })

  it("make a network whose sign-ins failed on one process wait on the others", async () => {
    const [a, b] = await replicas(2)
    const from = (server: TestServer) => new Client(server.url, { 'X-Forwarded-For': '203.0.113.77' })
    for (let i = 0; i < 10; i++) expect((await from(a).post('/admin/login', { email: `nobody-${i}@example.org`, password: 'a guess' })).status).toBe(401)
    const res = await from(b).post('/admin/login', { email: 'nobody@example.org', password: 'a guess' })
    expect(res.status).toBe(429)
    expect(await res.text()).toContain('from your network')
  })

  it('count one confirmation once when two processes take the same link at once', async () => {
    const [a, b] = await replicas(2)
    const form = signForm({ email: 'twice@example.org' })
    await new Client(a.url).post(`/campaigns/${SLUG}`, form)
    const link = new URL(linkIn(a, await nextEmailTo(a, form.email), 'confirm'))
    const answers = await Promise.all([a, b, a, b].map((s) => new Client(s.url).get(`${link.pathname}${link.search}`)))
    expect(answers.every((r) => r.status === 303)).toBe(true)
    const [count] = await queryDatabase<{ verified_count: number }>(database.url, 'select verified_count from campaign_counts')
    expect(count.verified_count).toBe(1)
  })

  it('leave a letter job that another process is running alone when a process starts, and resume the one whose process stopped', async () => {
    const [a] = await replicas(1)
    const now = Date.now()
    const [{ id: campaignId }] = await queryDatabase<{ id: string }>(database.url, 'select id from campaigns where slug = ?', SLUG)
    const job = (id: string, heartbeat: number) =>
      a.db
        .insertInto('letter_jobs')
        .values({ id, campaign_id: campaignId, status: 'running', total: 195, done: 3, error: null, created_by: null, started_at: heartbeat, finished_at: null, heartbeat_at: heartbeat })
        .execute()
    await job('alive', now)
    await job('dead', now - 10 * 60_000)
    servers.push(await startTestServer({ DATABASE_URL: database.url, ENCRYPTION_KEY: a.config.secrets.ENCRYPTION_KEY.toString('base64'), HMAC_KEY: a.config.secrets.HMAC_KEY.toString('base64') }))
    const until = Date.now() + 5_000
    type Row = { id: string; status: string; resumes: number; error: string | null }
    let rows: Row[] = []
    while (Date.now() < until) {
      rows = await queryDatabase<Row>(database.url, 'select id, status, resumes, error from letter_jobs order by id')
      if (rows.find((r) => r.id === 'dead')?.status !== 'running') break
      await new Promise((r) => setTimeout(r, 50))
    }
    // The dead one is run again by the new process, under its id; with no sender set, that run ends at once.
    expect(rows).toEqual([
      { id: 'alive', status: 'running', resumes: 0, error: null },
      { id: 'dead', status: 'failed', resumes: 1, error: NO_SENDER_MESSAGE },
    ])
  })
})
