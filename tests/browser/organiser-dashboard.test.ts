import AxeBuilder from '@axe-core/playwright'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOrganiser, setPassword } from '../../app/models/organiser.server'
import { campaignForm, seedSignature } from '../support/campaigns'
import { PASSWORD, signedInAs } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'

const SLUG = 'browser-dashboard'
let server: TestServer
let browser: Browser

// Self-contained launch: Debian's Chromium, never a downloaded one.
async function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage'] })
}

/** A page that fails the test on any console error or CSP violation. */
async function watchedPage(): Promise<{ page: Page; problems: string[] }> {
  // A context of its own: axe-core needs one to inject itself.
  const page = await (await browser.newContext()).newPage()
  const problems: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text())
  })
  page.on('pageerror', (e) => problems.push(e.message))
  return { page, problems }
}

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_LOGIN_PER_IP: '1000' })
  const { client } = await signedInAs(server, 'organiser')
  const created = await client.post('/admin/campaigns/new', campaignForm({ slug: SLUG, status: 'open', countryGoals: 'SE 10' }))
  if (created.status !== 302) throw new Error(`campaign not created: ${created.status}`)
  for (const [i, country] of ['SE', 'SE', 'FR', 'BR'].entries()) await seedSignature(server, SLUG, { email: `b${i}@example.org`, country })
  const viewer = await createOrganiser(server.db, server.vault, { email: 'viewer@example.org', role: 'viewer', name: 'Browser Viewer' })
  await setPassword(server.db, viewer.id, PASSWORD)
  browser = await launch()
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('a viewer reads the dashboard in a browser', () => {
  it('signs in, sees the map, sorts the table without a reload, and the figures refresh on their own', async () => {
    const { page, problems } = await watchedPage()
    await page.clock.install()
    await page.goto(`${server.url}/admin/campaigns/${SLUG}`)
    await expect.poll(() => new URL(page.url()).pathname).toBe('/admin/login')
    await page.getByLabel('Email').fill('viewer@example.org')
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`**/admin/campaigns/${SLUG}`)

    const map = page.getByRole('img', { name: /World map of verified signatures by country: 3 countries have signers; most from Sweden \(2\)/ })
    await map.waitFor()
    expect(await map.locator('use[data-country="SE"]').getAttribute('class')).toBe('shade-5')
    expect(await map.locator('use[data-country="BR"]').getAttribute('class')).not.toBe('shade-0')
    expect(await map.locator('use[data-country="CN"]').getAttribute('class')).toBe('shade-0')
    expect(await map.locator('use[data-country="SE"] title').textContent()).toBe('Sweden: 2 verified signatures')
    const box = await map.boundingBox()
    expect(box!.width).toBeGreaterThan(300)
    expect(await page.locator('[data-total="verified"]').textContent()).toBe('4')

    // Sorting by name happens in the page: the document is not reloaded.
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42))
    await page.getByRole('link', { name: /^Country/ }).click()
    await expect.poll(() => page.locator('table.countries tbody th').allTextContents()).toEqual(['Brazil', 'France', 'Sweden'])
    expect(new URL(page.url()).searchParams.get('sort')).toBe('country')
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42)

    // A new verified signature appears at the next refresh, without a reload.
    await seedSignature(server, SLUG, { email: 'late@example.org', country: 'FR' })
    await page.clock.fastForward(16_000)
    await expect.poll(() => page.locator('[data-total="verified"]').textContent()).toBe('5')
    expect(await page.locator('tr[data-country="FR"] td').first().textContent()).toBe('2')
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42)

    const axe = await new AxeBuilder({ page }).include('main').analyze()
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([])
    expect(problems).toEqual([])
    await page.context().close()
  })

  it('works without JavaScript: the server sorts the table from the link', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    await page.goto(`${server.url}/admin/login`)
    await page.getByLabel('Email').fill('viewer@example.org')
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.goto(`${server.url}/admin/campaigns/${SLUG}`)
    await page.getByRole('link', { name: /^Progress to country goal/ }).click()
    await page.waitForURL(/sort=progress/)
    expect(await page.locator('table.countries tbody th').first().textContent()).toBe('Sweden')
    await context.close()
  })
})
