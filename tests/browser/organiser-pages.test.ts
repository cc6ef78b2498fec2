import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOrganiser, setPassword } from '../../app/models/organiser.server'
import { seedSignature } from '../support/campaigns'
import { PASSWORD } from '../support/organisers'
import type { TestServer } from '../support/server'
import { axeViolations, launchChromium, openPage, ORGANISER_PAGES, settled, SLUG, startBrowserTestServer, type WatchedPage } from './harness'

let server: TestServer
let chromium: Awaited<ReturnType<typeof launchChromium>>
let browser: Browser
let watched: WatchedPage

beforeAll(async () => {
  ;[server, chromium] = await Promise.all([startBrowserTestServer(), launchChromium()])
  browser = chromium.browser
  await seedSignature(server, SLUG, { email: 'one@example.org', name: 'One Signer', country: 'IR' })
  const admin = await createOrganiser(server.db, server.vault, { email: 'axe-admin@example.org', role: 'admin', name: 'Axe Admin' })
  await setPassword(server.db, admin.id, PASSWORD)
  watched = await openPage(browser, server)
  await watched.page.goto(`${server.url}/admin/login`)
  expect(await axeViolations(watched.page)).toEqual([])
  await watched.page.getByLabel('Email').fill('axe-admin@example.org')
  await watched.page.getByLabel('Password').fill(PASSWORD)
  await watched.page.getByRole('button', { name: 'Sign in' }).click()
  await watched.page.waitForURL(`${server.url}/admin`)
})
afterAll(async () => {
  await watched?.close()
  await chromium?.close()
  await server?.stop()
})

describe('organiser pages', () => {
  it.each(ORGANISER_PAGES)('%s: no axe violation, nothing from elsewhere, no console error', async (_name, path) => {
    watched.requests.length = 0
    watched.problems.length = 0
    const res = await watched.page.goto(`${server.url}${path}`)
    expect(res?.status()).toBe(200)
    await settled(watched.page)
    expect(await axeViolations(watched.page)).toEqual([])
    expect(watched.foreignRequests()).toEqual([])
    expect(watched.problems).toEqual([])
  })
})
