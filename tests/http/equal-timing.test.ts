import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../support/http'
import { PASSWORD, signedInAs } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'
import { nextEmailTo, sign, SLUG } from '../support/signing'

// Issue 13 item 6 (ADR 095): a known and an unknown address are answered alike and take the same work,
// on sign-in, password reset and resend. Two checks each: the answers are the same (status,
// location, body), and a coarse timing comparison. The timing one compares medians of interleaved
// requests with a wide allowance (three times the faster, plus 25 ms), so a busy two-core machine
// cannot make it flake, while an argon2 hash done for one kind of address only (tens of
// milliseconds against one) still fails it.
let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_LOGIN_PER_IP: '100000', RATE_LIMIT_SIGN_PER_IP: '100000' })
})
afterAll(async () => {
  await server?.stop()
})

let network = 0
/** Every request from its own network, so no per-network limit or wait is what is measured. */
const fresh = () => new Client(server.url, { 'X-Forwarded-For': `2001:db8:${(++network).toString(16)}::1` })
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
/** Strips what differs between any two answers (the CSP nonce), leaving what could tell addresses apart. */
const comparable = async (res: Response, typed = '') => ({
  status: res.status,
  location: res.headers.get('Location'),
  // The form echoes back the address typed: that one difference is the asker's own words.
  body: (await res.text()).replace(/nonce="[^"]*"/g, 'nonce=""').replace(/"nonce":"[^"]*"/g, '').replaceAll(typed || '\0', '<typed>'),
})

async function timeBoth(rounds: number, known: () => Promise<Response>, unknown: () => Promise<Response>) {
  const times = { known: [] as number[], unknown: [] as number[] }
  const once = async (kind: 'known' | 'unknown') => {
    const start = performance.now()
    const res = await (kind === 'known' ? known() : unknown())
    await res.arrayBuffer()
    times[kind].push(performance.now() - start)
  }
  await once('known') // warm-up, not counted
  await once('unknown')
  times.known.length = times.unknown.length = 0
  for (let i = 0; i < rounds; i++) {
    // Alternating which goes first, so a slow spell of the machine falls on both alike.
    for (const kind of i % 2 ? (['known', 'unknown'] as const) : (['unknown', 'known'] as const)) await once(kind)
  }
  return { known: median(times.known), unknown: median(times.unknown) }
}

function expectAlike(m: { known: number; unknown: number }) {
  const [fast, slow] = [Math.min(m.known, m.unknown), Math.max(m.known, m.unknown)]
  expect(slow, `medians: known ${m.known.toFixed(1)} ms, unknown ${m.unknown.toFixed(1)} ms`).toBeLessThanOrEqual(3 * fast + 25)
}

describe('known and unknown addresses', () => {
  it('sign-in: the same answer, after the same argon2 work', async () => {
    const { email } = await signedInAs(server, 'organiser')
    const a = await comparable(await fresh().post('/admin/login', { email, password: `not ${PASSWORD}` }), email)
    const b = await comparable(await fresh().post('/admin/login', { email: 'nobody-here@example.org', password: `not ${PASSWORD}` }), 'nobody-here@example.org')
    expect(a).toEqual(b)
    expect(a.status).toBe(401)
    const m = await timeBoth(
      10,
      () => fresh().post('/admin/login', { email, password: `not ${PASSWORD}` }),
      () => fresh().post('/admin/login', { email: `nobody-${network}@example.org`, password: `not ${PASSWORD}` }),
    )
    expectAlike(m)
  }, 240_000)

  it('password reset: the same answer, given before the look-up is acted on', async () => {
    const { email } = await signedInAs(server, 'viewer')
    const a = await comparable(await fresh().post('/admin/forgot', { email }))
    const b = await comparable(await fresh().post('/admin/forgot', { email: 'nobody-here@example.org' }))
    expect(a).toEqual(b)
    expect(a.status).toBe(200)
    // The known address does get its link; the answer said nothing of it.
    await server.resend.waitFor((all) => all.some((m) => m.to.includes(email) && m.html.includes('/admin/password/')))
    const m = await timeBoth(
      15,
      () => fresh().post('/admin/forgot', { email }),
      () => fresh().post('/admin/forgot', { email: `nobody-${network}@example.org` }),
    )
    expectAlike(m)
  }, 240_000)

  it('resend: the same answer, given before the look-up is acted on', async () => {
    const { form } = await sign(server)
    await nextEmailTo(server, form.email)
    const resend = (email: string) => fresh().post(`/campaigns/${SLUG}/resend?lang=en`, { email })
    const a = await comparable(await resend(form.email))
    const b = await comparable(await resend('nobody-here@example.org'))
    expect(a).toEqual(b)
    expect(a.status).toBe(303)
    await nextEmailTo(server, form.email, 1)
    const m = await timeBoth(
      15,
      () => resend(form.email),
      () => resend(`nobody-${network}@example.org`),
    )
    expectAlike(m)
  }, 240_000)
})
