import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestServer } from '../support/server'
import { launchChromium, openPage, SLUG, startBrowserTestServer } from './harness'

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

const SEARCHES: [query: string, code: string][] = [
  ['uk', 'GB'],
  ['usa', 'US'],
  ['britain', 'GB'],
  ['england', 'GB'],
  ['holland', 'NL'],
  ['persia', 'IR'],
  ['آمریکا', 'US'],
  ['انگلیس', 'GB'],
  ['أمريكا', 'US'],
  ['بريطانيا', 'GB'],
  ['germany', 'DE'],
]
const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 1280, height: 900 },
]

describe.each(['en', 'fa', 'ar'])('the sign form’s help in %s', (locale) => {
  it.each(VIEWPORTS)('country search finds the state people mean, first in the list, at $width×$height', async (viewport) => {
    const watched = await openPage(browser, server, { viewport, locale: 'en' })
    try {
      const { page } = watched
      await page.goto(`${server.url}/campaigns/${SLUG}?lang=${locale}`)
      const search = page.locator('input[type="search"]')
      await search.waitFor()
      const select = page.locator('select[name="country"]')
      for (const [query, code] of SEARCHES) {
        await search.fill(query)
        // The best match is chosen and heads the list, after the "pick a country" line.
        await expect.poll(() => select.inputValue()).toBe(code)
        expect([query, await select.locator('option').nth(1).getAttribute('value')]).toEqual([query, code])
      }
      await search.fill('')
      expect(watched.problems).toEqual([])
      expect(watched.foreignRequests()).toEqual([])
    } finally {
      await watched.close()
    }
  })
})

describe.each(['en', 'fa', 'ar'])('the email suggestion in %s', (locale) => {
  it.each(VIEWPORTS)('offers the likely address after a mistyped domain, and takes it in one click, at $width×$height', async (viewport) => {
    const watched = await openPage(browser, server, { viewport })
    try {
      const { page } = watched
      await page.goto(`${server.url}/campaigns/${SLUG}?lang=${locale}`)
      await page.locator('input[type="search"]').waitFor()
      const email = page.locator('input[name="email"]')
      const suggestion = page.locator('[id$="-suggestion"]')
      await email.fill('someone@gmial.com')
      await email.blur()
      const button = suggestion.getByRole('button', { name: 'someone@gmail.com' })
      await button.waitFor()
      // In the reader's language, and read out: the field is described by the suggestion.
      expect(await suggestion.getAttribute('aria-live')).toBe('polite')
      expect(await email.getAttribute('aria-describedby')).toContain(await suggestion.getAttribute('id'))
      expect(await suggestion.textContent()).toMatch(locale === 'en' ? /^Did you mean someone@gmail\.com\?$/ : locale === 'fa' ? /^منظورتان someone@gmail\.com بود؟$/ : /^هل تقصد someone@gmail\.com؟$/)
      await button.click()
      expect(await email.inputValue()).toBe('someone@gmail.com')
      expect(await suggestion.textContent()).toBe('')
      // A right address gets no suggestion.
      await email.fill('someone@gmail.com')
      await email.blur()
      expect(await suggestion.textContent()).toBe('')
      expect(watched.problems).toEqual([])
      expect(watched.foreignRequests()).toEqual([])
    } finally {
      await watched.close()
    }
  })
})

describe('the country preselected from the browser’s language', () => {
  it('with JavaScript: navigator.language fa-IR preselects Iran', async () => {
    // Playwright sets both Accept-Language and navigator.language from the context's locale.
    const watched = await openPage(browser, server, { locale: 'fa-IR', viewport: VIEWPORTS[0] })
    try {
      await watched.page.goto(`${server.url}/campaigns/${SLUG}?lang=fa`)
      await watched.page.locator('input[type="search"]').waitFor()
      expect(await watched.page.locator('select[name="country"]').inputValue()).toBe('IR')
    } finally {
      await watched.close()
    }
  })

  it('with JavaScript, when the header names no region: navigator.language en-GB preselects the United Kingdom', async () => {
    const watched = await openPage(browser, server, { locale: 'en-GB', extraHTTPHeaders: { 'Accept-Language': 'en' }, viewport: VIEWPORTS[1] })
    try {
      await watched.page.goto(`${server.url}/campaigns/${SLUG}?lang=en`)
      await watched.page.locator('input[type="search"]').waitFor()
      await expect.poll(() => watched.page.locator('select[name="country"]').inputValue()).toBe('GB')
      expect(watched.problems).toEqual([])
    } finally {
      await watched.close()
    }
  })

  it('without JavaScript: Accept-Language ar-EG preselects Egypt', async () => {
    const watched = await openPage(browser, server, { locale: 'ar-EG', javaScriptEnabled: false, viewport: VIEWPORTS[0] })
    try {
      await watched.page.goto(`${server.url}/campaigns/${SLUG}?lang=ar`)
      expect(await watched.page.locator('select[name="country"]').inputValue()).toBe('EG')
    } finally {
      await watched.close()
    }
  })
})

describe('sharing before signing', () => {
  it.each(['en', 'fa', 'ar'])('in %s without JavaScript: the first screen links to the share page, which lists the networks', async (locale) => {
    const watched = await openPage(browser, server, { javaScriptEnabled: false, viewport: VIEWPORTS[0] })
    try {
      const { page } = watched
      await page.goto(`${server.url}/campaigns/${SLUG}?lang=${locale}`)
      const link = page.locator('.sign-cta .share-link a')
      const box = await link.boundingBox()
      expect(box && box.y + box.height).toBeLessThanOrEqual(VIEWPORTS[0].height)
      await link.click()
      await page.waitForURL(new RegExp(`/campaigns/${SLUG}/thanks\\?lang=${locale}$`))
      expect(await page.locator('ul.share a').count()).toBeGreaterThan(2)
      // The link shared is the campaign's public address (APP_URL), in the sharer's language.
      expect(await page.locator('#share-url').inputValue()).toMatch(new RegExp(`^https?://[^/]+/campaigns/${SLUG}\\?lang=${locale}$`))
      // No one has signed here: the page invites sharing, it does not thank.
      expect(await page.locator('h1').textContent()).not.toMatch(/thank|merci|gracias|سپاس|شكر/i)
    } finally {
      await watched.close()
    }
  })

  it('with Web Share: the phone’s share sheet gets the campaign’s link and text', async () => {
    const watched = await openPage(browser, server, { viewport: VIEWPORTS[0] })
    try {
      const { page } = watched
      // Headless Chromium on Linux has no share sheet: a recording one stands in, as a phone's would.
      await page.addInitScript(() => {
        const calls: ShareData[] = []
        Object.assign(window, { shareCalls: calls })
        Object.defineProperty(navigator, 'share', { value: (data: ShareData) => (calls.push(data), Promise.reject(new DOMException('closed', 'AbortError'))) })
      })
      await page.goto(`${server.url}/campaigns/${SLUG}/thanks?lang=fa`)
      const button = page.getByRole('button', { name: 'هم‌رسانی…' })
      await button.click()
      const calls = await page.evaluate(() => (window as unknown as { shareCalls: ShareData[] }).shareCalls)
      expect(calls).toHaveLength(1)
      expect(calls[0].url).toBe(await page.locator('#share-url').inputValue())
      expect(calls[0].url).toMatch(/\?lang=fa$/)
      expect(calls[0].text).toBeTruthy()
      // Closing the sheet is no error.
      expect(watched.problems).toEqual([])
    } finally {
      await watched.close()
    }
  })

  it('without Web Share: no share-sheet button', async () => {
    const watched = await openPage(browser, server, { viewport: VIEWPORTS[1] })
    try {
      await watched.page.goto(`${server.url}/campaigns/${SLUG}/thanks?lang=en`)
      await watched.page.getByRole('button', { name: 'Copy link' }).waitFor()
      expect(await watched.page.getByRole('button', { name: 'Share…' }).count()).toBe(0)
    } finally {
      await watched.close()
    }
  })
})
