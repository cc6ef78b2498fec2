import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setLetterSender } from '../support/campaigns'
import { linksIn } from '../support/fake-resend'
import { locationOf } from '../support/http'
import { signedInAs } from '../support/organisers'
import { localLink, type TestServer } from '../support/server'
import { signAndConfirm } from '../support/signing'
import { axeViolations, launchChromium, openPage, settled, SLUG, startBrowserTestServer } from './harness'

let server: TestServer
let chromium: Awaited<ReturnType<typeof launchChromium>>
let browser: Browser
let code: string
let inclusion: string

beforeAll(async () => {
  ;[server, chromium] = await Promise.all([startBrowserTestServer(), launchChromium()])
  await setLetterSender(server, SLUG)
  browser = chromium.browser
  const { email } = await signAndConfirm(server, { country: 'FR' })
  inclusion = localLink(server, linksIn(email.html).find((l) => l.includes('/s/inclusion/'))!)
  const organiser = (await signedInAs(server, 'organiser')).client
  const res = await organiser.post(`/admin/campaigns/${SLUG}/letters`, { intent: 'generate', country: 'FR' })
  const id = locationOf(res).split('/').pop()!
  code = (await server.db.selectFrom('letter_versions').select('code').where('id', '=', id).executeTakeFirstOrThrow()).code
})
afterAll(async () => {
  await chromium?.close()
  await server?.stop()
})

describe('verification in the browser', () => {
  it('checks the signatures again with WebCrypto, loads nothing from elsewhere and passes axe', async () => {
    const w = await openPage(browser, server)
    await w.page.goto(`${server.url}/verify/${code}`)
    await settled(w.page)
    const status = w.page.locator('[data-browser-check]').first()
    await w.page.waitForFunction(() => [...document.querySelectorAll('[data-browser-check]')].every((e) => !['checking', 'noscript'].includes(e.getAttribute('data-browser-check') ?? '')))
    expect(await status.getAttribute('data-browser-check')).toBe('ok')
    expect(await w.page.locator('section[lang="fr"] [data-browser-check]').innerText()).toContain('Votre navigateur a vérifié à nouveau les signatures')
    expect(await axeViolations(w.page)).toEqual([])
    expect(w.foreignRequests()).toEqual([])
    expect(w.problems).toEqual([])
    await w.close()
  })

  it('says so when the signed bytes do not match what the page shows', async () => {
    const w = await openPage(browser, server)
    // Change the count in the page's data before the browser checks it, as a tampering proxy would.
    await w.page.route(`**/verify/${code}*`, async (route) => {
      const res = await route.fetch()
      const body = (await res.text()).replace(/\\"countryCount\\":1,/g, '\\"countryCount\\":7,').replace(/"countryCount":1,/g, '"countryCount":7,')
      await route.fulfill({ response: res, body })
    })
    await w.page.goto(`${server.url}/verify/${code}`)
    await settled(w.page)
    await w.page.waitForFunction(() => [...document.querySelectorAll('[data-browser-check]')].every((e) => !['checking', 'noscript'].includes(e.getAttribute('data-browser-check') ?? '')))
    expect(await w.page.locator('[data-browser-check]').first().getAttribute('data-browser-check')).toBe('failed')
    await w.close()
  })

  it('shows a signer their own entry in Persian, right to left, with no axe violation', async () => {
    const w = await openPage(browser, server)
    await w.page.goto(`${inclusion.replace(/\?.*$/, '')}?lang=fa`)
    await settled(w.page)
    expect(await w.page.locator('html').getAttribute('dir')).toBe('rtl')
    expect(await w.page.locator('[data-log-secret]').innerText()).toMatch(/^[0-9a-f]{64}$/)
    expect(await axeViolations(w.page)).toEqual([])
    expect(w.foreignRequests()).toEqual([])
    expect(w.problems).toEqual([])
    await w.close()
  })
})
