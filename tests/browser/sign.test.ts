import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { TestServer } from '../support/server'
import { axeViolations, confirmLinkFor, launchChromium, openPage, SLUG, startBrowserTestServer, verifiedCount, type WatchedPage } from './harness'

let server: TestServer
let chromium: Awaited<ReturnType<typeof launchChromium>>
let browser: Browser
let opened: WatchedPage[] = []

beforeAll(async () => {
  ;[server, chromium] = await Promise.all([startBrowserTestServer(), launchChromium()])
  browser = chromium.browser
})
afterAll(async () => {
  await chromium?.close()
  await server?.stop()
})
// Whatever a test did, nothing may have left our origin and no CSP violation or error may have been logged.
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

const campaignUrl = (lang: string) => `${server.url}/campaigns/${SLUG}?lang=${lang}`
const hydrated = (page: Page) => page.locator('input[type="search"]').waitFor()

/** Presses Tab until `selector` has focus, checking on the way that every focused element shows it. */
async function tabTo(page: Page, selector: string, maxPresses = 60) {
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('Tab')
    const focus = await page.evaluate((sel) => {
      const el = document.activeElement as HTMLElement | null
      if (!el || el === document.body) return { matches: false, visible: true, what: 'body' }
      const style = getComputedStyle(el)
      const visible = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2
      return { matches: el.matches(sel), visible, what: el.outerHTML.slice(0, 80) }
    }, selector)
    expect(focus.visible, `focus is not visible on ${focus.what}`).toBe(true)
    if (focus.matches) return
  }
  throw new Error(`${selector} never received focus`)
}

describe('signing in the browser', () => {
  it('signs and confirms with JavaScript, the form answering without a page load', async () => {
    const { page } = await open()
    await page.goto(campaignUrl('fa'))
    await hydrated(page)
    // A full page load would replace this marker; Remix's client navigation keeps it.
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true))
    await page.fill('input[name="name"]', 'مریم رضایی')
    await page.fill('input[name="email"]', 'maryam.js@example.org')
    // The search narrows the list in the reader's alphabet and picks the match.
    await page.fill('input[type="search"]', 'سوئد')
    expect(await page.locator('select[name="country"]').inputValue()).toBe('SE')
    await page.check('input[name="showName"]')
    await page.click('button[type="submit"]')
    await page.waitForURL(/\/check-email\?lang=fa$/)
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true)
    expect(await page.locator('h1').textContent()).toBe('ایمیل خود را بررسی کنید')

    const before = await verifiedCount(server)
    await page.goto(await confirmLinkFor(server, 'maryam.js@example.org'))
    await page.waitForURL(/\/thanks\?lang=fa$/)
    expect(await verifiedCount(server)).toBe(before + 1)
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl')
  })

  it('signs and confirms with JavaScript disabled, in Arabic, right to left', async () => {
    const { page } = await open({ javaScriptEnabled: false })
    await page.goto(campaignUrl('ar'))
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl')
    expect(await page.locator('input[type="search"]').count()).toBe(0)
    await page.fill('input[name="name"]', 'Layla Haddad')
    await page.fill('input[name="email"]', 'layla.nojs@example.org')
    await page.selectOption('select[name="country"]', 'LB')
    await Promise.all([page.waitForURL(/\/check-email\?lang=ar(#sign)?$/), page.click('button[type="submit"]')])
    expect(await page.locator('h1').textContent()).toBe('تحقّق من بريدك الإلكتروني')

    const before = await verifiedCount(server)
    await page.goto(await confirmLinkFor(server, 'layla.nojs@example.org'))
    await page.waitForURL(/\/thanks\?lang=ar$/)
    expect(await verifiedCount(server)).toBe(before + 1)
    expect(await page.locator('h1').textContent()).toBe('شكرًا لك: توقيعك محتسب')
  })

  it('can be done by keyboard alone, with focus visible at every step', async () => {
    const { page } = await open()
    await page.goto(campaignUrl('en'))
    await hydrated(page)
    await tabTo(page, 'input[name="name"]')
    await page.keyboard.type('Keyboard Signer')
    await tabTo(page, 'input[name="email"]')
    await page.keyboard.type('keys@example.org')
    await tabTo(page, 'input[type="search"]')
    await page.keyboard.type('Swed')
    await tabTo(page, 'select[name="country"]')
    expect(await page.locator('select[name="country"]').inputValue()).toBe('SE')
    await tabTo(page, 'input[name="newsOptIn"]')
    await page.keyboard.press('Space')
    await tabTo(page, 'button[type="submit"]')
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/check-email\?lang=en$/)
    await confirmLinkFor(server, 'keys@example.org')
  })

  it('announces errors with JavaScript: focus goes to the first wrong field, which names its message', async () => {
    const { page } = await open()
    await page.goto(campaignUrl('en'))
    await hydrated(page)
    await page.fill('input[name="email"]', 'not-an-email')
    await tabTo(page, 'button[type="submit"]')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('name')
    const described = await describedBy(page, 'input[name="name"]')
    expect(described).toEqual({ invalid: 'true', text: expect.stringContaining('Please enter your name.'), live: true })
    expect(await describedBy(page, 'input[name="email"]')).toEqual({
      invalid: 'true',
      text: expect.stringContaining('Please enter a valid email address'),
      live: true,
    })
    expect(await axeViolations(page)).toEqual([])
    expect(page.url()).toBe(campaignUrl('en'))
  })

  it('announces errors without JavaScript: an alert summary links to each field, values are kept', async () => {
    const { page } = await open({ javaScriptEnabled: false })
    await page.goto(campaignUrl('fr'))
    await page.fill('input[name="name"]', 'Élise')
    await page.fill('input[name="email"]', 'pas-une-adresse')
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click('button[type="submit"]')])
    expect(response.status()).toBe(400)
    const alert = page.locator('[role="alert"]')
    expect(await alert.textContent()).toContain('Veuillez indiquer une adresse e-mail valide')
    expect(await alert.locator('a').first().getAttribute('href')).toMatch(/^#/)
    expect(await page.locator('input[name="name"]').inputValue()).toBe('Élise')
    expect((await describedBy(page, 'input[name="email"]')).invalid).toBe('true')
  })

  it('serves the no-JavaScript error page without axe violations', async () => {
    // axe needs script in the page, so the app's own modules are refused instead: the form then
    // posts natively and the server's error page is what axe sees.
    const watched = await open()
    const { page } = watched
    await page.route(/\/build\/.*\.js$/, (route) => route.abort())
    await page.goto(campaignUrl('ar'))
    await page.fill('input[name="email"]', 'x')
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click('button[type="submit"]')])
    expect(response.status()).toBe(400)
    await page.locator('[role="alert"]').waitFor()
    expect(await axeViolations(page)).toEqual([])
    watched.problems.splice(0, watched.problems.length, ...watched.problems.filter((p) => !p.includes('net::ERR_FAILED')))
  })
})

/** aria-invalid of a field, and the text and liveness of what it is described by. */
function describedBy(page: Page, selector: string) {
  return page.locator(selector).evaluate((el) => {
    const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean)
    const parts = ids.map((id) => document.getElementById(id)).filter((n): n is HTMLElement => !!n)
    return {
      invalid: el.getAttribute('aria-invalid'),
      text: parts.map((p) => p.textContent ?? '').join(' '),
      live: parts.some((p) => p.closest('[aria-live],[role="alert"],[role="status"]') !== null && (p.textContent ?? '') !== ''),
    }
  })
}
