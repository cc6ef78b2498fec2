import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../support/server'
import { launchChromium, openPage, settled, SLUG } from './harness'

/**
 * Pages answered from the response cache, as browsers ask for them (gzip): compressed once per
 * entry, with each reader's nonce spliced in (server/response-cache.ts). Chromium must decode the
 * body, and the spliced nonce must match the header's, or hydration is blocked by the CSP.
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

it('decodes cached, pre-compressed pages and runs their scripts under each reader’s nonce', async () => {
  for (const lang of ['fa', 'en', 'fa', 'en']) {
    const watched = await openPage(chromium.browser, server)
    const response = await watched.page.goto(`${server.url}/campaigns/${SLUG}?lang=${lang}`)
    expect(response?.status()).toBe(200)
    expect((await response!.allHeaders())['content-encoding']).toBe('gzip')
    await settled(watched.page)
    expect(await watched.page.locator('html').getAttribute('lang')).toBe(lang)
    expect(await watched.page.locator('h1').first().textContent()).toBeTruthy()
    expect(watched.problems).toEqual([])
    await watched.close()
  }
})
