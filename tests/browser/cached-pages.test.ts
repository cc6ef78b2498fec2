import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../support/server'
import { launchChromium, openPage, settled, SLUG } from './harness'

/**
 * Pages answered from the response cache, as browsers ask for them: compressed once per entry in
 * brotli and gzip, their inline scripts allowed by hash (server/response-cache.ts, ADR 136). Chromium
 * must decode the body, and each hash must match its script, or hydration is blocked by the CSP.
 */
let server: TestServer
let chromium: Awaited<ReturnType<typeof launchChromium>>
beforeAll(async () => {
  ;[server, chromium] = await Promise.all([startTestServer({ STATS_CACHE_MS: '10000', RATE_LIMIT_REQUESTS_PER_IP_PER_MINUTE: '100000' }), launchChromium()])
})
afterAll(async () => {
  await chromium?.close()
  await server?.stop()
})

it('decodes cached, pre-compressed pages and runs their scripts, allowed by their hashes', async () => {
  for (const lang of ['fa', 'en', 'fa', 'en']) {
    const watched = await openPage(chromium.browser, server)
    const response = await watched.page.goto(`${server.url}/campaigns/${SLUG}?lang=${lang}`)
    expect(response?.status()).toBe(200)
    const headers = await response!.allHeaders()
    expect(headers['content-encoding']).toMatch(/^(br|gzip)$/)
    expect(headers['content-security-policy']).toMatch(/script-src 'self' 'sha256-/)
    // settled() waits for Remix's router on window: the inline scripts ran.
    await settled(watched.page)
    expect(await watched.page.locator('html').getAttribute('lang')).toBe(lang)
    expect(await watched.page.locator('h1').first().textContent()).toBeTruthy()
    expect(watched.problems).toEqual([])
    await watched.close()
  }
})
