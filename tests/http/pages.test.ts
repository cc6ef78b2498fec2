import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../support/http'
import { startTestServer, type TestServer } from '../support/server'
import { SLUG } from '../support/signing'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => {
  await server?.stop()
})

describe('public pages', () => {
  it('list the open campaigns, the first campaign first', async () => {
    const html = await (await fetch(`${server.url}/`)).text()
    expect(html).toContain(`/campaigns/${SLUG}`)
    expect(html).toContain('Truth and justice for the victims')
  })

  it('show the campaign: story, ask, sources, count and form', async () => {
    const res = await fetch(`${server.url}/campaigns/${SLUG}`)
    expect(res.status).toBe(200)
    const html = await res.text()
    for (const text of ['death commissions', 'independent international investigation', 'Blood-soaked secrets', 'verified signatures', 'name="email"', 'name="country"', 'name="showName"', 'name="newsOptIn"', '/privacy']) {
      expect(html).toContain(text)
    }
    expect(html).not.toMatch(/name="showName"[^>]*checked/)
    expect(html).toMatch(/<meta property="og:title"/)
  })

  it('choose the language from the URL, remember it in a cookie, and read Persian right to left', async () => {
    const client = new Client(server.url)
    const res = await client.get(`/campaigns/${SLUG}?lang=fa`)
    expect(res.headers.get('Set-Cookie')).toMatch(/^lang=fa;.*HttpOnly.*SameSite=Lax/i)
    const html = await res.text()
    expect(html).toMatch(/<html lang="fa" dir="rtl">/)
    expect(html).toContain('حقیقت و عدالت')
    const next = await (await client.get('/privacy')).text()
    expect(next).toMatch(/<html lang="fa" dir="rtl">/)
    const accept = await (await fetch(`${server.url}/`, { headers: { 'Accept-Language': 'fa-IR,fa;q=0.9' } })).text()
    expect(accept).toMatch(/<html lang="fa" dir="rtl">/)
  })

  it('say what is kept, why and for how long', async () => {
    const html = await (await fetch(`${server.url}/privacy`)).text()
    expect(html).toContain('Unconfirmed signatures are deleted after 14 days')
  })

  it('answer 404 in the reader’s language for unknown addresses', async () => {
    const res = await fetch(`${server.url}/no/such/page?lang=fa`)
    expect(res.status).toBe(404)
    expect(await res.text()).toContain('صفحه پیدا نشد')
  })

  it('set a nonce-based CSP and the other security headers on every page', async () => {
    for (const path of ['/', `/campaigns/${SLUG}`, '/privacy', '/no/such/page']) {
      const res = await fetch(`${server.url}${path}`)
      const csp = res.headers.get('Content-Security-Policy') ?? ''
      expect(csp).toMatch(/default-src 'self'/)
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1]
      expect(nonce).toBeTruthy()
      const html = await res.text()
      for (const [, attrs] of html.matchAll(/<script([^>]*)>/g)) expect(attrs).toContain(`nonce="${nonce}"`)
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
      expect(csp).toMatch(/frame-ancestors 'none'/)
      expect(res.headers.get('Referrer-Policy')).toBe('same-origin')
      // Nothing is loaded from another origin: scripts, images, frames, styles, preloads, icons.
      expect(html).not.toMatch(/<(script|img|iframe|source|video|audio)[^>]+src="(https?:)?\/\//)
      expect(html).not.toMatch(/<link[^>]+rel="(stylesheet|modulepreload|preload|icon|prefetch)"[^>]+href="(https?:)?\/\//)
    }
  })
})

describe('the dev mailbox', () => {
  it('shows mail on a loopback APP_URL', async () => {
    expect((await fetch(`${server.url}/dev/mailbox`)).status).toBe(200)
  })

  it('does not exist on a public APP_URL', async () => {
    const pub = await startTestServer({ APP_URL: 'https://petition.example.org' })
    try {
      expect((await fetch(`${pub.url}/dev/mailbox`)).status).toBe(404)
    } finally {
      await pub.stop()
    }
  })

  it('receives the mail when no Resend key is set', async () => {
    const dev = await startTestServer({ RESEND_API_KEY: '' })
    try {
      expect(dev.config.email.mode).toBe('dev-mailbox')
      const res = await new Client(dev.url).post(`/campaigns/${SLUG}?lang=en`, { name: 'Dev Mail', email: 'dev@example.org', country: 'CA' })
      expect(res.status).toBe(303)
      let list = ''
      // Until the message is listed (the subject alone would match the page's own messages, which
      // carry every email subject for hydration), up to 20 s on a loaded machine.
      for (let i = 0; i < 400 && !list.includes('dev@example.org'); i++) {
        await new Promise((r) => setTimeout(r, 50))
        list = await (await fetch(`${dev.url}/dev/mailbox`)).text()
      }
      expect(list).toContain('dev@example.org')
      const id = /href="\/dev\/mailbox\/(\d+)"/.exec(list)![1]
      const message = await (await fetch(`${dev.url}/dev/mailbox/${id}`)).text()
      expect(message).toMatch(/\/s\/confirm\/[A-Za-z0-9_-]{43}/)
      expect(dev.resend.emails).toHaveLength(0)
    } finally {
      await dev.stop()
    }
  })
})
