import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOrganiser, setPassword } from '../../app/models/organiser.server'
import { seedSignature } from '../support/campaigns'
import { PASSWORD } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'

const SLUG = 'justice-for-1988'
let server: TestServer
let browser: Browser

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_LOGIN_PER_IP: '1000' })
  for (const [i, country] of ['IR', 'IR', 'DE'].entries()) {
    await seedSignature(server, SLUG, { email: `signer${i}@example.org`, name: `Signer Number${i}`, country })
  }
  await seedSignature(server, SLUG, { email: 'bot@spam.example', name: 'Fraudulent Bot', country: 'DE' })
  const organiser = await createOrganiser(server.db, server.vault, { email: 'moderator@example.org', role: 'organiser', name: 'Moderator' })
  await setPassword(server.db, organiser.id, PASSWORD)
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage'] })
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('an organiser keeps the count clean in a browser', () => {
  it('signs in, reads the dashboard and its map, invalidates a signature, and exports without it', async () => {
    const context = await browser.newContext({ acceptDownloads: true })
    const page = await context.newPage()
    const problems: string[] = []
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()))
    page.on('pageerror', (e) => problems.push(e.message))

    await page.goto(`${server.url}/admin/login`)
    await page.getByLabel('Email').fill('moderator@example.org')
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${server.url}/admin`)
    await page.getByRole('link', { name: /Truth and justice/ }).first().click()
    await page.waitForURL(`**/admin/campaigns/${SLUG}`)
    expect(await page.locator('[data-total="verified"]').textContent()).toBe('4')
    const map = page.getByRole('img', { name: /World map of verified signatures/ })
    expect(await map.locator('use[data-country="IR"]').getAttribute('class')).not.toBe('shade-0')

    await page.getByRole('link', { name: 'Moderation' }).click()
    await page.waitForURL(`**/admin/campaigns/${SLUG}/moderation`)
    await page.locator('#q-email').fill('bot@spam.example')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.getByLabel('Select Fraudulent Bot').check()
    await page.locator('#reason').fill('test of moderation')
    await page.getByRole('button', { name: 'Invalidate selected' }).click()
    await expect.poll(() => page.locator('tr[data-signature] td').nth(4).textContent()).toBe('invalidated')

    await page.goto(`${server.url}/admin/campaigns/${SLUG}`)
    expect(await page.locator('[data-total="verified"]').textContent()).toBe('3')
    expect(await page.locator('[data-total="invalidated"]').textContent()).toBe('1')

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export verified signatures (CSV)' }).click(),
    ])
    const chunks: Buffer[] = []
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer)
    const csv = Buffer.concat(chunks).toString('utf8')
    expect(csv.trim().split(/\r?\n/)).toHaveLength(4)
    expect(csv).not.toContain('Fraudulent Bot')
    expect(csv).toContain('Iran')
    expect(problems).toEqual([])
    await context.close()
  })
})
