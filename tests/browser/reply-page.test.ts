import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { issueMissionLink } from '../../app/models/response.server'
import type { TestServer } from '../support/server'
import { axeViolations, launchChromium, openPage, settled, SLUG, startBrowserTestServer } from './harness'

let server: TestServer
let chromium: Awaited<ReturnType<typeof launchChromium>>
let browser: Browser
let campaignId: string

beforeAll(async () => {
  ;[server, chromium] = await Promise.all([startBrowserTestServer(), launchChromium()])
  browser = chromium.browser
  campaignId = (await server.db.selectFrom('campaigns').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()).id
})
afterAll(async () => {
  await chromium?.close()
  await server?.stop()
})

// A mission of each language of correspondence (no letter yet: the page speaks the mission's language).
const MISSIONS: [country: string, lang: string][] = [
  ['SA', 'ar'],
  ['FR', 'fr'],
  ['MX', 'es'],
  ['KZ', 'ru'],
  ['CN', 'zh'],
  ['GB', 'en'],
]

describe('a mission’s reply page', () => {
  it.each(MISSIONS)('%s: in %s, on a phone, with no axe violation and nothing from elsewhere', async (country, lang) => {
    const token = await issueMissionLink(server.db, campaignId, country)
    const watched = await openPage(browser, server, { viewport: { width: 375, height: 740 }, isMobile: true })
    try {
      expect((await watched.page.goto(`${server.url}/respond/${country}/${token}`))?.status()).toBe(200)
      const section = watched.page.locator('section.panel')
      expect(await section.getAttribute('lang')).toBe(lang)
      expect(await section.getAttribute('dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr')
      expect(await watched.page.locator('input[name="publish"]').isChecked()).toBe(false)
      await settled(watched.page)
      // Nothing wider than the phone's screen.
      expect(await watched.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
      expect(await axeViolations(watched.page)).toEqual([])
      expect(watched.foreignRequests()).toEqual([])
      expect(watched.problems).toEqual([])
    } finally {
      await watched.close()
    }
  })

  it('replaces the form with a confirmation once the reply is sent, without JavaScript too', async () => {
    const token = await issueMissionLink(server.db, campaignId, 'SA')
    const watched = await openPage(browser, server, { javaScriptEnabled: false })
    try {
      await watched.page.goto(`${server.url}/respond/SA/${token}`)
      await watched.page.locator('textarea').fill('تود البعثة الدائمة أن تؤكد استلام الرسالة.')
      await watched.page.locator('button[type="submit"]').click()
      await watched.page.locator('.success').waitFor()
      expect(await watched.page.locator('.success').textContent()).toBe('شكرًا لكم: لقد وردنا ردكم.')
      expect(await watched.page.locator('textarea').count()).toBe(0)
      const row = await server.db.selectFrom('mission_responses').select(['is_public', 'mission_consents']).where('country_code', '=', 'SA').executeTakeFirstOrThrow()
      expect(row).toEqual({ is_public: 0, mission_consents: 0 })
    } finally {
      await watched.close()
    }
  })

  it('shows the confirmation with JavaScript too, ticked publication said back, and no axe violation', async () => {
    const token = await issueMissionLink(server.db, campaignId, 'FR')
    const watched = await openPage(browser, server)
    try {
      await watched.page.goto(`${server.url}/respond/FR/${token}`)
      await settled(watched.page)
      await watched.page.locator('textarea').fill('La Mission permanente accuse réception de la lettre.')
      await watched.page.locator('input[name="publish"]').check()
      await watched.page.locator('button[type="submit"]').click()
      await watched.page.locator('.success').waitFor()
      expect(await watched.page.locator('[role="status"]').innerText()).toContain('Vous en avez autorisé la publication')
      expect(await axeViolations(watched.page)).toEqual([])
      expect(watched.problems).toEqual([])
    } finally {
      await watched.close()
    }
  })
})
