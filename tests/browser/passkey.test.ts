import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOrganiser, setPassword } from '../../app/models/organiser.server'
import { PASSWORD } from '../support/organisers'
import { freePort } from '../support/ports'
import { startTestServer, type TestServer } from '../support/server'
import { axeViolations, launchChromium, openPage, settled, type WatchedPage } from './harness'

// Issue 13 item 5 / ADR 094: a passkey added from the account page, then used to sign in, in real
// Chromium with a virtual authenticator (CDP WebAuthn domain).
let server: TestServer
let chromium: Awaited<ReturnType<typeof launchChromium>>
let browser: Browser
let watched: WatchedPage
const EMAIL = 'passkey-admin@example.org'

beforeAll(async () => {
  // The relying party is APP_URL's host, so the page must be served at exactly APP_URL's origin.
  const port = await freePort()
  ;[server, chromium] = await Promise.all([
    startTestServer({ PORT: String(port), APP_URL: `http://localhost:${port}`, REQUIRE_SECOND_FACTOR_FOR_ADMINS: 'true', RATE_LIMIT_REQUESTS_PER_IP_PER_MINUTE: '100000' }),
    launchChromium(),
  ])
  browser = chromium.browser
  const admin = await createOrganiser(server.db, server.vault, { email: EMAIL, role: 'admin', name: 'Passkey Admin' })
  await setPassword(server.db, admin.id, PASSWORD)
  watched = await openPage(browser, server)
  const cdp = await watched.context.newCDPSession(watched.page)
  await cdp.send('WebAuthn.enable')
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  })
})
afterAll(async () => {
  await watched?.close()
  await chromium?.close()
  await server?.stop()
})

const base = () => server.config.appUrl

describe('passkeys in Chromium', () => {
  it('an admin sent to enrol adds a passkey from the account page', async () => {
    const { page } = watched
    await page.goto(`${base()}/admin/login`)
    await page.getByLabel('Email').fill(EMAIL)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.waitForURL(`${base()}/admin/account`)
    await settled(page)
    expect(await page.getByRole('alert').first().textContent()).toContain('Admins must sign in with a second factor')
    await page.getByRole('button', { name: 'Add a passkey' }).click()
    await page.waitForURL(`${base()}/admin/account?added=passkey`)
    await settled(page)
    expect(await page.getByText(/^Passkey 1, added/).count()).toBe(1)
    expect(await axeViolations(page)).toEqual([])
    const rows = await server.db.selectFrom('organiser_passkeys').selectAll().execute()
    expect(rows).toHaveLength(1)
    const actions = (await server.db.selectFrom('audit_log').select('action').execute()).map((r) => r.action)
    expect(actions).toContain('second-factor-added')
  })

  it('signs in with the passkey alone, from the sign-in page', async () => {
    const { page } = watched
    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await page.waitForURL(/\/admin\/login/)
    await page.goto(`${base()}/admin/login?redirectTo=%2Fadmin%2Forganisers`)
    await settled(page)
    await page.getByRole('button', { name: 'Use a passkey instead' }).click()
    await page.waitForURL(`${base()}/admin/organisers`)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBeTruthy()
    const signIns = await server.db.selectFrom('audit_log').select('details_json').where('action', '=', 'sign-in').execute()
    expect(signIns.map((r) => JSON.parse(r.details_json).factor)).toContain('passkey')
    const key = await server.db.selectFrom('organiser_passkeys').select(['last_used_at', 'counter']).executeTakeFirstOrThrow()
    expect(key.last_used_at).not.toBeNull()
  })

  it('finishes a password sign-in with the passkey as second step', async () => {
    const { page } = watched
    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await page.waitForURL(/\/admin\/login/)
    await page.getByLabel('Email').fill(EMAIL)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.waitForURL(/\/admin\/login\/code/)
    await settled(page)
    expect(await axeViolations(page)).toEqual([])
    await page.getByRole('button', { name: 'Use your passkey' }).click()
    await page.waitForURL(`${base()}/admin`)
    // Served at APP_URL (localhost), not server.url (127.0.0.1): nothing came from anywhere else.
    expect(watched.requests.filter((u) => !u.startsWith('data:') && new URL(u).origin !== new URL(base()).origin)).toEqual([])
    expect(watched.problems).toEqual([])
  })
})
