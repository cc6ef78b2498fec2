import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { linksIn } from '../support/fake-resend'
import { Client, locationOf } from '../support/http'
import { PASSWORD, signedInAs } from '../support/organisers'
import { localLink, startTestServer, type TestServer } from '../support/server'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_LOGIN_PER_IP: '1000' })
})
afterAll(async () => {
  await server?.stop()
})

describe('organiser sign-in', () => {
  it('signs in with the right password and reaches the organisers’ pages', async () => {
    const { client } = await signedInAs(server, 'viewer')
    const res = await client.get('/admin')
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('Truth and justice')
  })

  it('sends anonymous visitors to the sign-in page', async () => {
    const res = await new Client(server.url).get('/admin')
    expect(res.status).toBe(302)
    expect(locationOf(res)).toBe('/admin/login?redirectTo=%2Fadmin')
  })

  it('answers a wrong password and an unknown email the same way', async () => {
    const { email } = await signedInAs(server, 'organiser')
    const client = new Client(server.url)
    const wrong = await client.post('/admin/login', { email, password: 'not the password at all' })
    const unknown = await client.post('/admin/login', { email: 'nobody@example.org', password: 'not the password at all' })
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    const message = 'That email and password do not match an active account. After several failed attempts'
    expect(await wrong.text()).toContain(message)
    expect(await unknown.text()).toContain(message)
    expect(wrong.headers.get('Set-Cookie')).toBeNull()
  })

  it('makes a stranger wait after five failures, even with the right password', async () => {
    const { email } = await signedInAs(server, 'organiser')
    const stranger = new Client(server.url, { 'X-Forwarded-For': '198.51.100.20' })
    for (let i = 0; i < 5; i++) await stranger.post('/admin/login', { email, password: 'wrong password number ' + i })
    const right = await stranger.post('/admin/login', { email, password: PASSWORD })
    expect(right.status).toBe(401)
  })

  it('sets an HttpOnly, SameSite=Lax session cookie', async () => {
    const email = `cookie-${Date.now()}@example.org`
    await signedInAs(server, 'viewer', email)
    const res = await new Client(server.url).post('/admin/login', { email, password: PASSWORD })
    const cookie = res.headers.get('Set-Cookie') ?? ''
    expect(cookie).toMatch(/^session=/)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
  })

  it('refuses an organiser POST from another origin with 403', async () => {
    const { client } = await signedInAs(server, 'admin')
    const res = await client.post('/admin/logout', {}, { Origin: 'https://evil.example' })
    expect(res.status).toBe(403)
    expect((await client.get('/admin')).status).toBe(200)
  })

  it('signs out everywhere: every session of that organiser ends', async () => {
    const { client, email } = await signedInAs(server, 'organiser')
    const other = new Client(server.url)
    expect((await other.post('/admin/login', { email, password: PASSWORD })).status).toBe(302)
    expect((await other.get('/admin')).status).toBe(200)
    expect((await client.post('/admin/logout?everywhere=1', {})).status).toBe(302)
    expect((await other.get('/admin')).status).toBe(302)
  })

  it('resets a forgotten password through a one-time emailed link', async () => {
    const { email } = await signedInAs(server, 'organiser')
    const client = new Client(server.url)
    const asked = await client.post('/admin/forgot', { email })
    expect(asked.status).toBe(200)
    const unknown = await client.post('/admin/forgot', { email: 'nobody@example.org' })
    expect(await unknown.text()).toContain('If an organiser account uses that address')
    const [mail] = await server.resend.waitFor((all) => all.some((m) => m.to.includes(email)))
    const link = localLink(server, linksIn(mail.html).find((l) => l.includes('/admin/password/'))!)
    const newPassword = 'a brand new passphrase here'
    const set = await client.post(new URL(link).pathname, { password: newPassword, confirm: newPassword })
    expect(set.status).toBe(302)
    expect((await client.post(new URL(link).pathname, { password: newPassword, confirm: newPassword })).status).toBe(410)
    expect((await client.post('/admin/login', { email, password: newPassword })).status).toBe(302)
    expect((await new Client(server.url).post('/admin/login', { email, password: PASSWORD })).status).toBe(401)
  })
})
