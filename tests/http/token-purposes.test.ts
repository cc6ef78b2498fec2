import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOrganiser, issuePasswordToken } from '../../app/models/organiser.server'
import { issueMissionLink } from '../../app/models/response.server'
import { linksIn } from '../support/fake-resend'
import { Client } from '../support/http'
import { startTestServer, type TestServer } from '../support/server'
import { nextEmailTo, sign, SLUG } from '../support/signing'

// Every link that carries a token, against every token of every other purpose: a token opens the one
// door it was issued for. A new token route goes in ROUTES; a new purpose in the tokens collected below.
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
let signatureId: string

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
    expect(await call(own('confirm'), tokens.confirm)).toBe(303)
    expect((await signature())?.status).toBe('verified')
  })
})
