import type { Browser, Page } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { saveLeadImage } from '../../app/models/lead-image.server'
import type { TestServer } from '../support/server'
import { launchChromium, openPage, SLUG, startBrowserTestServer, type WatchedPage } from './harness'

// Issue 15: on a phone the way to sign is in the first screen, and a refused submission without
// JavaScript opens at its error summary, with the title saying so.
let server: TestServer
let chromium: Awaited<ReturnType<typeof launchChromium>>
let browser: Browser
let opened: WatchedPage[] = []

beforeAll(async () => {
  ;[server, chromium] = await Promise.all([startBrowserTestServer(), launchChromium()])
  browser = chromium.browser
  // A tall lead image (ADR 114): the way to sign must stay in the first screen above it.
  const campaign = await server.db.selectFrom('campaigns').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()
  const picture = await sharp({ create: { width: 1200, height: 1600, channels: 3, background: '#335' } }).jpeg().toBuffer()
  await saveLeadImage(server.db, campaign.id, { en: 'A vigil for the victims of 1988', fa: 'مراسم یادبود قربانیان ۱۳۶۷' }, picture)
})
afterAll(async () => {
  await chromium?.close()
  await server?.stop()
})
afterEach(async () => {
  const pages = opened
  opened = []
  for (const p of pages) {
    expect(p.foreignRequests()).toEqual([])
    expect(p.problems).toEqual([])
    await p.close()
  }
})

async function open(options: Parameters<typeof openPage>[2] = {}) {
  const watched = await openPage(browser, server, options)
  opened.push(watched)
  return watched
}

const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
] as const
const CASES = VIEWPORTS.flatMap((v) => (['en', 'fa', 'ar'] as const).map((lang) => ({ ...v, lang })))
const ERROR_PREFIX = { en: 'Error: ', fa: 'خطا: ', ar: 'خطأ: ' } as const

/** Whether the element's whole box lies inside the first screen (the page not scrolled). */
async function inFirstScreen(page: Page, selector: string) {
  return page.evaluate((sel) => {
    const box = document.querySelector(sel)!.getBoundingClientRect()
    return { inside: scrollY === 0 && box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.right <= innerWidth, box: JSON.stringify(box) }
  }, selector)
}

/** Whether the element's top is within the viewport as the page now stands. */
async function inViewport(page: Page, selector: string) {
  return page.evaluate((sel) => {
    const box = document.querySelector(sel)!.getBoundingClientRect()
    // A fraction of a pixel above the top is the browser's rounding of the scroll to the fragment.
    return { inside: box.top > -1 && box.bottom <= innerHeight, box: JSON.stringify(box) }
  }, selector)
}

describe.each(CASES)('the campaign page on a $name ($width×$height) in $lang', ({ width, height, lang }) => {
  it('has the count, the progress bar and the sign button in the first screen', async () => {
    const { page } = await open({ viewport: { width, height }, javaScriptEnabled: false })
    await page.goto(`${server.url}/campaigns/${SLUG}?lang=${lang}`)
    for (const sel of ['.sign-cta .count', '.sign-cta progress', 'a.sign-button']) {
      const { inside, box } = await inFirstScreen(page, sel)
      expect(inside, `${sel} at ${box}`).toBe(true)
    }
    // The story is still there, after them, and so is the lead image, loaded from this origin.
    expect(await page.locator('article.campaign .lead').count()).toBe(1)
    const image = await page.evaluate(() => {
      const img = document.querySelector<HTMLImageElement>('img.lead-image')!
      return { loaded: img.complete && img.naturalWidth > 0, below: img.getBoundingClientRect().top >= document.querySelector('a.sign-button')!.getBoundingClientRect().bottom }
    })
    expect(image).toEqual({ loaded: true, below: true })
    // Without JavaScript the button is a link that takes the reader to the form.
    await page.click('a.sign-button')
    await page.waitForURL(/#sign$/)
    expect((await inViewport(page, 'input[name="name"]')).inside).toBe(true)
  })

  it('opens a refused submission without JavaScript at the error summary, its title saying so', async () => {
    const { page } = await open({ viewport: { width, height }, javaScriptEnabled: false })
    await page.goto(`${server.url}/campaigns/${SLUG}?lang=${lang}`)
    await page.fill('input[name="name"]', 'Someone')
    await page.fill('input[name="email"]', 'not an address')
    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST' && r.status() === 400), page.click('button[type="submit"]')])
    await page.locator('#sign-summary').waitFor()
    // The browser keeps the fragment in view until the page has loaded (the lead image included).
    await page.waitForLoadState('load')
    const { inside, box } = await inViewport(page, '#sign-summary')
    expect(inside, `summary at ${box}`).toBe(true)
    expect(await page.title()).toMatch(new RegExp(`^${ERROR_PREFIX[lang]}`))
  })

  it('with JavaScript, the sign button focuses the first field, and a refused sign focuses the summary', async () => {
    const watched = await open({ viewport: { width, height } })
    const { page } = watched
    await page.goto(`${server.url}/campaigns/${SLUG}?lang=${lang}`)
    await page.locator('input[type="search"]').waitFor()
    await page.click('a.sign-button')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('name')
    // A name only the server refuses (it reads as an address a mail client would link), so the
    // refusal comes back from the action without a page load.
    await page.fill('input[name="name"]', 'Someone 10.1.2.3')
    await page.fill('input[name="email"]', 'someone@example.org')
    await page.selectOption('select[name="country"]', 'SE')
    await page.click('button[type="submit"]')
    await page.locator('#sign-summary').waitFor()
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('sign-summary')
    await expect.poll(() => page.title()).toMatch(new RegExp(`^${ERROR_PREFIX[lang]}`))
    // The refusal's own fetch is logged by Chromium as a failed load; it is the answer expected here.
    const refused = watched.problems.filter((p) => p.includes('status of 400'))
    expect(refused).toHaveLength(1)
    watched.problems.splice(watched.problems.indexOf(refused[0]), 1)
  })
})
