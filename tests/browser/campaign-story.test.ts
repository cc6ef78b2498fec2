import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUpdate, saveTranslation } from '../../app/models/news.server'
import type { TestServer } from '../support/server'
import { campaignId, seedSignatures } from '../support/signatures'
import { axeViolations, launchChromium, openPage, settled, SLUG, startBrowserTestServer } from './harness'

// Issue 15, item 3: the public map and the public updates, on a phone, in English and Persian.
let server: TestServer
let chromium: Awaited<ReturnType<typeof launchChromium>>
let browser: Browser
let updateId: string

beforeAll(async () => {
  ;[server, chromium] = await Promise.all([startBrowserTestServer(), launchChromium()])
  browser = chromium.browser
  await seedSignatures(server, [
    ...Array.from({ length: 12 }, (_, i) => ({ email: `se${i}@phone.example`, country: 'SE' })),
    ...Array.from({ length: 3 }, (_, i) => ({ email: `lu${i}@phone.example`, country: 'LU' })),
  ])
  const cid = await campaignId(server)
  const organiser = await server.db.selectFrom('organisers').select('id').executeTakeFirst()
  updateId = await createUpdate(server.db, cid, { locale: 'en', subject: 'The letters are delivered', body: 'All **195** letters went out.' }, organiser?.id ?? 'seed')
  await saveTranslation(server.db, cid, updateId, { locale: 'fa', subject: 'نامه‌ها تحویل شد', body: 'همهٔ **۱۹۵** نامه فرستاده شد.' })
  await server.db.updateTable('news_updates').set({ status: 'queued', is_public: 1, send_started_at: Date.now(), queued_at: Date.now() }).where('id', '=', updateId).execute()
})
afterAll(async () => {
  await chromium?.close()
  await server?.stop()
})

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }

describe.each(['en', 'fa'] as const)('on a 390×844 phone in %s', (locale) => {
  it.each([true, false])('the campaign page shows the map within the screen, its legend and the updates (JavaScript %s)', async (javaScriptEnabled) => {
    const watched = await openPage(browser, server, { ...PHONE, javaScriptEnabled })
    try {
      await watched.page.goto(`${server.url}/campaigns/${SLUG}?lang=${locale}`)
      // Without JavaScript there is no hydration to wait for, and axe (a script) is run on the other pass.
      if (javaScriptEnabled) await settled(watched.page)
      expect(await watched.page.locator('html').getAttribute('dir')).toBe(locale === 'fa' ? 'rtl' : 'ltr')
      const map = watched.page.locator('figure.world-map svg.map')
      await map.scrollIntoViewIfNeeded()
      expect(await map.isVisible()).toBe(true)
      const box = (await map.boundingBox())!
      expect(box.width).toBeGreaterThan(300)
      expect(box.x).toBeGreaterThanOrEqual(0)
      expect(box.x + box.width).toBeLessThanOrEqual(390)
      // Nothing makes the page scroll sideways.
      expect(await watched.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
      // Sweden shaded with its figure, Luxembourg only "fewer than 5".
      expect(await watched.page.locator('[data-country="SE"]').getAttribute('class')).not.toBe('shade-0')
      // Its outline comes from the outlines file (ADR 139): drawn at its place, in its shade.
      const sweden = await watched.page.locator('use[data-country="SE"]').evaluate((e) => {
        const b = (e as SVGGraphicsElement).getBBox()
        return { x: b.x, y: b.y, width: b.width, height: b.height, fill: getComputedStyle(e).fill }
      })
      expect(sweden.width).toBeGreaterThan(5)
      expect(sweden.y).toBeLessThan(100)
      expect(sweden.x).toBeGreaterThan(400)
      expect(sweden.fill).not.toBe('rgb(226, 226, 220)')
      const lu = await watched.page.locator('[data-country="LU"] title').first().textContent()
      expect(lu).toContain(locale === 'fa' ? 'کمتر از ۵' : 'fewer than 5')
      expect(await watched.page.locator('ul.legend').isVisible()).toBe(true)
      const update = watched.page.locator(`a[href="/campaigns/${SLUG}/updates/${updateId}"]`)
      expect(await update.textContent()).toBe(locale === 'fa' ? 'نامه‌ها تحویل شد' : 'The letters are delivered')
      if (javaScriptEnabled) expect(await axeViolations(watched.page)).toEqual([])
      expect(watched.foreignRequests()).toEqual([])
      expect(watched.problems).toEqual([])
    } finally {
      await watched.close()
    }
  })

  it.each([true, false])('the updates list reads in the language and direction, and opens an update (JavaScript %s)', async (javaScriptEnabled) => {
    const watched = await openPage(browser, server, { ...PHONE, javaScriptEnabled })
    try {
      await watched.page.goto(`${server.url}/campaigns/${SLUG}/updates?lang=${locale}`)
      if (javaScriptEnabled) await settled(watched.page)
      expect(await watched.page.locator('html').getAttribute('lang')).toBe(locale)
      const article = watched.page.locator('article.update').first()
      expect(await article.getAttribute('dir')).toBe(locale === 'fa' ? 'rtl' : 'ltr')
      expect(await article.locator('strong').textContent()).toBe(locale === 'fa' ? '۱۹۵' : '195')
      if (javaScriptEnabled) expect(await axeViolations(watched.page)).toEqual([])
      await article.locator('h2 a').click()
      await watched.page.waitForURL(new RegExp(`/updates/${updateId}`))
      await expect.poll(() => watched.page.locator('h1').textContent()).toBe(locale === 'fa' ? 'نامه‌ها تحویل شد' : 'The letters are delivered')
      if (javaScriptEnabled) {
        await settled(watched.page)
        expect(await axeViolations(watched.page)).toEqual([])
      }
      expect(watched.foreignRequests()).toEqual([])
      expect(watched.problems).toEqual([])
    } finally {
      await watched.close()
    }
  })
})
