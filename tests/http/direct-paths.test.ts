import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client, locationOf } from '../support/http'
import { DIRECT_PATH_SETTINGS, startTestServer, type TestServer } from '../support/server'
import { linkIn, nextEmailTo, SLUG, signForm } from '../support/signing'

// Signs and confirmations that succeed are answered in front of Express and Remix
// (server/direct-paths.ts); these check that the answer is the one Remix would give, and that
// whatever is not a plain success still reaches the routes, once.
// The same assertions with the direct path on and off (ADR 117): it must answer as Remix would.
describe.each(DIRECT_PATH_SETTINGS)('DIRECT_PATHS=%s', (directPaths) => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ DIRECT_PATHS: directPaths })
  })
  afterAll(async () => {
    await server?.stop()
  })

  const stored = (email: string) =>
    server.db.selectFrom('signatures').select(['id', 'status']).where('email_hash', '=', server.vault.emailHash(email.toLowerCase())).execute()

  describe('the direct sign path', () => {
    it('answers a plain form post with the redirect, the security headers and the language cookie', async () => {
      const client = new Client(server.url)
      const form = signForm()
      const res = await client.post(`/campaigns/${SLUG}?lang=fa`, form)
      expect(res.status).toBe(303)
      expect(locationOf(res)).toBe(`/campaigns/${SLUG}/check-email?lang=fa`)
      const csp = res.headers.get('Content-Security-Policy') ?? ''
      expect(csp).toContain("default-src 'self'")
      expect(csp).toContain("frame-ancestors 'none'")
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
      expect(res.headers.get('Referrer-Policy')).toBe('same-origin')
      expect(res.headers.get('Permissions-Policy')).toContain('camera=()')
      expect(res.headers.getSetCookie().join('\n')).toMatch(/lang=fa;.*HttpOnly; SameSite=Lax/)
      expect(await stored(form.email)).toHaveLength(1)
      const email = await nextEmailTo(server, form.email)
      expect(email.subject).toBeTruthy()
    })

    it('answers the page’s own fetch (with JavaScript) the way Remix does: 204 and the address to go to', async () => {
      const client = new Client(server.url)
      const form = signForm()
      const res = await client.post(`/campaigns/${SLUG}?lang=en&_data=${encodeURIComponent('routes/campaigns.$slug')}`, form)
      expect(res.status).toBe(204)
      expect(res.headers.get('X-Remix-Redirect')).toBe(`/campaigns/${SLUG}/check-email?lang=en`)
      expect(res.headers.get('X-Remix-Status')).toBe('303')
      expect(res.headers.get('Location')).toBeNull()
      expect(await stored(form.email)).toHaveLength(1)
    })

    it('hands a refused form to the page, which shows it again with the message and the values kept', async () => {
      const client = new Client(server.url)
      const res = await client.post(`/campaigns/${SLUG}?lang=en`, signForm({ name: 'Kept Name', email: 'not-an-address' }))
      expect(res.status).toBe(400)
      const html = await res.text()
      expect(html).toContain('value="Kept Name"')
      expect(html).toContain('value="not-an-address"')
      expect(await stored('not-an-address')).toHaveLength(0)
    })

    it('stores nothing for a client that leaves halfway through its form, and keeps serving', async () => {
      const { port } = new URL(server.url)
      const body = new URLSearchParams(signForm({ email: 'gone-halfway@example.org' })).toString()
      await new Promise<void>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(
            `POST /campaigns/${SLUG}?lang=en HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
              `Content-Length: ${body.length + 20}\r\n\r\n${body}`,
          )
          setTimeout(() => socket.destroy(), 100)
        })
        socket.on('close', () => resolve())
      })
      const form = signForm()
      expect((await new Client(server.url).post(`/campaigns/${SLUG}?lang=en`, form)).status).toBe(303)
      expect(await stored('gone-halfway@example.org')).toHaveLength(0)
      expect(await stored(form.email)).toHaveLength(1)
    })

    it('leaves to the guards what is not a same-origin urlencoded form', async () => {
      const client = new Client(server.url)
      expect((await client.post(`/campaigns/${SLUG}?lang=en`, signForm(), { Origin: 'https://elsewhere.example' })).status).toBe(403)
      const multipart = new FormData()
      for (const [k, v] of Object.entries(signForm())) multipart.set(k, v)
      expect((await client.request(`/campaigns/${SLUG}?lang=en`, { method: 'POST', body: multipart, headers: { Origin: server.url } })).status).toBe(415)
      expect((await client.post('/campaigns/no-such-campaign?lang=en', signForm())).status).toBe(404)
    })
  })

  describe('requests the direct path hands on', () => {
    it('count once against the sign limit: a refused form and two good ones fit in three, the fourth is limited', async () => {
      const limited = await startTestServer({ RATE_LIMIT_SIGN_PER_IP: '3', DIRECT_PATHS: directPaths })
      try {
        const client = new Client(limited.url)
        expect((await client.post(`/campaigns/${SLUG}?lang=en`, signForm({ email: 'broken' }))).status).toBe(400)
        expect((await client.post(`/campaigns/${SLUG}?lang=en`, signForm())).status).toBe(303)
        expect((await client.post(`/campaigns/${SLUG}?lang=en`, signForm())).status).toBe(303)
        const res = await client.post(`/campaigns/${SLUG}?lang=en`, signForm({ name: 'Fourth' }))
        expect(res.status).toBe(429)
        expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0)
        expect(await res.text()).toContain('value="Fourth"')
      } finally {
        await limited.stop()
      }
    })

    it('count once against the request limit', async () => {
      const limited = await startTestServer({ RATE_LIMIT_REQUESTS_PER_IP_PER_MINUTE: '4', DIRECT_PATHS: directPaths })
      try {
        const client = new Client(limited.url)
        const statuses: number[] = []
        for (let i = 0; i < 5; i++) statuses.push((await client.post(`/campaigns/${SLUG}?lang=en`, signForm({ email: `broken-${i}` }))).status)
        expect(statuses).toEqual([400, 400, 400, 400, 429])
      } finally {
        await limited.stop()
      }
    })
  })

  describe('the direct confirmation path', () => {
    it('confirms, counts, and sends the signer to the thanks page in their language; a second visit finds it confirmed', async () => {
      const client = new Client(server.url)
      const form = signForm({ country: 'NO' })
      await client.post(`/campaigns/${SLUG}?lang=fa`, form)
      const link = linkIn(server, await nextEmailTo(server, form.email), 'confirm')
      expect(link).toContain('lang=fa')
      const visitor = new Client(server.url)
      const res = await visitor.get(link)
      expect(res.status).toBe(303)
      expect(locationOf(res)).toBe(`/campaigns/${SLUG}/thanks?lang=fa`)
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
      expect(res.headers.getSetCookie().join('\n')).toContain('lang=fa')
      expect((await stored(form.email))[0].status).toBe('verified')
      const again = await visitor.get(link)
      expect(again.status).toBe(303)
      expect(locationOf(again)).toBe(`/campaigns/${SLUG}/thanks?lang=fa`)
    })

    it('leaves an unknown link to the page that explains it', async () => {
      const res = await new Client(server.url).get(`/s/confirm/${'x'.repeat(43)}?lang=en`)
      expect(res.status).toBe(404)
      expect(await res.text()).toContain('<h1')
    })
  })
})
