import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { linksIn } from '../support/fake-resend'
import { Client } from '../support/http'
import { localLink, startTestServer, type TestServer } from '../support/server'

const SLUG = 'justice-for-1988'
const CACHE_MS = 1_500
let server: TestServer

beforeAll(async () => {
  server = await startTestServer({ STATS_CACHE_MS: String(CACHE_MS) })
})
afterAll(async () => {
  await server?.stop()
})

const nonceOf = (res: Response) => /'nonce-([^']+)'/.exec(res.headers.get('Content-Security-Policy') ?? '')?.[1]

async function signAndConfirm(email: string) {
  const client = new Client(server.url)
  await (await client.post(`/campaigns/${SLUG}?lang=en`, { name: 'Cached Reader', email, country: 'SE' })).text()
  const [mail] = await server.resend.waitFor((all) => all.some((e) => e.to.includes(email)))
  const message = server.resend.to(email)[0] ?? mail
  await (await client.get(localLink(server, linksIn(message.html).find((l) => l.includes('/s/confirm/'))!))).text()
}

describe('the short cache of public pages', () => {
  it('allows a cached page’s own inline scripts by their hashes: every reader gets the same bytes, with no nonce', async () => {
    const pages = await Promise.all([1, 2, 3].map(() => fetch(`${server.url}/campaigns/${SLUG}?lang=en`)))
    const bodies = await Promise.all(pages.map((p) => p.text()))
    expect(new Set(bodies).size).toBe(1)
    for (const page of pages) {
      const policy = page.headers.get('Content-Security-Policy') ?? ''
      expect(policy).not.toContain('nonce')
      const scriptSrc = policy.split(';').find((d) => d.trim().startsWith('script-src'))!
      // Each inline script is allowed by the hash of its own text, and by nothing broader.
      const inline = [...bodies[0].matchAll(/<script\b[^>]*>([\s\S]*?)<\/script/g)].map((m) => m[1]).filter(Boolean)
      expect(inline.length).toBeGreaterThan(0)
      for (const text of inline) expect(scriptSrc).toContain(`'sha256-${createHash('sha256').update(text).digest('base64')}'`)
      expect(scriptSrc).not.toMatch(/unsafe-inline|unsafe-eval|\*/)
    }
    expect(bodies[0]).not.toMatch(/nonce=/)
    expect(bodies[0]).not.toMatch(/nonce[A-Za-z0-9_-]{24}/)
    // A page the cache does not keep (a reader with a session cookie) still gets a nonce of its own.
    const own = await fetch(`${server.url}/campaigns/${SLUG}?lang=en`, { headers: { Cookie: 'other=1' } })
    expect(nonceOf(own)).toBeTruthy()
    expect(await own.text()).toContain(`nonce="${nonceOf(own)}"`)
  })

  it('lets counts lag by at most about the cache time, then shows the new count', async () => {
    const before = await (await fetch(`${server.url}/campaigns/${SLUG}.json`)).json()
    const filledAt = performance.now()
    await signAndConfirm('cache.lag@example.org')
    const soon = await (await fetch(`${server.url}/campaigns/${SLUG}.json`)).json()
    // Still the cached copy, if the confirmation came back within the cache time (a loaded machine may be slower).
    if (performance.now() - filledAt < CACHE_MS) expect(soon.signature_count).toBe(before.signature_count)
    // Up to two cache periods: the page cache and the counts cache beneath it.
    await new Promise((r) => setTimeout(r, CACHE_MS * 2 + 200))
    await (await fetch(`${server.url}/campaigns/${SLUG}.json`)).text()
    const later = await (await fetch(`${server.url}/campaigns/${SLUG}.json`)).json()
    expect(later.signature_count).toBe(before.signature_count + 1)
  })

  it('is not frozen by a wall clock stepped back an hour (cache ages are monotonic)', async () => {
    const before = await (await fetch(`${server.url}/campaigns/${SLUG}.json`)).json()
    await signAndConfirm('cache.clock@example.org')
    // Then the machine's clock is stepped back an hour (an NTP correction, a bad VM restore) and goes on from there.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() - 3_600_000, shouldAdvanceTime: true })
    try {
      await new Promise((r) => setTimeout(r, CACHE_MS * 2 + 200))
      await (await fetch(`${server.url}/campaigns/${SLUG}.json`)).text()
      const later = await (await fetch(`${server.url}/campaigns/${SLUG}.json`)).json()
      expect(later.signature_count).toBe(before.signature_count + 1)
    } finally {
      vi.useRealTimers()
    }
  })

  it('keeps languages apart, sets the language cookie on a cached answer, and compresses on request', async () => {
    const en = await fetch(`${server.url}/campaigns/${SLUG}?lang=en`)
    const fa = await fetch(`${server.url}/campaigns/${SLUG}?lang=fa`)
    expect(await en.text()).toContain('lang="en"')
    expect(await fa.text()).toContain('lang="fa"')
    expect(fa.headers.get('Set-Cookie')).toMatch(/^lang=fa;.*HttpOnly.*SameSite=Lax/i)
    const gz = await fetch(`${server.url}/campaigns/${SLUG}?lang=fa`, { headers: { 'Accept-Encoding': 'gzip' } })
    expect(gz.headers.get('Content-Encoding')).toBe('gzip')
    expect(await gz.text()).toContain('lang="fa"')
    // Compressed once per entry, in brotli and gzip: each reader gets the encoding they take best, of the same page.
    const identity = await (await fetch(`${server.url}/campaigns/${SLUG}?lang=fa`, { headers: { 'Accept-Encoding': 'identity' } })).text()
    for (const [accept, expected] of [
      ['gzip, deflate, br', 'br'],
      ['br;q=0, gzip', 'gzip'],
      ['*', 'br'],
      ['gzip;q=0, br;q=0', null],
    ] as const) {
      const reader = await fetch(`${server.url}/campaigns/${SLUG}?lang=fa`, { headers: { 'Accept-Encoding': accept } })
      expect(reader.headers.get('Content-Encoding'), accept).toBe(expected)
      expect(reader.headers.get('Vary')).toMatch(/Accept-Encoding/)
      expect(await reader.text()).toBe(identity)
    }
  })

  // Issue 17: every other test server runs with the cache off. Here it is on, as in production, and each
  // reader's language comes from their cookie or Accept-Language with no ?lang= in the address.
  it('serves each reader the language of their cookie or Accept-Language, from a filled cache', async () => {
    const readers: [headers: Record<string, string>, lang: string][] = [
      [{}, 'en'],
      [{ Cookie: 'lang=fa' }, 'fa'],
      [{ 'Accept-Language': 'ar' }, 'ar'],
      [{ 'Accept-Language': 'es-MX,es;q=0.9,en;q=0.5' }, 'es'],
      [{ Cookie: 'lang=fr' }, 'fr'],
      [{ 'Accept-Language': 'fa-IR' }, 'fa'],
      // The cookie outranks the header, cached or not.
      [{ Cookie: 'lang=es', 'Accept-Language': 'fa' }, 'es'],
      [{ 'Accept-Language': 'de' }, 'en'],
    ]
    const wrong: string[] = []
    // Twice over, each round in a different order: the second reads what the first put in the cache.
    for (const round of [readers, [...readers].reverse(), readers]) {
      for (const [headers, lang] of round) {
        const html = await (await fetch(`${server.url}/campaigns/${SLUG}`, { headers })).text()
        const got = /<html[^>]*\blang="([a-z]+)"/.exec(html)?.[1]
        if (got !== lang) wrong.push(`${JSON.stringify(headers)}: ${got}, want ${lang}`)
      }
    }
    expect(wrong).toEqual([])
  })

  it('never serves a reader with another cookie, a data request or a missing page from the cache', async () => {
    const first = await fetch(`${server.url}/campaigns/${SLUG}?lang=en`, { headers: { Cookie: 'session=abc' } })
    const second = await fetch(`${server.url}/campaigns/${SLUG}?lang=en`, { headers: { Cookie: 'session=abc' } })
    await Promise.all([first.text(), second.text()])
    expect(first.status).toBe(200)
    const missing = await fetch(`${server.url}/campaigns/no-such-campaign`)
    expect(missing.status).toBe(404)
    await missing.text()
    const data = await fetch(`${server.url}/campaigns/${SLUG}?lang=en&_data=routes%2Fcampaigns.%24slug`)
    expect(data.headers.get('Content-Type')).toContain('application/json')
    await data.text()
  })

  it('still applies the per-address request limit to cached answers', async () => {
    const limited = await startTestServer({ STATS_CACHE_MS: '60000', RATE_LIMIT_REQUESTS_PER_IP_PER_MINUTE: '4' })
    try {
      const statuses: number[] = []
      for (let i = 0; i < 6; i++) {
        const res = await fetch(`${limited.url}/campaigns/${SLUG}.json`)
        await res.text()
        statuses.push(res.status)
      }
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429])
    } finally {
      await limited.stop()
    }
  })
})
