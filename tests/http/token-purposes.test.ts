import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOrganiser, issuePasswordToken } from '../../app/models/organiser.server'
import { issueMissionLink } from '../../app/models/response.server'
import { makeLinkToken, type LinkKeyring } from '../../app/infra/link-token.server'
import { hashToken, newToken } from '../../app/infra/vault.server'
import { linksIn } from '../support/fake-resend'
import { Client } from '../support/http'
import { startTestServer, type TestServer } from '../support/server'
import { nextEmailTo, sign, SLUG } from '../support/signing'

// Every link that carries a token, against every token of every other purpose: a token opens the one
// door it was issued for. A new token route goes in ROUTES; a new purpose in the tokens collected below.
// Withdraw, unsubscribe and inclusion links are MACs (ADR 120); the stored tokens such links were
// before are still in inboxes, so both forms go through every route.
type Purpose = 'confirm' | 'withdraw' | 'unsubscribe' | 'inclusion' | 'mission' | 'set-password'
type Route = { purpose: Purpose; method: 'GET' | 'POST'; path: (token: string) => string; form?: Record<string, string>; refused: number[] }

const ROUTES: Route[] = [
  { purpose: 'confirm', method: 'GET', path: (t) => `/s/confirm/${t}?lang=en`, refused: [404] },
  { purpose: 'withdraw', method: 'GET', path: (t) => `/s/withdraw/${t}?lang=en`, refused: [404] },
  { purpose: 'withdraw', method: 'POST', path: (t) => `/s/withdraw/${t}?lang=en`, form: {}, refused: [404] },
  { purpose: 'unsubscribe', method: 'GET', path: (t) => `/s/unsubscribe/${t}?lang=en`, refused: [404] },
  { purpose: 'unsubscribe', method: 'POST', path: (t) => `/s/unsubscribe/${t}?lang=en`, form: {}, refused: [404] },
  { purpose: 'inclusion', method: 'GET', path: (t) => `/s/inclusion/${t}?lang=en`, refused: [404] },
  { purpose: 'mission', method: 'GET', path: (t) => `/respond/CA/${t}`, refused: [404] },
  { purpose: 'set-password', method: 'GET', path: (t) => `/admin/password/${t}`, refused: [410] },
  { purpose: 'set-password', method: 'POST', path: (t) => `/admin/password/${t}`, form: { password: 'a long enough new passphrase', confirm: 'a long enough new passphrase' }, refused: [410] },
]

let server: TestServer
const tokens = {} as Record<Purpose, string>
/** Stored-token links as emails carried them before ADR 120: still accepted until they expire. */
const stored = {} as Record<'withdraw' | 'unsubscribe' | 'inclusion', string>
let signatureId: string
let otherSignatureId: string

beforeAll(async () => {
  server = await startTestServer()
  const { form } = await sign(server, { newsOptIn: 'on' })
  const mail = await nextEmailTo(server, form.email)
  for (const kind of ['confirm', 'withdraw', 'unsubscribe', 'inclusion'] as const) {
    const link = linksIn(mail.html).find((l) => l.includes(`/s/${kind}/`))
    if (!link) throw new Error(`no ${kind} link in the confirmation email`)
    tokens[kind] = new URL(link).pathname.split('/').at(-1)!
  }
  const campaign = await server.db.selectFrom('campaigns').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()
  tokens.mission = await issueMissionLink(server.db, campaign.id, 'CA')
  const organiser = await createOrganiser(server.db, server.vault, { email: 'token-purposes@example.org', role: 'viewer', name: 'Token tester' })
  tokens['set-password'] = await issuePasswordToken(server.db, organiser.id, 'set-password')
  signatureId = (await server.db.selectFrom('signatures').select('id').executeTakeFirstOrThrow()).id
  const now = Date.now()
  for (const purpose of ['withdraw', 'unsubscribe', 'inclusion'] as const) {
    stored[purpose] = newToken()
    await server.db
      .insertInto('tokens')
      .values({ token_hash: hashToken(stored[purpose]), signature_id: signatureId, purpose, created_at: now, expires_at: now + 86_400_000, used_at: null, news_update_id: null })
      .execute()
  }
  const other = await sign(server, { newsOptIn: 'on' })
  await nextEmailTo(server, other.form.email)
  otherSignatureId = (await server.db.selectFrom('signatures').select('id').where('id', '!=', signatureId).executeTakeFirstOrThrow()).id
})
afterAll(async () => {
  await server?.stop()
})

const call = async (route: Route, token: string) => {
  const client = new Client(server.url)
  const res = route.method === 'GET' ? await client.get(route.path(token)) : await client.post(route.path(token), route.form ?? {})
  await res.text()
  return res.status
}

/** Status and page, the per-response nonce taken out, to compare one answer with another. */
const answer = async (route: Route, token: string) => {
  const client = new Client(server.url)
  const res = route.method === 'GET' ? await client.get(route.path(token)) : await client.post(route.path(token), route.form ?? {})
  return { status: res.status, body: (await res.text()).replace(/nonce="[^"]*"/g, '').replaceAll(token, '<token>') }
}

const signature = () => server.db.selectFrom('signatures').select(['status', 'news_opt_in']).where('id', '=', signatureId).executeTakeFirst()

describe('token links and purposes', () => {
  it('every token route refuses every token issued for another purpose, and nothing changes', async () => {
    const accepted: string[] = []
    for (const route of ROUTES) {
      for (const [purpose, token] of Object.entries(tokens)) {
        if (purpose === route.purpose) continue
        const status = await call(route, token)
        if (!route.refused.includes(status)) accepted.push(`${route.method} ${route.path('<' + purpose + '>')} answered ${status}`)
      }
    }
    for (const route of ROUTES) {
      for (const [purpose, token] of Object.entries(stored)) {
        if (purpose === route.purpose) continue
        const status = await call(route, token)
        if (!route.refused.includes(status)) accepted.push(`${route.method} ${route.path('<stored ' + purpose + '>')} answered ${status}`)
      }
    }
    expect(accepted).toEqual([])
    // The signature is still there, unconfirmed, still subscribed; no password was set.
    expect(await signature()).toMatchObject({ status: 'pending', news_opt_in: 1 })
    const organiser = await server.db.selectFrom('organisers').select('password_hash').where('role', '=', 'viewer').executeTakeFirstOrThrow()
    expect(organiser.password_hash).toBeNull()
  })

  it('each token still opens its own door afterwards (the refusals above were not for a dead token)', async () => {
    const own = (purpose: Purpose, method: 'GET' | 'POST' = 'GET') => ROUTES.find((r) => r.purpose === purpose && r.method === method)!
    expect(await call(own('withdraw'), tokens.withdraw)).toBe(200)
    expect(await call(own('unsubscribe'), tokens.unsubscribe)).toBe(200)
    expect(await call(own('inclusion'), tokens.inclusion)).toBe(200)
    expect(await call(own('mission'), tokens.mission)).toBe(200)
    expect(await call(own('set-password'), tokens['set-password'])).toBe(200)
    expect(await call(own('withdraw'), stored.withdraw)).toBe(200)
    expect(await call(own('unsubscribe'), stored.unsubscribe)).toBe(200)
    expect(await call(own('inclusion'), stored.inclusion)).toBe(200)
    expect(await call(own('confirm'), tokens.confirm)).toBe(303)
    expect((await signature())?.status).toBe('verified')
  })

  it('a MAC link altered, under an unlisted key version, for another signature or expired gets the answer of an unknown token', async () => {
    const keys = server.vault.linkKeys
    const now = Date.now()
    const mac = (purpose: 'withdraw' | 'unsubscribe' | 'inclusion', ring: LinkKeyring = keys, id = signatureId, expiresAt: number | null = null) =>
      makeLinkToken(ring, purpose, { signatureId: id, newsUpdateId: null, expiresAt: purpose === 'inclusion' ? (expiresAt ?? now + 86_400_000) : expiresAt })
    const flip = (token: string, at: number) => token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1)
    const prefix = mac('withdraw').split('.')[0]
    expect(prefix).toBe('m1')
    const otherData = mac('withdraw', keys, otherSignatureId).split('.')[1]
    // A second key version, not listed in the server's keyring.
    const v2: LinkKeyring = { current: 2, keys: new Map([[2, Buffer.alloc(32, 7)]]) }
    // What a token nobody issued gets, route by route: the forged ones below must get exactly that.
    const unknown = async (route: Route) => answer(route, newToken())
    const forged = (purpose: 'withdraw' | 'unsubscribe' | 'inclusion') => {
      const [p, d, t] = mac(purpose).split('.')
      return {
        'a flipped byte in the MAC': `${p}.${d}.${flip(t, 3)}`,
        'a flipped byte in the data': `${p}.${flip(d, 2)}.${t}`,
        'an unlisted version': mac(purpose, v2),
        'another version number on the same MAC': `m2.${d}.${t}`,
        "another signature's id under this MAC": `${p}.${purpose === 'withdraw' ? otherData : mac(purpose, keys, otherSignatureId).split('.')[1]}.${t}`,
        ...(purpose === 'inclusion' ? { 'an expired inclusion MAC': mac('inclusion', keys, signatureId, now - 1) } : {}),
      }
    }
    const differing: string[] = []
    for (const route of ROUTES.filter((r) => r.purpose === 'withdraw' || r.purpose === 'unsubscribe' || r.purpose === 'inclusion')) {
      const expected = await unknown(route)
      expect(expected.status).toBe(404)
      for (const [what, token] of Object.entries(forged(route.purpose as 'withdraw' | 'unsubscribe' | 'inclusion'))) {
        const got = await answer(route, token)
        if (got.status !== expected.status || got.body !== expected.body) differing.push(`${route.method} ${route.purpose} with ${what}: ${got.status}`)
      }
    }
    expect(differing).toEqual([])
    // Nothing was withdrawn or unsubscribed, for either signer.
    const rows = await server.db.selectFrom('signatures').select(['id', 'news_opt_in']).execute()
    expect(rows.map((r) => r.news_opt_in)).toEqual([1, 1])
    // And the genuine MACs made the same way do open their doors, so the refusals are the forgeries'.
    expect(await call(ROUTES.find((r) => r.purpose === 'inclusion')!, mac('inclusion'))).toBe(200)
    expect(await call(ROUTES.find((r) => r.purpose === 'withdraw' && r.method === 'GET')!, mac('withdraw', keys, otherSignatureId))).toBe(200)
  })
})
