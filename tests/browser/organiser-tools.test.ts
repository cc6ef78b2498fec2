import type { Browser, Frame, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { campaignForOrganisers } from '../../app/models/moderation.server'
import { createUpdate, saveTranslation } from '../../app/models/news.server'
import { createOrganiser, setPassword } from '../../app/models/organiser.server'
import type { Role } from '../../app/db.server'
import { PASSWORD } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'
import { axeViolations, launchChromium, openPage, ORGANISER_PAGES, settled, SLUG, type WatchedPage } from './harness'

// Organisers' tools (issue 15, item 5): email previews under their own policy, the page for a missing
// role, every organiser page on a phone, and the campaign preview in the campaign's direction.
let server: TestServer
let chromium: Awaited<ReturnType<typeof launchChromium>>
let browser: Browser
let updatePath: string
const opened: WatchedPage[] = []

async function signIn(role: Role, options: Parameters<typeof openPage>[2] = {}) {
  const email = `${role}-tools-${opened.length}@example.org`
  const organiser = await createOrganiser(server.db, server.vault, { email, role, name: `${role} tools` })
  await setPassword(server.db, organiser.id, PASSWORD)
  const watched = await openPage(browser, server, options)
  opened.push(watched)
  await watched.page.goto(`${server.url}/admin/login`)
  await watched.page.getByLabel('Email').fill(email)
  await watched.page.getByLabel('Password').fill(PASSWORD)
  await watched.page.getByRole('button', { name: 'Sign in' }).click()
  await watched.page.waitForURL(`${server.url}/admin`)
  watched.problems.length = 0
  return { ...watched, email, organiser }
}

/** The email's own inline styles took effect in the frame: SignerLayout's page colour and card width. */
async function emailStyles(frame: Frame) {
  await frame.waitForSelector('body')
  return frame.evaluate(() => {
    const body = getComputedStyle(document.body)
    const card = document.querySelector('body table[style*="max-width"]') as HTMLElement | null
    return { background: body.backgroundColor, margin: body.margin, card: card ? getComputedStyle(card).backgroundColor : null, scripts: document.scripts.length }
  })
}

const SIGNER_BODY = 'rgb(245, 245, 242)'

async function frameOf(page: Page, src: RegExp) {
  const handle = await page.waitForSelector('iframe.email-frame')
  await page.waitForFunction(() => [...document.querySelectorAll('iframe.email-frame')].every((f) => (f as HTMLIFrameElement).contentDocument !== undefined))
  const frame = page.frames().find((f) => src.test(f.url()))
  if (!frame) throw new Error(`no frame for ${src}`)
  await frame.waitForLoadState('load')
  expect(await handle.getAttribute('sandbox')).toBe('')
  return frame
}

beforeAll(async () => {
  // No Resend key: mail, the organiser's test send among it, lands in the dev mailbox.
  ;[server, chromium] = await Promise.all([
    startTestServer({ RESEND_API_KEY: '', RATE_LIMIT_REQUESTS_PER_IP_PER_MINUTE: '100000', RATE_LIMIT_LOGIN_PER_IP: '1000' }),
    launchChromium(),
  ])
  browser = chromium.browser
  const campaign = (await campaignForOrganisers(server.db, SLUG))!
  const author = await createOrganiser(server.db, server.vault, { email: 'author@example.org', role: 'organiser', name: 'Author' })
  const id = await createUpdate(server.db, campaign.id, { locale: 'en', subject: 'Letters delivered', body: 'We delivered **120** letters.' }, author.id)
  await saveTranslation(server.db, campaign.id, id, { locale: 'fa', subject: 'نامه‌ها رسید', body: 'ما **۱۲۰** نامه رساندیم.' })
  updatePath = `/admin/campaigns/${SLUG}/updates/${id}`
})
afterAll(async () => {
  for (const w of opened) await w.close()
  await chromium?.close()
  await server?.stop()
})

describe('email previews', () => {
  it('shows each language of an update as the real email, styled, in a sandboxed frame, with no console error', async () => {
    const { page, problems, foreignRequests } = await signIn('organiser')
    expect((await page.goto(`${server.url}${updatePath}`))?.status()).toBe(200)
    await settled(page)
    expect(await page.locator('iframe.email-frame').count()).toBe(2)
    for (const locale of ['en', 'fa']) {
      const frame = await frameOf(page, new RegExp(`/preview\\.html\\?locale=${locale}$`))
      const styles = await emailStyles(frame)
      expect(styles.background).toBe(SIGNER_BODY)
      expect(styles.margin).toBe('0px')
      expect(styles.card).toBe('rgb(255, 255, 255)')
      expect(styles.scripts).toBe(0)
      expect(await frame.locator('h1').innerText()).toBe(locale === 'en' ? 'Letters delivered' : 'نامه‌ها رسید')
      expect(await frame.evaluate(() => getComputedStyle(document.querySelector('body table')!).direction)).toBe(locale === 'fa' ? 'rtl' : 'ltr')
    }
    // The page around the emails; each email is its own sandboxed document, checked above.
    expect(await axeViolations(page, ['iframe.email-frame'])).toEqual([])
    expect(foreignRequests()).toEqual([])
    expect(problems).toEqual([])
  })

  it('opens a dev mailbox message (not the list) with the email styled in its frame, with no console error', async () => {
    const { page, problems, email } = await signIn('organiser')
    await page.goto(`${server.url}${updatePath}`)
    await settled(page)
    await page.getByRole('button', { name: `Send a test in English to ${email}` }).click()
    await page.getByRole('status').filter({ hasText: 'No signer was sent anything' }).waitFor()
    let id: string | undefined
    for (let i = 0; i < 400 && !id; i++) {
      const { messages } = (await (await fetch(`${server.url}/dev/mailbox?_data=routes%2Fdev.mailbox._index`)).json()) as { messages: { id: number; to_address: string }[] }
      id = messages.find((m) => m.to_address === email)?.id.toString()
      if (!id) await new Promise((r) => setTimeout(r, 50))
    }
    expect(id).toBeDefined()
    problems.length = 0
    expect((await page.goto(`${server.url}/dev/mailbox/${id}`))?.status()).toBe(200)
    await settled(page)
    expect(await page.locator('h1').innerText()).toBe('[Test] Letters delivered')
    expect(await page.locator('table').count()).toBe(0)
    const frame = await frameOf(page, new RegExp(`/dev/mailbox/${id}/html$`))
    const styles = await emailStyles(frame)
    expect(styles.background).toBe(SIGNER_BODY)
    expect(styles.margin).toBe('0px')
    expect(styles.card).toBe('rgb(255, 255, 255)')
    expect(await frame.getByText('Test send: only you received this message.').count()).toBe(1)
    expect(problems).toEqual([])
  })
})

describe('a viewer trying an organiser action', () => {
  it('gets a 403 page that names the role needed, in the organisers’ look and navigation', async () => {
    const { page, problems } = await signIn('viewer')
    const res = await page.goto(`${server.url}/admin/campaigns/${SLUG}/updates`)
    expect(res?.status()).toBe(403)
    await settled(page)
    expect(await page.locator('h1').innerText()).toBe('You need the organiser role')
    expect(await page.title()).toBe('You need the organiser role · Organisers')
    expect(await page.locator('.role-needed').innerText()).toContain('Your account has the viewer role')
    expect(await page.getByRole('navigation', { name: 'Organisers' }).count()).toBe(1)
    expect(await page.getByText('Something went wrong').count()).toBe(0)
    expect(await axeViolations(page)).toEqual([])
    expect(problems).toEqual([])
  })
})

describe('organiser pages on a phone', () => {
  const PAGES: [string, string][] = [
    ...ORGANISER_PAGES,
    ['one update', '/UPDATE'],
    ['undelivered email', `/admin/campaigns/${SLUG}/undelivered`],
    ['preview in Persian', `/admin/campaigns/${SLUG}/preview?lang=fa`],
  ]
  let phone: Awaited<ReturnType<typeof signIn>>
  beforeAll(async () => {
    phone = await signIn('admin', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
  })

  it.each(PAGES)('%s: nothing wider than 390 px', async (_name, path) => {
    const { page, problems } = phone
    problems.length = 0
    const res = await page.goto(`${server.url}${path === '/UPDATE' ? updatePath : path}`)
    expect(res?.status()).toBe(200)
    await settled(page)
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
      // The widest offenders, to say what overflows when it does.
      // A wide table may scroll inside its own box (the page then does not): only what the page itself must scroll for counts.
      wide: [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .filter((e) => {
          for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return false
          return true
        })
        .slice(0, 3)
        .map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
    }))
    expect(widths.wide).toEqual([])
    expect(widths.scroll).toBeLessThanOrEqual(widths.client)
    expect(problems).toEqual([])
  })
})

describe('the campaign preview', () => {
  it.each([
    ['fa', 'rtl'],
    ['ar', 'rtl'],
    ['en', 'ltr'],
  ])('in %s is laid out %s, as the public page is', async (locale, dir) => {
    const { page, problems } = await signIn('organiser')
    await page.goto(`${server.url}/admin/campaigns/${SLUG}/preview?lang=${locale}`)
    await settled(page)
    const preview = page.locator('.campaign-preview')
    expect(await preview.getAttribute('lang')).toBe(locale)
    expect(await preview.evaluate((e) => getComputedStyle(e).direction)).toBe(dir)
    // The campaign's title starts at the right-hand edge in Persian and Arabic, at the left in English.
    const box = (await preview.boundingBox())!
    // The text itself, not the heading's block (as wide as the column either way).
    const title = await preview.locator('h1').first().evaluate((e) => {
      const range = document.createRange()
      range.selectNodeContents(e)
      const r = range.getClientRects()[0]
      return { left: r.left, right: r.right }
    })
    if (dir === 'rtl') expect(Math.abs(box.x + box.width - title.right)).toBeLessThan(40)
    else expect(Math.abs(title.left - box.x)).toBeLessThan(40)
    // The organisers' banner above it stays English, left to right.
    expect(await page.locator('.preview-banner').evaluate((e) => getComputedStyle(e).direction)).toBe('ltr')
    expect(problems).toEqual([])
  })
})
