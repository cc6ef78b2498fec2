import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { failureDelayMs, RESETS_PER_HOUR, SESSION_IDLE } from '../../app/models/organiser.server'
import { NETWORK_THROTTLE_AFTER, networkDelaySeconds } from '../../app/rate-limits.server'
import { linksIn } from '../support/fake-resend'
import { Client, locationOf } from '../support/http'
import { PASSWORD, signedInAs } from '../support/organisers'
import { localLink, startTestServer, type TestServer } from '../support/server'

// Issue 13: anyone who knew an organiser's email could keep them locked out (five wrong passwords
// from anywhere, renewed every 14 minutes); reset emails could be flooded; old reset links still
// worked after a reset; sessions never idled out.
let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_LOGIN_PER_IP: '1000' })
})
afterAll(async () => {
  await server?.stop()
})

const stranger = (n: number) => new Client(server.url, { 'X-Forwarded-For': `198.51.100.${n}` })
const organiserRow = (email: string) =>
  server.db.selectFrom('organisers').select(['id', 'failed_logins', 'locked_until']).where('email_hash', '=', server.vault.emailHash(email)).executeTakeFirstOrThrow()

describe('sign-in throttling', () => {
  it('grows the wait with each failure instead of locking: 2 s after the fifth, doubling, at most 15 minutes', () => {
    expect([1, 4, 5, 6, 7].map(failureDelayMs)).toEqual([0, 0, 2000, 4000, 8000])
    expect(failureDelayMs(100)).toBe(15 * 60_000)
  })

  it("cannot be used by someone who knows an organiser's address to keep them out", async () => {
    // signedInAs signs in from this machine's network once: it is the organiser's own.
    const { email } = await signedInAs(server, 'organiser')
    let lastGuessAt = 0
    for (let i = 0; i < 7; i++) {
      lastGuessAt = Date.now()
      await stranger(i + 1).post('/admin/login', { email, password: `a guess ${i}` })
    }
    const row = await organiserRow(email)
    // The guesses made the account wait (measured from the last one: on a loaded machine the check may come after the wait).
    expect(row.locked_until).toBeGreaterThan(lastGuessAt)
    const own = await new Client(server.url).post('/admin/login', { email, password: PASSWORD })
    expect(own.status).toBe(302)
    expect((await organiserRow(email)).failed_logins).toBe(0)
  })

  it('does not check a guess made while the account waits, and takes the right password once the wait is over', async () => {
    const { email } = await signedInAs(server, 'organiser')
    for (let i = 0; i < 5; i++) await stranger(50).post('/admin/login', { email, password: `a guess ${i}` })
    const waiting = await organiserRow(email)
    expect(waiting.failed_logins).toBe(5)
    // A guess during the wait is not counted, so it cannot be tried.
    expect((await stranger(51).post('/admin/login', { email, password: PASSWORD })).status).toBe(401)
    expect((await organiserRow(email)).failed_logins).toBe(5)
    // The wait passes (brought forward rather than slept through).
    await server.db.updateTable('organisers').set({ locked_until: Date.now() - 1 }).where('id', '=', waiting.id).execute()
    expect((await stranger(52).post('/admin/login', { email, password: PASSWORD })).status).toBe(302)
  })
})

describe('sign-in throttling per network', () => {
  const fromNetwork = (prefix: string, host: number) => new Client(server.url, { 'X-Forwarded-For': `${prefix}::${host.toString(16)}` })

  it('grows the wait after ten failures from one network: 1 s, doubling, at most 15 minutes', () => {
    expect([1, 9, 10, 11, 12].map(networkDelaySeconds)).toEqual([0, 0, 1, 2, 4])
    expect(networkDelaySeconds(1000)).toBe(15 * 60)
  })

  it('makes a whole IPv6 /64 wait after its failures, whichever account it tried, and only that network', async () => {
    const { email } = await signedInAs(server, 'organiser')
    // Every address in the /64 is one network: rotating the host part gains nothing.
    for (let i = 1; i <= NETWORK_THROTTLE_AFTER; i++) {
      expect((await fromNetwork('2001:db8:5:6', i).post('/admin/login', { email: `nobody-${i}@example.org`, password: 'a guess' })).status).toBe(401)
    }
    const waiting = await fromNetwork('2001:db8:5:6', 999).post('/admin/login', { email, password: PASSWORD })
    expect(waiting.status).toBe(429)
    expect(Number(waiting.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1)
    expect(await waiting.text()).toContain('from your network')
    // Another network is not held by it, and the account itself was never locked.
    expect((await fromNetwork('2001:db8:5:7', 1).post('/admin/login', { email, password: PASSWORD })).status).toBe(302)
    // A wait, not a lock: once it has passed, the network may try again.
    await new Promise((r) => setTimeout(r, 1500))
    expect((await fromNetwork('2001:db8:5:6', 1000).post('/admin/login', { email, password: PASSWORD })).status).toBe(302)
  })
})

describe('password resets', () => {
  const resetMails = (email: string) => server.resend.emails.filter((m) => m.to.includes(email) && m.html.includes('/admin/password/'))
  const waitForResets = (email: string, n: number) => server.resend.waitFor((all) => all.filter((m) => m.to.includes(email) && m.html.includes('/admin/password/')).length >= n)

  it('are capped per account, whoever asks and from wherever', async () => {
    const { email } = await signedInAs(server, 'organiser')
    for (let i = 1; i <= RESETS_PER_HOUR; i++) {
      expect((await stranger(100 + i).post('/admin/forgot', { email })).status).toBe(200)
      await waitForResets(email, i)
    }
    for (let i = 0; i < 3; i++) expect((await stranger(120 + i).post('/admin/forgot', { email })).status).toBe(200)
    // One more for someone else: once it is out, the refused requests above have been dealt with.
    const other = (await signedInAs(server, 'viewer')).email
    await stranger(130).post('/admin/forgot', { email: other })
    await waitForResets(other, 1)
    const tokens = await server.db.selectFrom('organiser_tokens').select('token_hash').where('organiser_id', '=', (await organiserRow(email)).id).execute()
    expect(tokens).toHaveLength(RESETS_PER_HOUR)
    expect(resetMails(email)).toHaveLength(RESETS_PER_HOUR)
  })

  it('leaves only the newest link alive, and kills every link once one is used', async () => {
    const { email } = await signedInAs(server, 'organiser')
    const client = new Client(server.url)
    await client.post('/admin/forgot', { email })
    await waitForResets(email, 1)
    await client.post('/admin/forgot', { email })
    await waitForResets(email, 2)
    const [first, second] = resetMails(email).map((m) => new URL(localLink(server, linksIn(m.html).find((l) => l.includes('/admin/password/'))!)).pathname)
    expect(first).not.toBe(second)
    expect((await client.get(first)).status).toBe(410)
    const password = 'a brand new passphrase here'
    expect((await client.post(first, { password, confirm: password })).status).toBe(410)
    expect((await client.post(second, { password, confirm: password })).status).toBe(302)
    expect((await client.get(second)).status).toBe(410)
    expect((await client.post('/admin/login', { email, password })).status).toBe(302)
  })
})

describe('organiser sessions', () => {
  it('end after being left idle, however young', async () => {
    const { client, organiser } = await signedInAs(server, 'organiser')
    expect((await client.get('/admin')).status).toBe(200)
    await server.db.updateTable('sessions').set({ last_seen_at: Date.now() - SESSION_IDLE - 60_000 }).where('organiser_id', '=', organiser.id).execute()
    const res = await client.get('/admin')
    expect(res.status).toBe(302)
    expect(locationOf(res)).toBe('/admin/login?redirectTo=%2Fadmin')
    expect(await server.db.selectFrom('sessions').select('id_hash').where('organiser_id', '=', organiser.id).execute()).toEqual([])
  })
})
