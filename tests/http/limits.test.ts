import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../support/http'
import { startTestServer, type TestServer } from '../support/server'
import { signForm, SLUG } from '../support/signing'

// Issue 13: the campaign-wide sign budget was spent before the form was validated, so empty posts
// from rotating addresses locked every real signer out; and limits keyed on the full IPv6 address,
// so one /64 was an unlimited supply of clients.

describe('the campaign-wide sign budget', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_SIGN_PER_CAMPAIGN_PER_MINUTE: '3', RATE_LIMIT_SIGN_PER_IP: '1000' })
  })
  afterAll(async () => {
    await server?.stop()
  })
  const post = (ip: string, form: Record<string, string>) => new Client(server.url, { 'X-Forwarded-For': ip }).post(`/campaigns/${SLUG}?lang=en`, form)

  it('is not spent by invalid posts from rotating addresses', async () => {
    for (let i = 1; i <= 10; i++) expect((await post(`198.51.100.${i}`, { name: '', email: '', country: '' })).status).toBe(400)
    for (let i = 1; i <= 3; i++) expect((await post(`203.0.113.${i}`, signForm())).status).toBe(303)
    expect(await server.db.selectFrom('signatures').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: 3 })
  })

  it('still stops well-formed signatures past it, with a message and Retry-After', async () => {
    const res = await post('203.0.113.99', signForm())
    expect(res.status).toBe(429)
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect(await res.text()).toContain('Too many attempts')
  })
})

describe('IPv6 clients', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_SIGN_PER_IP: '3' })
  })
  afterAll(async () => {
    await server?.stop()
  })
  const post = (ip: string) => new Client(server.url, { 'X-Forwarded-For': ip }).post(`/campaigns/${SLUG}?lang=en`, signForm())

  it('are one client per /64 for the sign limit, and a neighbouring /64 is another', async () => {
    for (let i = 1; i <= 3; i++) expect((await post(`2001:db8:1:2::${i.toString(16)}`)).status).toBe(303)
    expect((await post('2001:db8:1:2:ffff:ffff:ffff:ffff')).status).toBe(429)
    expect((await post('2001:db8:1:3::1')).status).toBe(303)
  })

  it('share one IP hash per /64, so the fraud flag sees the burst', async () => {
    const hashes = await server.db.selectFrom('signatures').select('ip_hash').groupBy('ip_hash').select((eb) => eb.fn.countAll<number>().as('n')).orderBy('n', 'desc').execute()
    expect(hashes.map((h) => h.n)).toEqual([3, 1])
  })
})

describe('the IPv6 prefix length', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_SIGN_PER_IP: '2', IPV6_PREFIX_LENGTH: '48' })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('is a setting: with 48, two /64s of one /48 are one client', async () => {
    const post = (ip: string) => new Client(server.url, { 'X-Forwarded-For': ip }).post(`/campaigns/${SLUG}?lang=en`, signForm())
    expect((await post('2001:db8:7:1::1')).status).toBe(303)
    expect((await post('2001:db8:7:2::1')).status).toBe(303)
    expect((await post('2001:db8:7:3::1')).status).toBe(429)
  })
})
