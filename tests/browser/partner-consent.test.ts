import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addPartner } from '../../app/models/partner.server'
import type { TestServer } from '../support/server'
import { axeViolations, confirmLinkFor, launchChromium, openPage, settled, SLUG, startBrowserTestServer } from './harness'

// The partner's consent box (ADR 131) as a Persian reader sees it: right to left, the Latin partner
// name kept whole inside the sentence, unticked, with its privacy notice, and axe finding nothing.

let server: TestServer
let chromium: Awaited<ReturnType<typeof launchChromium>>
let browser: Browser
let ref: string

beforeAll(async () => {
  ;[server, chromium] = await Promise.all([startBrowserTestServer(), launchChromium()])
  browser = chromium.browser
  const campaign = await server.db.selectFrom('campaigns').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()
  ;({ ref } = await addPartner(server.db, server.vault, campaign.id, {
    name: 'Alpha Rights',
    url: 'https://alpha.example',
    privacyUrl: 'https://alpha.example/privacy',
    contactEmail: null,
    logo: null,
  }))
})
afterAll(async () => {
  await chromium?.close()
  await server?.stop()
})

const optInOf = async (email: string) =>
  (await server.db.selectFrom('signatures').select(['partner_opt_in', 'status']).where('email_hash', '=', server.vault.emailHash(email)).executeTakeFirstOrThrow())

describe('the partner box in Persian', () => {
  it('reads right to left, unticked, names the partner and its privacy notice, and passes axe', async () => {
    const watched = await openPage(browser, server, { viewport: { width: 390, height: 844 } })
    try {
      const { page } = watched
      await page.goto(`${server.url}/campaigns/${SLUG}?via=${ref}&lang=fa`)
      await settled(page)
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl')
      const box = page.locator('input[name="partnerOptIn"]')
      expect(await box.isChecked()).toBe(false)
      const label = page.locator('label.check', { has: box })
      expect(await label.textContent()).toBe('Alpha Rights می‌تواند درباره‌ی فعالیت‌هایش به من ایمیل بزند')
      // The box sits at the start of the line, on the right, as the news box beside it does.
      const [boxAt, textAt] = await Promise.all([box.boundingBox(), label.locator('span').boundingBox()])
      expect(boxAt!.x).toBeGreaterThan(textAt!.x)
      // The Latin name is isolated, so the Persian sentence around it keeps its order.
      expect(await label.locator('bdi').textContent()).toBe('Alpha Rights')
      expect(await page.locator('#sign-partner-hint a').getAttribute('href')).toBe('https://alpha.example/privacy')
      expect(await box.getAttribute('aria-describedby')).toBe('sign-partner-hint')
      expect(await axeViolations(page)).toEqual([])
      expect(watched.problems).toEqual([])
      expect(watched.foreignRequests()).toEqual([])
    } finally {
      await watched.close()
    }
  })

  it('stores the tick, with JavaScript and without, and it counts once confirmed', async () => {
    for (const javaScriptEnabled of [true, false]) {
      const watched = await openPage(browser, server, { javaScriptEnabled })
      try {
        const { page } = watched
        const email = `partner.${javaScriptEnabled ? 'js' : 'nojs'}@example.org`
        await page.goto(`${server.url}/campaigns/${SLUG}?via=${ref}&lang=fa`)
        if (javaScriptEnabled) await settled(page)
        await page.fill('input[name="name"]', 'مریم رضایی')
        await page.fill('input[name="email"]', email)
        await page.selectOption('select[name="country"]', 'SE')
        await page.check('input[name="partnerOptIn"]')
        await Promise.all([page.waitForURL(/\/check-email\?lang=fa/), page.click('button[type="submit"]')])
        expect(await optInOf(email)).toEqual({ partner_opt_in: 1, status: 'pending' })
        await page.goto(await confirmLinkFor(server, email))
        await page.waitForURL(/\/thanks\?lang=fa$/)
        expect(await optInOf(email)).toEqual({ partner_opt_in: 1, status: 'verified' })
        expect(watched.problems).toEqual([])
      } finally {
        await watched.close()
      }
    }
  })
})
