import { randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { signWebhook } from '../../app/infra/webhook-signature.server'
import { freshDatabaseUrl, testEngine, type FreshDatabase } from '../support/database'
import { FakeResend, linksIn } from '../support/fake-resend'
import { Client, locationOf } from '../support/http'
import { signedInAs } from '../support/organisers'
import { localLink, startTestServer, testSecrets, type TestServer } from '../support/server'
import { seedSignatures, SLUG } from '../support/signatures'

// Organisers' tools for news (issue 15, item 5; ADRs 109, 110): a test send to oneself, a schedule
// the news jobs honour (on both engines, and with several processes on PostgreSQL), and the figures.
const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('base64')}`
const updatesUrl = `/admin/campaigns/${SLUG}/updates`

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('condition not met in time')
}

async function newUpdate(client: Client, subject: string) {
  const created = await client.post(updatesUrl, { locale: 'en', subject, body: `Body of **${subject}**.` })
  expect(created.status).toBe(303)
  const page = locationOf(created)
  return { page, id: page.split('/').at(-1)! }
}

/** The datetime-local value (UTC) `ms` from now. */
const utcIn = (ms: number) => new Date(Date.now() + ms).toISOString().slice(0, 16)

/** Makes a scheduled update due now, as the passing of time would (the schedule form takes only future times). */
async function makeDue(server: TestServer, id: string) {
  await server.db.updateTable('news_updates').set({ scheduled_for: Date.now() - 1 }).where('id', '=', id).where('status', '=', 'scheduled').execute()
}

describe('news tools on one server', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_LOGIN_PER_IP: '1000', RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET })
    await seedSignatures(server, [
      ...Array.from({ length: 12 }, (_, i) => ({ email: `tools${i}@news.example`, newsOptIn: true })),
      { email: 'quiet@news.example', newsOptIn: false },
    ])
  })
  afterAll(async () => {
    await server?.stop()
  })
  const toSigners = () => server.resend.emails.filter((e) => e.to[0].endsWith('@news.example'))

  it('sends a test to the signed-in organiser only, marked as a test, counted nowhere, leaving the update a draft', async () => {
    const { client, email } = await signedInAs(server, 'organiser')
    const { page, id } = await newUpdate(client, 'Test me first')
    const before = toSigners().length
    const res = await client.post(page, { intent: 'test', locale: 'en', to: 'someone-else@example.org' })
    expect(res.status).toBe(303)
    expect(locationOf(res)).toBe(`${page}?tested=en`)
    const [mail] = (await server.resend.waitFor((all) => all.some((e) => e.to.includes(email)))).filter((e) => e.to.includes(email))
    expect(mail.subject).toBe('[Test] Test me first')
    expect(mail.html).toContain('Test send: only you received this message.')
    expect(mail.html).toContain('<strong>Test me first</strong>')
    // No signer's links: nothing in it can unsubscribe or withdraw anyone.
    expect(linksIn(mail.html).filter((l) => /\/s\/(withdraw|unsubscribe)\/(?!test\b)/.test(l))).toEqual([])
    expect(server.resend.emails.some((e) => e.to.includes('someone-else@example.org'))).toBe(false)
    expect(toSigners().length).toBe(before)
    const row = await server.db.selectFrom('news_updates').select(['status', 'queued_count', 'test_sent_at']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.status).toBe('draft')
    expect(row.queued_count).toBe(0)
    expect(Number(row.test_sent_at)).toBeGreaterThan(0)
    expect(await server.db.selectFrom('outbox').select('id').where('news_update_id', '=', id).execute()).toEqual([])
    const shown = await (await client.get(`${page}?tested=en`)).text()
    expect(shown).toContain(`A test in English is on its way to ${email}`)
    expect(shown).toContain('Send to 12 signers')
    const audited = await server.db.selectFrom('audit_log').select('action').where('target', '=', id).execute()
    expect(audited.map((a) => a.action)).toContain('update.test')
  })

  it('refuses a test send or a schedule from a viewer with the page that names the organiser role', async () => {
    const { client: organiser } = await signedInAs(server, 'organiser')
    const { page } = await newUpdate(organiser, 'Not for viewers')
    const { client } = await signedInAs(server, 'viewer')
    const forms: Record<string, string>[] = [{ intent: 'test', locale: 'en' }, { intent: 'schedule', sendAt: utcIn(3600_000) }]
    for (const form of forms) {
      const res = await client.post(page, form)
      expect(res.status).toBe(403)
      const html = await res.text()
      expect(html).toContain('You need the organiser role')
      expect(html).toContain('Your account has the viewer role')
      expect(html).not.toContain('<h1>Something went wrong')
    }
  })

  it('refuses a schedule in the past, too far ahead or malformed with a clear 400, and keeps the draft', async () => {
    const { client } = await signedInAs(server, 'organiser')
    const { page, id } = await newUpdate(client, 'Bad times')
    const cases: [string, string][] = [
      [utcIn(-3600_000), 'Choose a time at least a minute from now (UTC).'],
      [utcIn(91 * 24 * 3600_000), 'Choose a time within the next 90 days.'],
      ['tomorrow at noon', 'Give the date and time as YYYY-MM-DD HH:MM (UTC).'],
      ['2030-02-31T10:00', 'Give the date and time as YYYY-MM-DD HH:MM (UTC).'],
    ]
    for (const [sendAt, message] of cases) {
      const res = await client.post(page, { intent: 'schedule', sendAt })
      expect(res.status).toBe(400)
      expect(await res.text()).toContain(message)
    }
    expect((await server.db.selectFrom('news_updates').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('draft')
  })

  it('holds a scheduled update until its time, then the news job sends it once to each signer; a cancelled one stays a draft', async () => {
    const { client } = await signedInAs(server, 'organiser')
    const { page, id } = await newUpdate(client, 'Scheduled news')
    const at = utcIn(2 * 3600_000)
    expect((await client.post(page, { intent: 'schedule', sendAt: at })).status).toBe(303)
    const row = await server.db.selectFrom('news_updates').select(['status', 'scheduled_for']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.status).toBe('scheduled')
    expect(Number(row.scheduled_for)).toBe(Date.parse(`${at}:00Z`))
    expect(await (await client.get(page)).text()).toContain(`This update goes to the signers who asked for news at ${at.replace('T', ' ')} UTC.`)
    expect(await (await client.get(updatesUrl)).text()).toContain(`scheduled for ${at.replace('T', ' ')} UTC`)
    // Scheduled twice is refused; a scheduled update cannot be edited.
    expect((await client.post(page, { intent: 'schedule', sendAt: at })).status).toBe(409)
    expect((await client.post(page, { locale: 'en', subject: 'Changed', body: 'Changed' })).status).toBe(409)

    // A second update, scheduled and then cancelled, must never go.
    const other = await newUpdate(client, 'Cancelled news')
    expect((await client.post(other.page, { intent: 'schedule', sendAt: at })).status).toBe(303)
    expect((await client.post(other.page, { intent: 'unschedule' })).status).toBe(303)
    expect((await server.db.selectFrom('news_updates').select('status').where('id', '=', other.id).executeTakeFirstOrThrow()).status).toBe('draft')

    // Two sweeps of the job (every 5 s) before its time: nothing leaves.
    await new Promise((r) => setTimeout(r, 11_000))
    expect(await server.db.selectFrom('outbox').select('id').where('news_update_id', '=', id).execute()).toEqual([])
    expect(toSigners().filter((e) => e.subject === 'Scheduled news')).toEqual([])

    await makeDue(server, id)
    await makeDue(server, other.id)
    await waitUntil(async () => toSigners().filter((e) => e.subject === 'Scheduled news').length >= 12)
    await new Promise((r) => setTimeout(r, 6_000))
    const got = toSigners().filter((e) => e.subject === 'Scheduled news').map((e) => e.to[0])
    expect(got.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `tools${i}@news.example`).sort())
    expect(toSigners().filter((e) => e.subject === 'Cancelled news')).toEqual([])
    const sent = await server.db.selectFrom('news_updates').select(['status', 'queued_count']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(sent).toEqual({ status: 'queued', queued_count: 12 })
    const audited = await server.db.selectFrom('audit_log').select('action').where('target', 'in', [id, other.id]).execute()
    expect(audited.map((a) => a.action)).toEqual(expect.arrayContaining(['update.schedule', 'update.unschedule']))
  })

  it('shows an update’s figures: queued, sent, delivered and bounced from the webhook, and the unsubscribes it caused', async () => {
    const { client } = await signedInAs(server, 'organiser')
    const { page, id } = await newUpdate(client, 'Counted news')
    expect((await client.post(page, { intent: 'send' })).status).toBe(303)
    await waitUntil(async () => (await (await client.get(page)).text()).includes('data-progress="sent">12<'))
    const rows = await server.db.selectFrom('outbox').select(['provider_id']).where('news_update_id', '=', id).orderBy('id').execute()
    expect(rows).toHaveLength(12)
    const webhook = async (eventId: string, type: string, providerId: string) => {
      const body = JSON.stringify({ type, created_at: new Date().toISOString(), data: { email_id: providerId } })
      const ts = Math.floor(Date.now() / 1000)
      const res = await fetch(`${server.url}/webhooks/resend`, {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'application/json', 'svix-id': eventId, 'svix-timestamp': String(ts), 'svix-signature': signWebhook(WEBHOOK_SECRET, eventId, ts, body) },
      })
      return ((await res.json()) as { outcome: string }).outcome
    }
    for (let i = 0; i < 5; i++) expect(await webhook(`evt_d${i}`, 'email.delivered', rows[i].provider_id!)).toBe('applied')
    expect(await webhook('evt_b0', 'email.bounced', rows[5].provider_id!)).toBe('applied')
    expect(await webhook('evt_c0', 'email.complained', rows[6].provider_id!)).toBe('applied')
    // A complaint after delivery replaces it; a late "delivered" after a bounce does not undo it.
    expect(await webhook('evt_c1', 'email.complained', rows[0].provider_id!)).toBe('applied')
    expect(await webhook('evt_d9', 'email.delivered', rows[5].provider_id!)).toBe('ignored')
    expect(await webhook('evt_d0', 'email.delivered', rows[0].provider_id!)).toBe('duplicate')

    // Two signers unsubscribe through this update's link, one of them twice (once counted).
    const mails = toSigners().filter((e) => e.subject === 'Counted news')
    for (const mail of [mails[0], mails[1], mails[1]]) {
      const link = linksIn(mail.html).find((l) => l.includes('/s/unsubscribe/'))!
      const url = new URL(localLink(server, link))
      const res = await new Client(server.url).post(url.pathname + url.search, { 'List-Unsubscribe': 'One-Click' })
      expect(res.status).toBeLessThan(400)
    }

    const html = await (await client.get(page)).text()
    const figure = (name: string) => Number(new RegExp(`data-progress="${name}">(\\d+)<`).exec(html)?.[1])
    expect(figure('queued')).toBe(12)
    expect(figure('sent')).toBe(12)
    expect(figure('failed')).toBe(0)
    expect(figure('delivered')).toBe(4)
    expect(figure('bounced')).toBe(1)
    expect(figure('complained')).toBe(2)
    expect(figure('unsubscribed')).toBe(2)
    // Another update's unsubscribe link does not count here.
    expect(Number((await server.db.selectFrom('news_updates').select('unsubscribe_count').where('id', '=', id).executeTakeFirstOrThrow()).unsubscribe_count)).toBe(2)
  })
})

describe.skipIf(testEngine !== 'postgres')('a scheduled update with several app processes on one PostgreSQL database', () => {
  let database: FreshDatabase
  let resend: FakeResend
  const servers: TestServer[] = []
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.stop()
    await resend?.stop()
    await database?.drop()
  })

  it('goes out once to each signer, whichever process sees it due first', async () => {
    database = await freshDatabaseUrl()
    resend = await new FakeResend().start()
    const shared = { ...testSecrets(), DATABASE_URL: database.url, RESEND_BASE_URL: resend.url, RESEND_API_KEY: resend.apiKey, RATE_LIMIT_LOGIN_PER_IP: '1000' }
    for (let i = 0; i < 3; i++) servers.push(await startTestServer(shared))
    for (const s of servers) s.resend = resend
    const [a] = servers
    await seedSignatures(a, Array.from({ length: 250 }, (_, i) => ({ email: `replica${i}@news.example`, newsOptIn: true })))
    const { client } = await signedInAs(a, 'organiser')
    const { page, id } = await newUpdate(client, 'Replicated news')
    expect((await client.post(page, { intent: 'schedule', sendAt: utcIn(3600_000) })).status).toBe(303)
    await makeDue(a, id)
    await resend.waitFor((all) => all.filter((e) => e.subject === 'Replicated news').length >= 250, 40_000)
    // Give a second starter, if there were one, time to queue and send again.
    await new Promise((r) => setTimeout(r, 6_000))
    const got = resend.emails.filter((e) => e.subject === 'Replicated news').map((e) => e.to[0])
    expect(got).toHaveLength(250)
    expect(new Set(got).size).toBe(250)
    expect(resend.duplicateKeys()).toEqual([])
    const row = await a.db.selectFrom('news_updates').select(['status', 'queued_count']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'queued', queued_count: 250 })
    expect(Number((await a.db.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).where('news_update_id', '=', id).executeTakeFirstOrThrow()).n)).toBe(250)
  })
})
