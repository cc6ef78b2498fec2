import AxeBuilder from '@axe-core/playwright'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core'
import { linksIn } from '../support/fake-resend'
import { localLink, startTestServer, type TestServer } from '../support/server'

export const SLUG = 'justice-for-1988'
/** Every organiser page, as an admin sees it (the role that sees most). */
export const ORGANISER_PAGES: [name: string, path: string][] = [
  ['campaigns', '/admin'],
  ['dashboard', `/admin/campaigns/${SLUG}`],
  ['edit campaign', `/admin/campaigns/${SLUG}/edit`],
  ['embed the sign form', `/admin/campaigns/${SLUG}/embed`],
  ['new campaign', '/admin/campaigns/new'],
  ['preview', `/admin/campaigns/${SLUG}/preview`],
  ['moderation', `/admin/campaigns/${SLUG}/moderation`],
  ['news updates', `/admin/campaigns/${SLUG}/updates`],
  ['letters', `/admin/campaigns/${SLUG}/letters`],
  ['sending organisation', `/admin/campaigns/${SLUG}/letters/sender`],
  ['replies', `/admin/campaigns/${SLUG}/responses`],
  ['missions', '/admin/missions'],
  ['one mission', '/admin/missions/IR'],
  ['one mission in Geneva', '/admin/missions/IR?office=geneva'],
  ['UN office holders', '/admin/un-addressees'],
  ['import missions', '/admin/missions/import'],
  ['organisers', '/admin/organisers'],
  ['audit log', '/admin/audit'],
  ['your account', '/admin/account'],
]

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

/**
 * Debian's Chromium, never a downloaded one. Playwright gives every launch a fresh temporary
 * profile; the flags keep the browser from calling home (update checks, sync, field trials).
 */
export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const artifacts = mkdtempSync(path.join(tmpdir(), 'petition-browser-'))
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    downloadsPath: artifacts,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  return {
    browser,
    async close() {
      await browser.close()
      rmSync(artifacts, { recursive: true, force: true })
    },
  }
}

/** The real server for browser tests: same as the HTTP suite's, with room for many page loads. */
export function startBrowserTestServer(): Promise<TestServer> {
  return startTestServer({ RATE_LIMIT_REQUESTS_PER_IP_PER_MINUTE: '100000', RATE_LIMIT_SIGN_PER_IP: '1000' })
}

export interface WatchedPage {
  page: Page
  context: BrowserContext
  /** Every URL the page asked for, in order. */
  requests: string[]
  /** Console errors and warnings (CSP violations are reported there), and uncaught exceptions. */
  problems: string[]
  /** Requests that went anywhere but our own server. */
  foreignRequests(): string[]
  close(): Promise<void>
}

/**
 * A page in a fresh context that records every request it makes and every console error or
 * warning, so a test can assert that nothing left our origin and no CSP violation happened.
 */
export async function openPage(browser: Browser, server: TestServer, options: BrowserContextOptions = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options })
  const page = await context.newPage()
  const requests: string[] = []
  const problems: string[] = []
  const origin = new URL(server.url).origin
  page.on('request', (r) => requests.push(r.url()))
  page.on('console', (m) => {
    if (m.type() !== 'error' && m.type() !== 'warning') return
    // A page served with an error status (a 404 page) is logged as a failed load of itself.
    if (m.text().startsWith('Failed to load resource') && m.location().url === page.url()) return
    problems.push(`${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  return {
    page,
    context,
    requests,
    problems,
    foreignRequests: () => requests.filter((u) => !u.startsWith('data:') && new URL(u).origin !== origin),
    close: () => context.close(),
  }
}

export interface AxeViolationSummary {
  id: string
  impact: string | null | undefined
  targets: string[]
}

/**
 * Waits until Remix has hydrated the page (it keeps its router on window once it starts), then two
 * frames, so axe sees the page as a JavaScript reader does and React does not change it mid-run.
 */
export async function settled(page: Page) {
  await page.waitForFunction(() => document.readyState === 'complete' && '__remixRouter' in window)
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
}

/** Runs axe-core in the page at WCAG 2.2 AA; returns its violations, shortened for a readable failure. */
export async function axeViolations(page: Page, exclude: string[] = []): Promise<AxeViolationSummary[]> {
  // Only violations are collected: gathering every passing node would triple the time.
  let builder = new AxeBuilder({ page }).withTags(AXE_TAGS).options({ resultTypes: ['violations'] })
  // A sandboxed frame runs no script, axe's included: the run would wait on it for good.
  for (const selector of exclude) builder = builder.exclude(selector)
  const results = await builder.analyze()
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    targets: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`),
  }))
}

/** The confirmation link from the last email the fake Resend received for `address`, on the test server. */
export async function confirmLinkFor(server: TestServer, address: string): Promise<string> {
  const emails = await server.resend.waitFor((all) => all.some((e) => e.to.includes(address)))
  const email = emails.filter((e) => e.to.includes(address)).at(-1)!
  const link = linksIn(email.html).find((l) => l.includes('/s/confirm/'))
  if (!link) throw new Error('No confirmation link in the email')
  return localLink(server, link)
}

/** The verified count from the public JSON API. */
export async function verifiedCount(server: TestServer): Promise<number> {
  const res = await fetch(`${server.url}/campaigns/${SLUG}.json`)
  return ((await res.json()) as { signature_count: number }).signature_count
}
