import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { embedSnippet } from '../../app/utils/embed'
import type { TestServer } from '../support/server'
import { axeViolations, launchChromium, SLUG, startBrowserTestServer } from './harness'

// The embeddable sign form (ADR 132) in a partner's page on another site: the app is
// http://127.0.0.1:<port>, the partners are http://localhost:<other ports>, so the frame is
// cross-site, as on the web (its cookies would be third-party ones).

let server: TestServer
let chromium: Awaited<ReturnType<typeof launchChromium>>
let browser: Browser
let allowedHost: Host
let refusedHost: Host
let partnerRef: string

interface Host {
  origin: string
  server: Server
  /** The snippet's language for the next page served. */
  lang: string
}

/** A partner's site: one page with the snippet pasted as the organisers' page gives it. */
async function startHost(): Promise<Host> {
  const host: Host = { origin: '', server: createServer(), lang: 'en' }
  host.server.on('request', (req, res) => {
    if (req.url !== '/') return void res.writeHead(404).end()
    const snippet = embedSnippet(server.url, SLUG, 'Sign the petition', { via: partnerRef, lang: host.lang })
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    res.end(`<!doctype html><html lang="en"><head><title>A partner's page</title><link rel="icon" href="data:,"></head><body><main><h1>Our partner's news</h1>${snippet}</main></body></html>`)
  })
  await new Promise<void>((resolve) => host.server.listen(0, '127.0.0.1', resolve))
  host.origin = `http://localhost:${(host.server.address() as AddressInfo).port}`
  return host
}

beforeAll(async () => {
  ;[server, chromium, allowedHost, refusedHost] = await Promise.all([startBrowserTestServer(), launchChromium(), startHost(), startHost()])
  browser = chromium.browser
  const campaign = await server.db.selectFrom('campaigns').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()
  // The organisers' form is tested over HTTP (tests/http/embed.test.ts); here the list is set directly.
  await server.db.updateTable('campaigns').set({ embed_origins: JSON.stringify([allowedHost.origin]) }).where('id', '=', campaign.id).execute()
  partnerRef = 'EmbedPartner'
  const now = Date.now()
  await server.db
    .insertInto('partners')
    .values({ id: 'embed-partner', campaign_id: campaign.id, ref: partnerRef, name: 'Embed Partner', url: null, privacy_url: null, contact_email_enc: null, logo: null, logo_type: null, created_at: now, updated_at: now, removed_at: null })
    .execute()
})
afterAll(async () => {
  await chromium?.close()
  await server?.stop()
  for (const host of [allowedHost, refusedHost]) await new Promise((r) => host?.server.close(r))
})

interface Opened {
  page: Page
  context: BrowserContext
  requests: string[]
  problems: string[]
}

async function openHost(host: Host, lang: string, javaScriptEnabled: boolean): Promise<Opened> {
  host.lang = lang
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled })
  const page = await context.newPage()
  const requests: string[] = []
  const problems: string[] = []
  context.on('request', (r) => requests.push(r.url()))
  page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && problems.push(`${m.type()}: ${m.text()}`))
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  await page.goto(`${host.origin}/`)
  return { page, context, requests, problems }
}

/** The embed frame, once its document from our server has loaded. */
async function embedFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('iframe')
  const frame = (await handle.contentFrame())!
  await frame.waitForLoadState('load')
  return frame
}

/** Nothing but the partner's own page and our server; no cookie of ours. */
async function expectOnlyTwoOrigins(opened: Opened, host: Host) {
  const app = new URL(server.url).origin
  opened.requests = opened.requests.filter((u) => !u.startsWith('data:'))
  expect(opened.requests.filter((u) => ![app, host.origin].includes(new URL(u).origin))).toEqual([])
  expect(opened.requests.filter((u) => new URL(u).origin === host.origin)).toEqual([`${host.origin}/`])
  expect(await opened.context.cookies(app)).toEqual([])
}

async function signIn(frame: Frame, email: string) {
  await frame.fill('input[name="name"]', 'Partner Reader')
  await frame.fill('input[name="email"]', email)
  await frame.selectOption('select[name="country"]', 'SE')
  await frame.click('button[type="submit"]')
}

const partnerOf = async (email: string) =>
  (await server.db.selectFrom('signatures').select('partner_id').where('email_hash', '=', server.vault.emailHash(email)).executeTakeFirst())?.partner_id

describe('the sign form embedded on a partner site', () => {
  it('signs without JavaScript inside the frame, and shows "check your email" there', async () => {
    const opened = await openHost(allowedHost, 'en', false)
    try {
      const frame = await embedFrame(opened.page)
      expect(await frame.locator('h1').textContent()).toContain('Truth and justice')
      expect(await frame.locator('.count').textContent()).toMatch(/verified signature/)
      await signIn(frame, 'embed.nojs@example.org')
      await frame.waitForURL(/\/embed\/campaigns\/[^/]+\/check-email\?/)
      expect(await frame.locator('h1').textContent()).toBe('Check your email')
      // The partner's page stayed where it was.
      expect(opened.page.url()).toBe(`${allowedHost.origin}/`)
      expect(await partnerOf('embed.nojs@example.org')).toBe('embed-partner')
      // The snippet's script never ran: the frame keeps its default height.
      expect(await opened.page.locator('iframe').getAttribute('height')).toBe('900')
      await expectOnlyTwoOrigins(opened, allowedHost)
      expect(opened.problems).toEqual([])
    } finally {
      await opened.context.close()
    }
  })

  it('with JavaScript, sizes its frame by postMessage on load and after signing', async () => {
    const opened = await openHost(allowedHost, 'en', true)
    try {
      const frame = await embedFrame(opened.page)
      const iframe = opened.page.locator('iframe')
      await opened.page.waitForFunction(() => document.querySelector('iframe')!.getAttribute('height') !== '900')
      // The frame's own document, measured from inside, is what the partner's page is told, once the
      // page has settled (hydration can change its height after the first message; the next one follows).
      const inside = () => frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height))
      await expect.poll(async () => Math.abs(Number(await iframe.getAttribute('height')) - (await inside())), { timeout: 10_000 }).toBeLessThanOrEqual(1)
      const formHeight = Number(await iframe.getAttribute('height'))
      await frame.locator('input[type="search"]').waitFor()
      await signIn(frame, 'embed.js@example.org')
      await frame.waitForURL(/\/check-email\?/)
      // With JavaScript the address changes as the step renders: wait for the step itself.
      await frame.locator('h1', { hasText: 'Check your email' }).waitFor()
      // The shorter step shrinks the frame: the message came again after the form was answered.
      await opened.page.waitForFunction((before) => Number(document.querySelector('iframe')!.getAttribute('height')) < before, formHeight)
      expect(await partnerOf('embed.js@example.org')).toBe('embed-partner')
      await expectOnlyTwoOrigins(opened, allowedHost)
      expect(opened.problems).toEqual([])
    } finally {
      await opened.context.close()
    }
  })

  it('is refused by the browser on a site the campaign does not list', async () => {
    for (const javaScriptEnabled of [false, true]) {
      const opened = await openHost(refusedHost, 'en', javaScriptEnabled)
      try {
        const handle = await opened.page.waitForSelector('iframe')
        const frame = (await handle.contentFrame())!
        await frame.waitForLoadState('load')
        // Chromium shows its own error page instead of ours: no title, no form, no count.
        expect(await frame.locator('form#sign, .count').count()).toBe(0)
        expect(await frame.evaluate(() => document.body?.innerText ?? '')).not.toContain('Truth and justice')
        expect(opened.problems.join('\n')).toMatch(/frame-ancestors/)
        expect(await opened.page.locator('iframe').getAttribute('height')).toBe('900')
      } finally {
        await opened.context.close()
      }
    }
  })

  it.each(['fa', 'ar'])('reads right to left in %s and passes axe inside the frame', async (lang) => {
    const opened = await openHost(allowedHost, lang, true)
    try {
      const frame = await embedFrame(opened.page)
      await frame.waitForFunction(() => '__remixRouter' in window)
      expect(await frame.locator('html').getAttribute('lang')).toBe(lang)
      expect(await frame.locator('html').getAttribute('dir')).toBe('rtl')
      expect(await frame.locator('button[type="submit"]').isVisible()).toBe(true)
      expect(await axeViolations(opened.page)).toEqual([])
      await expectOnlyTwoOrigins(opened, allowedHost)
      expect(opened.problems).toEqual([])
    } finally {
      await opened.context.close()
    }
  })
})
