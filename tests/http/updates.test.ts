import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { linksIn } from '../support/fake-resend'
import { Client, locationOf } from '../support/http'
import { signedInAs } from '../support/organisers'
import { localLink, startTestServer, type TestServer } from '../support/server'
import { seedSignatures, SLUG } from '../support/signatures'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_LOGIN_PER_IP: '1000' })
})
afterAll(async () => {
  await server?.stop()
})

const updatesUrl = `/admin/campaigns/${SLUG}/updates`

describe('news to signers', () => {
  it('refuses viewers with 403', async () => {
    const { client } = await signedInAs(server, 'viewer')
    expect((await client.get(updatesUrl)).status).toBe(403)
    expect((await client.post(updatesUrl, { locale: 'en', subject: 'x', body: 'y' })).status).toBe(403)
  })

  it('writes, previews and sends an update in batches to opted-in verified signers only, in their language, with a working unsubscribe link', async () => {
    // 205 English opted-in signers make three batches (100, 100, 5).
    const bulk = Array.from({ length: 205 }, (_, i) => ({ email: `reader${i}@news.example`, newsOptIn: true }))
    await seedSignatures(server, [
      ...bulk,
      { email: 'farsi@news.example', newsOptIn: true, locale: 'fa' },
      { email: 'no-news@news.example', newsOptIn: false },
      { email: 'pending@news.example', newsOptIn: true, status: 'pending' },
      { email: 'invalid@news.example', newsOptIn: true, status: 'invalidated' },
    ])
    const { client } = await signedInAs(server, 'organiser')

    const missing = await client.post(updatesUrl, { locale: 'en', subject: '', body: 'Body' })
    expect(missing.status).toBe(400)
    expect(await missing.text()).toContain('Write a subject.')

    const created = await client.post(updatesUrl, { locale: 'en', subject: 'Letters delivered', body: 'We delivered **120** letters.' })
    expect(created.status).toBe(303)
    const page = locationOf(created)
    const added = await client.post(page, { locale: 'fa', subject: 'نامه‌ها رسید', body: 'ما **۱۲۰** نامه رساندیم.' })
    expect(added.status).toBe(303)

    const preview = await (await client.get(page)).text()
    expect(preview).toContain('Send to 206 signers')
    // Each language is previewed as the real email, in a sandboxed frame.
    expect(preview).toContain(`src="${page}/preview.html?locale=fa"`)
    expect(await (await client.get(`${page}/preview.html?locale=en`)).text()).toContain('<strong>120</strong>')
    const emailPreview = await client.get(`${page}/preview.html?locale=fa`)
    expect(emailPreview.status).toBe(200)
    const faHtml = await emailPreview.text()
    expect(faHtml).toContain('نامه‌ها رسید')
    expect(faHtml).toContain('<strong>۱۲۰</strong>')
    // Its own policy, the only one: inline styles, nothing else, sandboxed, framed by our pages only.
    expect(emailPreview.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'; form-action 'none'; base-uri 'none'; sandbox",
    )

    expect((await client.post(page, { intent: 'send' })).status).toBe(303)
    // A second click sends nothing more.
    expect((await client.post(page, { intent: 'send' })).status).toBe(409)

    const emails = await server.resend.waitFor((all) => all.filter((e) => e.to[0].endsWith('@news.example')).length >= 206, 20_000)
    const news = emails.filter((e) => e.to[0].endsWith('@news.example'))
    expect(news).toHaveLength(206)
    const recipients = news.map((e) => e.to[0])
    for (const other of ['no-news@news.example', 'pending@news.example', 'invalid@news.example']) expect(recipients).not.toContain(other)

    // Sent through the batch endpoint: three calls, each with its own idempotency key.
    const batchCalls = server.resend.requests.filter((r) => r.key?.startsWith('outbox-batch/news/'))
    expect(batchCalls).toHaveLength(3)
    expect(new Set(batchCalls.map((r) => r.key)).size).toBe(3)

    const farsi = news.find((e) => e.to[0] === 'farsi@news.example')!
    expect(farsi.subject).toBe('نامه‌ها رسید')
    expect(news.find((e) => e.to[0] === 'reader0@news.example')!.subject).toBe('Letters delivered')

    // Each message carries its own unsubscribe and withdraw links and the List-Unsubscribe headers.
    const mail = news.find((e) => e.to[0] === 'reader7@news.example')!
    expect(mail.headers['List-Unsubscribe']).toMatch(/^<http:\/\/localhost:3000\/s\/unsubscribe\/m1\.[\w.-]+\?lang=en>$/)
    expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click')
    const links = linksIn(mail.html)
    expect(links.some((l) => l.includes('/s/withdraw/'))).toBe(true)
    const unsubscribe = links.find((l) => l.includes('/s/unsubscribe/'))!
    expect(mail.headers['List-Unsubscribe']).toBe(`<${unsubscribe}>`)
    expect(links.find((l) => l.includes('/s/unsubscribe/'))).not.toBe(linksIn(news.find((e) => e.to[0] === 'reader8@news.example')!.html).find((l) => l.includes('/s/unsubscribe/')))

    // One-click unsubscribe (RFC 8058) turns the news off for that signer.
    const oneClick = await new Client(server.url).post(new URL(localLink(server, unsubscribe)).pathname + new URL(unsubscribe).search, { 'List-Unsubscribe': 'One-Click' })
    expect(oneClick.status).toBeLessThan(400)
    const row = await server.db
      .selectFrom('signatures')
      .select('news_opt_in')
      .where('email_hash', '=', server.vault.emailHash('reader7@news.example'))
      .executeTakeFirstOrThrow()
    expect(row.news_opt_in).toBe(0)

    // The progress view counts what went out.
    await waitUntil(async () => (await (await client.get(page)).text()).includes('data-progress="sent">206<'))
    const progress = await (await client.get(page)).text()
    expect(progress).toMatch(/data-progress="queued">206</)
    expect(progress).toMatch(/data-progress="failed">0</)
    const audited = await server.db.selectFrom('audit_log').select('action').where('action', 'like', 'update.%').execute()
    expect(audited.map((a) => a.action)).toEqual(expect.arrayContaining(['update.create', 'update.edit', 'update.send']))
  })
})

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('condition not met in time')
}
