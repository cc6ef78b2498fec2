import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, locationOf } from '../support/http'
import { signedInAs } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'
import { seedSignatures, SLUG } from '../support/signatures'
import { sign } from '../support/signing'

// Issue 13: names carrying domain-like text (`secure-login.support`, `evil。com`) passed the URL rule
// and were mailed as written; news emails could load remote images (a tracking pixel reveals IPs).
let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_LOGIN_PER_IP: '1000', RATE_LIMIT_SIGN_PER_IP: '1000' })
})
afterAll(async () => {
  await server?.stop()
})

describe('names a mail client would link', () => {
  it.each([
    ['en', 'Reza secure-login.support', 'Your name cannot contain a web address.'],
    ['fa', 'رضا evil。com', 'نام شما نمی‌تواند'],
    ['fr', 'Claire verify.account-login.click', 'Votre nom ne peut pas contenir'],
  ])('refuses %s %s with a clear message, on the route and the direct path alike, storing nothing', async (lang, name, message) => {
    const { res, form } = await sign(server, { name }, new Client(server.url), lang)
    expect(res.status).toBe(400)
    expect(await res.text()).toContain(message)
    const stored = await server.db.selectFrom('signatures').select('id').where('email_hash', '=', server.vault.emailHash(form.email)).execute()
    expect(stored).toEqual([])
  })

  it('still takes a name with initials or a dot between names', async () => {
    for (const name of ['J. R. R. Tolkien', 'Anna.Maria Rossi']) expect((await sign(server, { name })).res.status).toBe(303)
  })
})

describe('news emails', () => {
  it('carry no image of any origin, only its description', async () => {
    await seedSignatures(server, [{ email: 'reader@images.example', newsOptIn: true }])
    const { client } = await signedInAs(server, 'organiser')
    const body = 'Read on. ![a pixel](https://tracker.example/p.gif?u=1) and ![our logo](/logo.png) and <img src="https://tracker.example/2.gif">'
    const created = await client.post(`/admin/campaigns/${SLUG}/updates`, { locale: 'en', subject: 'With images', body })
    expect(created.status).toBe(303)
    const page = locationOf(created)
    const preview = await (await client.get(`${page}/preview.html?locale=en`)).text()
    expect(preview).not.toMatch(/<img\b/i)
    expect((await client.post(page, { intent: 'send' })).status).toBe(303)
    const [mail] = (await server.resend.waitFor((all) => all.some((e) => e.to.includes('reader@images.example')))).filter((e) => e.to.includes('reader@images.example'))
    expect(mail.html).not.toMatch(/<img\b/i)
    expect(mail.html).not.toContain('tracker.example/p.gif')
    expect(mail.html).toContain('[a pixel]')
    expect(mail.html).toContain('[our logo]')
  })
})
