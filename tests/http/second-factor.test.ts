import { Secret, TOTP } from 'otpauth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOrganiser, setPassword } from '../../app/models/organiser.server'
import { CODE_ATTEMPTS } from '../../app/models/second-factor.server'
import { Client, locationOf } from '../support/http'
import { PASSWORD, signedInAs } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'

// Issue 13 item 5 / ADR 094: organisers' second factors, and the setting that requires one of admins.
let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ REQUIRE_SECOND_FACTOR_FOR_ADMINS: 'true', RATE_LIMIT_LOGIN_PER_IP: '1000' })
})
afterAll(async () => {
  await server?.stop()
})

const codeAt = (secret: string, timestamp: number) =>
  new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp })
const decode = (html: string) => html.replace(/&amp;/g, '&').replace(/&#x27;/g, "'").replace(/&quot;/g, '"')

/** An admin with a password only, signed in, and sent to enrol. */
async function newAdmin() {
  const email = `admin-${Math.random().toString(36).slice(2)}@example.org`
  const organiser = await createOrganiser(server.db, server.vault, { email, role: 'admin', name: 'Second Factor' })
  await setPassword(server.db, organiser.id, PASSWORD)
  const client = new Client(server.url)
  const res = await client.post('/admin/login', { email, password: PASSWORD, redirectTo: '/admin' })
  expect(res.status).toBe(302)
  return { client, organiser, email }
}

/** Enrols an authenticator app through the account page; returns its key and the recovery codes shown. */
async function enrolTotp(client: Client) {
  expect((await client.post('/admin/account', { intent: 'totp-start' })).status).toBe(200)
  const page = await (await client.get('/admin/account')).text()
  const secret = page.match(/Key: <code>([A-Z2-7]+)<\/code>/)?.[1]
  expect(secret).toBeTruthy()
  const confirmed = await client.post('/admin/account', { intent: 'totp-confirm', code: codeAt(secret!, Date.now()) })
  expect(confirmed.status).toBe(200)
  const html = decode(await confirmed.text())
  const codes = [...html.matchAll(/<code>([0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4})<\/code>/g)].map((m) => m[1])
  return { secret: secret!, codes }
}

const auditActions = async (organiserId: string) =>
  (await server.db.selectFrom('audit_log').select('action').where('organiser_id', '=', organiserId).orderBy('created_at').execute()).map((r) => r.action)

describe('an admin without a second factor, where one is required', () => {
  it('is sent to add one before anything else, and may do nothing else until then', async () => {
    const { client } = await newAdmin()
    const home = await client.get('/admin')
    expect(home.status).toBe(302)
    expect(locationOf(home)).toBe('/admin/account')
    expect((await client.get('/admin/organisers')).status).toBe(302)
    expect((await client.post('/admin/campaigns/new', { slug: 'x' })).status).toBe(403)
    const account = await client.get('/admin/account')
    expect(account.status).toBe(200)
    expect(await account.text()).toContain('Admins must sign in with a second factor')
  })

  it('is let through once an authenticator app is in force; an organiser is never held', async () => {
    const { client } = await newAdmin()
    await enrolTotp(client)
    expect((await client.get('/admin')).status).toBe(200)
    const { client: organiser } = await signedInAs(server, 'organiser')
    expect((await organiser.get('/admin')).status).toBe(200)
  })
})

describe('enrolling an authenticator app', () => {
  it('needs a right first code, keeps the key sealed, shows ten recovery codes once and audits it', async () => {
    const { client, organiser } = await newAdmin()
    await client.post('/admin/account', { intent: 'totp-start' })
    const page = await (await client.get('/admin/account')).text()
    const secret = page.match(/Key: <code>([A-Z2-7]+)<\/code>/)![1]
    expect(page).toContain('<svg')
    const wrong = await client.post('/admin/account', { intent: 'totp-confirm', code: '000000' === codeAt(secret, Date.now()) ? '111111' : '000000' })
    expect(wrong.status).toBe(400)
    expect((await client.get('/admin')).status).toBe(302)

    const row = await server.db.selectFrom('organiser_totp').selectAll().where('organiser_id', '=', organiser.id).executeTakeFirstOrThrow()
    expect(row.secret_enc).not.toContain(secret)
    expect(server.vault.decrypt(row.secret_enc)).toBe(secret)

    const confirmed = await client.post('/admin/account', { intent: 'totp-confirm', code: codeAt(secret, Date.now()) })
    const html = decode(await confirmed.text())
    const codes = [...html.matchAll(/<code>([0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4})<\/code>/g)].map((m) => m[1])
    expect(new Set(codes).size).toBe(10)
    const stored = await server.db.selectFrom('organiser_recovery_codes').select('code_hash').where('organiser_id', '=', organiser.id).execute()
    expect(stored).toHaveLength(10)
    for (const c of codes) expect(stored.map((s) => s.code_hash)).not.toContain(c)
    // Shown once: the account page never shows them again.
    expect(await (await client.get('/admin/account')).text()).not.toContain(codes[0])
    expect(await auditActions(organiser.id)).toEqual(expect.arrayContaining(['second-factor-added', 'recovery-codes-issued']))
  })

  it('can be removed from the account page, audited, and the admin is held again', async () => {
    const { client, organiser } = await newAdmin()
    await enrolTotp(client)
    expect((await client.post('/admin/account', { intent: 'totp-remove' })).status).toBe(200)
    expect(await auditActions(organiser.id)).toContain('second-factor-removed')
    expect(locationOf(await client.get('/admin'))).toBe('/admin/account')
  })

  it('answers a malformed request with 400', async () => {
    const { client } = await newAdmin()
    expect((await client.post('/admin/account', { intent: 'totp-confirm', code: 'abc' })).status).toBe(400)
    expect((await client.post('/admin/account', { intent: 'nothing' })).status).toBe(400)
  })
})

describe('signing in with an authenticator app', () => {
  it('asks for the code after the password, and a session starts only with a right one', async () => {
    const { client, email } = await newAdmin()
    const { secret } = await enrolTotp(client)
    const next = new Client(server.url)
    const afterPassword = await next.post('/admin/login', { email, password: PASSWORD, redirectTo: '/admin/organisers' })
    expect(afterPassword.status).toBe(302)
    expect(locationOf(afterPassword)).toBe('/admin/login/code?redirectTo=%2Fadmin%2Forganisers')
    // The password alone opened nothing.
    expect(locationOf(await next.get('/admin'))).toBe('/admin/login?redirectTo=%2Fadmin')
    expect((await next.get('/admin/login/code')).status).toBe(200)
    // The enrolment spent this step's code; the app's next one is accepted (one step of drift).
    const code = codeAt(secret, Date.now() + 30_000)
    const done = await next.post('/admin/login/code', { code, redirectTo: '/admin/organisers' })
    expect(done.status).toBe(302)
    expect(locationOf(done)).toBe('/admin/organisers')
    expect((await next.get('/admin/organisers')).status).toBe(200)

    // The same code again, on a fresh password sign-in, is refused: no replay within its window.
    const replay = new Client(server.url)
    await replay.post('/admin/login', { email, password: PASSWORD })
    const again = await replay.post('/admin/login/code', { code })
    expect(again.status).toBe(401)
    expect(await again.text()).toContain('already used')
    expect(locationOf(await replay.get('/admin'))).toMatch(/^\/admin\/login/)
  })

  it('drops the pending sign-in after too many wrong codes', async () => {
    const { client, email } = await newAdmin()
    const { secret } = await enrolTotp(client)
    const next = new Client(server.url)
    await next.post('/admin/login', { email, password: PASSWORD })
    const right = codeAt(secret, Date.now() + 30_000)
    const wrong = right === '123456' ? '654321' : '123456'
    for (let i = 1; i < CODE_ATTEMPTS; i++) expect((await next.post('/admin/login/code', { code: wrong })).status).toBe(401)
    // The last wrong one ends the pending sign-in: the page sends the browser back to the password.
    const last = await next.post('/admin/login/code', { code: wrong })
    expect(last.status).toBe(302)
    expect(locationOf(last)).toBe('/admin/login')
    const late = await next.post('/admin/login/code', { code: right })
    expect(locationOf(late)).toBe('/admin/login')
    expect(locationOf(await next.get('/admin'))).toMatch(/^\/admin\/login\?/)
  })

  it('takes each recovery code once, in place of a code, and audits its use', async () => {
    const { client, email, organiser } = await newAdmin()
    const { codes } = await enrolTotp(client)
    expect(codes).toHaveLength(10)
    const first = new Client(server.url)
    await first.post('/admin/login', { email, password: PASSWORD })
    const used = await first.post('/admin/login/code', { code: codes[3].toUpperCase() })
    expect(used.status).toBe(302)
    expect(locationOf(used)).toBe('/admin/account?recovered=1')
    expect(await (await first.get('/admin/account?recovered=1')).text()).toContain('You have 9 left')
    expect(await auditActions(organiser.id)).toContain('recovery-code-used')

    const second = new Client(server.url)
    await second.post('/admin/login', { email, password: PASSWORD })
    expect((await second.post('/admin/login/code', { code: codes[3] })).status).toBe(401)
    expect((await second.post('/admin/login/code', { code: codes[4] })).status).toBe(302)
  })
})

describe('passkey endpoints', () => {
  it('refuse a registration without a session and an answer to no challenge', async () => {
    const anon = new Client(server.url)
    const json = (body: unknown) => anon.request('/admin/passkey', { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: server.url }, body: JSON.stringify(body) })
    expect((await json({ intent: 'register-options' })).status).toBe(401)
    expect((await json({ intent: 'nonsense' })).status).toBe(400)
    const options = await json({ intent: 'sign-in-options' })
    expect(options.status).toBe(200)
    const { options: o } = (await options.json()) as { options: { challenge: string; rpId: string } }
    expect(o.rpId).toBe(new URL(server.config.appUrl).hostname)
    // The challenge is stored hashed, never as given.
    const rows = await server.db.selectFrom('auth_challenges').select('challenge_hash').where('purpose', '=', 'passkey-sign-in').execute()
    expect(rows.map((r) => r.challenge_hash)).not.toContain(o.challenge)
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: 'not-the-challenge', origin: server.config.appUrl })).toString('base64url')
    const forged = await json({ intent: 'sign-in', response: { id: 'x', rawId: 'x', type: 'public-key', response: { clientDataJSON, authenticatorData: '', signature: '' }, clientExtensionResults: {} } })
    expect(forged.status).toBe(401)
  })
})

describe('the setting turned off', () => {
  it('lets an admin with a password alone in', async () => {
    const off = await startTestServer({ REQUIRE_SECOND_FACTOR_FOR_ADMINS: 'false' })
    try {
      const { client } = await signedInAs(off, 'admin')
      expect((await client.get('/admin')).status).toBe(200)
    } finally {
      await off.stop()
    }
  })
})
