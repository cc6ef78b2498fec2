import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { linksIn } from '../support/fake-resend'
import { Client } from '../support/http'
import { localLink, startTestServer, type TestServer } from '../support/server'
import { FORMS, PAGES, RESOURCES, SLUG } from './surface'
import { form, raw } from './support'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_REQUESTS_PER_IP_PER_MINUTE: '100000' })
})
afterAll(async () => {
  await server?.stop()
})

const nonceOf = (csp: string) => /'nonce-([^']+)'/.exec(csp)?.[1]

describe.each(PAGES)('the page %s', (page) => {
  it('has an enforced CSP with a fresh nonce on every script, and the other security headers', async () => {
    const [a, b] = [await raw(server.url, 'GET', `${page}?lang=en`), await raw(server.url, 'GET', `${page}?lang=en`)]
    for (const reply of [a, b]) {
      expect(reply.status).toBeLessThan(500)
      const csp = String(reply.headers['content-security-policy'])
      expect(reply.headers['content-security-policy-report-only']).toBeUndefined()
      expect(csp).toContain("default-src 'self'")
      expect(csp).toContain("frame-ancestors 'none'")
      expect(csp).toContain("object-src 'none'")
      expect(csp).toContain("base-uri 'none'")
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/)
      const nonce = nonceOf(csp)!
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/)
      // Every inline or external script and style in the page carries this response's nonce.
      for (const tag of reply.body.match(/<(script|style)\b[^>]*>/g) ?? []) {
        if (/<script\b[^>]*\bsrc=/.test(tag)) expect(tag, tag).toMatch(/src="\/build\//)
        expect(tag, tag).toContain(`nonce="${nonce}"`)
      }
      // Nothing in the page is loaded from another origin.
      for (const [, url] of reply.body.matchAll(/<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)="([^"]+)"/g)) {
        expect(url, url).toMatch(/^(\/(?!\/)|http:\/\/localhost:3000\/)/)
      }
      expect(reply.body).not.toMatch(/\sstyle="/)
      expect(reply.headers['x-content-type-options']).toBe('nosniff')
      expect(reply.headers['x-frame-options']).toBe('SAMEORIGIN')
      expect(reply.headers['referrer-policy']).toBe('same-origin')
      expect(reply.headers['cross-origin-opener-policy']).toBe('same-origin')
      expect(reply.headers['x-powered-by']).toBeUndefined()
    }
    expect(nonceOf(String(a.headers['content-security-policy']))).not.toBe(nonceOf(String(b.headers['content-security-policy'])))
  })
})

describe.each(RESOURCES)('the resource %s', (path) => {
  it('is sent with nosniff and a CSP, and never as HTML a browser would run', async () => {
    const reply = await raw(server.url, 'GET', path)
    expect(reply.headers['x-content-type-options']).toBe('nosniff')
    const csp = String(reply.headers['content-security-policy'])
    if (path.endsWith('/html')) {
      // An email's own HTML (ADR 109): framed by our pages only, sandboxed, no script, nothing from elsewhere.
      expect(csp).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'; form-action 'none'; base-uri 'none'; sandbox")
    } else expect(csp).toContain("frame-ancestors 'none'")
  })
})

describe('the language cookie', () => {
  it('is HttpOnly, SameSite=Lax and not Secure on an http APP_URL', async () => {
    const reply = await raw(server.url, 'GET', `/campaigns/${SLUG}?lang=fa`)
    const cookie = ([] as string[]).concat(reply.headers['set-cookie'] ?? [])[0]
    expect(cookie).toMatch(/^lang=fa;/)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    expect(cookie).not.toMatch(/Secure/i)
  })

  it('is Secure, with HSTS, when APP_URL is https', async () => {
    const https = await startTestServer({ APP_URL: 'https://petition.example.org', RESEND_API_KEY: 're_test_key' })
    try {
      const reply = await raw(https.url, 'GET', `/campaigns/${SLUG}?lang=en`)
      const cookie = ([] as string[]).concat(reply.headers['set-cookie'] ?? [])[0]
      expect(cookie).toMatch(/HttpOnly/i)
      expect(cookie).toMatch(/SameSite=Lax/i)
      expect(cookie).toMatch(/; Secure/i)
      expect(reply.headers['strict-transport-security']).toContain('max-age=31536000')
    } finally {
      await https.stop()
    }
  })
})

describe.each(FORMS)('the $name form posted from another site', (target) => {
  it('is refused with 403 and stores nothing', async () => {
    const email = `cross.${target.name}@example.org`
    const before = await server.db.selectFrom('signatures').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    for (const origin of ['https://evil.example', 'null', 'not a url']) {
      const reply = await raw(server.url, 'POST', target.path, form({ ...target.fields, email }, origin))
      expect(reply.status).toBe(403)
    }
    const after = await server.db.selectFrom('signatures').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
  })
})

describe('limits', () => {
  it('answers 429 with Retry-After and a message once the signing limit is reached', async () => {
    const limited = await startTestServer({ RATE_LIMIT_SIGN_PER_IP: '3' })
    try {
      const client = new Client(limited.url)
      const statuses: number[] = []
      for (let i = 0; i < 5; i++) {
        const reply = await client.post(`/campaigns/${SLUG}?lang=en`, { name: 'Limit Tester', email: `limit.${i}@example.org`, country: 'SE' })
        // Read every body: an unread answer holds its connection open, and the stop waits for it.
        await reply.text()
        statuses.push(reply.status)
      }
      expect(statuses).toEqual([303, 303, 303, 429, 429])
      const reply = await client.post(`/campaigns/${SLUG}?lang=en`, { name: 'Limit Tester', email: 'limit.x@example.org', country: 'SE' })
      const text = await reply.text()
      expect(reply.status).toBe(429)
      expect(Number(reply.headers.get('Retry-After'))).toBeGreaterThan(0)
      expect(text).toContain('Too many requests came from your connection')
    } finally {
      await limited.stop()
    }
  })

  it('answers 429 to any page once the per-address request limit is reached', async () => {
    const limited = await startTestServer({ RATE_LIMIT_REQUESTS_PER_IP_PER_MINUTE: '5' })
    try {
      const statuses: number[] = []
      for (let i = 0; i < 7; i++) statuses.push((await raw(limited.url, 'GET', '/privacy')).status)
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200])
      expect(statuses.slice(5)).toEqual([429, 429])
    } finally {
      await limited.stop()
    }
  })
})

describe('a name with a script in it', () => {
  it('stays text on the page, in the email and in the CSV', async () => {
    const client = new Client(server.url)
    const name = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    const email = 'script.name@example.org'
    expect((await client.post(`/campaigns/${SLUG}?lang=en`, { name, email, country: 'SE', showName: 'on' })).status).toBe(303)
    const [mail] = await server.resend.waitFor((all) => all.some((e) => e.to.includes(email)))
    const message = server.resend.to(email)[0] ?? mail
    expect(message.html).not.toContain('<script>alert(1)')
    expect(message.html).not.toContain('<img src=x')
    expect(message.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    const confirm = linksIn(message.html).find((l) => l.includes('/s/confirm/'))!
    expect((await client.get(localLink(server, confirm))).status).toBe(303)

    const page = await (await client.get(`/campaigns/${SLUG}?lang=en`)).text()
    // The first name shown among recent signers is the text up to the first space.
    expect(page).not.toContain('<script>alert(1)')
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img')
    const csv = await (await client.get(`/campaigns/${SLUG}.csv`)).text()
    expect(csv).not.toContain('<script>')
  })
})
