import type { Browser } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { LOCALES, localeDir } from '../../app/i18n/locales'
import type { TestServer } from '../support/server'
import { axeViolations, launchChromium, openPage, settled, SLUG, startBrowserTestServer, type WatchedPage } from './harness'

let server: TestServer
let chromium: Awaited<ReturnType<typeof launchChromium>>
let browser: Browser

beforeAll(async () => {
  ;[server, chromium] = await Promise.all([startBrowserTestServer(), launchChromium()])
  browser = chromium.browser
})
afterAll(async () => {
  await chromium?.close()
  await server?.stop()
})

/** Every page a supporter can reach, with the status it answers. */
const PUBLIC_PAGES: [name: string, path: string, status: number][] = [
  ['home', '/', 200],
  ['campaign', `/campaigns/${SLUG}`, 200],
  ['privacy', '/privacy', 200],
  ['check your email', `/campaigns/${SLUG}/check-email`, 200],
  ['new link', `/campaigns/${SLUG}/resend`, 200],
  ['thank you', `/campaigns/${SLUG}/thanks`, 200],
  ['bad confirmation link', '/s/confirm/not-a-token', 404],
  ['withdraw (bad link)', '/s/withdraw/not-a-token', 404],
  ['not found', '/no-such-page', 404],
]

describe.each(LOCALES)('public pages in %s', (locale) => {
  // One browser context per language, as a reader moving from page to page would have.
  let watched: WatchedPage
  beforeAll(async () => {
    watched = await openPage(browser, server)
  })
  afterAll(() => watched?.close())
  afterEach(() => {
    watched.requests.length = 0
    watched.problems.length = 0
  })

  it.each(PUBLIC_PAGES)('%s: right language and direction, no axe violation, nothing from elsewhere', async (_name, path, status) => {
    const res = await watched.page.goto(`${server.url}${path}?lang=${locale}`)
    expect(res?.status()).toBe(status)
    const html = watched.page.locator('html')
    expect(await html.getAttribute('lang')).toBe(locale)
    expect(await html.getAttribute('dir')).toBe(localeDir(locale))
    expect(await watched.page.title()).not.toBe('')
    await settled(watched.page)
    expect(await axeViolations(watched.page)).toEqual([])
    expect(watched.foreignRequests()).toEqual([])
    expect(watched.problems).toEqual([])
  })
})

describe('the checks themselves', () => {
  it('see an axe violation, a CSP violation and a request to another origin when there is one', async () => {
    const watched = await openPage(browser, server)
    try {
      await watched.page.goto(`${server.url}/campaigns/${SLUG}?lang=en`)
      // After hydration, or React would replace the nodes added here.
      await watched.page.locator('input[type="search"]').waitFor()
      await watched.page.evaluate(() => {
        const img = document.createElement('img')
        img.src = 'http://192.0.2.1/tracker.png'
        const unlabelled = document.createElement('input')
        document.querySelector('main')!.append(img, unlabelled)
      })
      expect((await axeViolations(watched.page)).map((v) => v.id)).toContain('label')
      await expect.poll(() => watched.problems.join('\n')).toContain('Content Security Policy')
      await watched.page.goto(`http://localhost:${server.port}/privacy?lang=en`)
      expect(watched.foreignRequests()).toContain(`http://localhost:${server.port}/privacy?lang=en`)
    } finally {
      await watched.close()
    }
  })
})
