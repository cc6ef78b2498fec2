import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { personId } from '../../app/models/partner-api.server'
import { campaignForm } from '../support/campaigns'
import { Client } from '../support/http'
import { signedInAs } from '../support/organisers'
import { addPartner, createKey, signVia } from '../support/partners'
import { startTestServer, type TestServer } from '../support/server'
import { counts, linkIn, SLUG } from '../support/signing'

// The partners' read API (ADR 133): keys, scopes, pagination, isolation between partners, the
// public withholding of small counts, and the per-key rate limit.

let server: TestServer
let organiser: Client
let partnerA: { id: string; ref: string }
let partnerB: { id: string; ref: string }
let otherPartner: { id: string; ref: string }
/** Partner A's confirmed, opted-in signers. */
const aSigners: { id: string; email: string }[] = []
let bSigner: { id: string; email: string }
const RATE = 40
const API = '/api/osdi/v1'

const get = (path: string, key: string | null, header: 'bearer' | 'osdi' = 'bearer') =>
  fetch(`${server.url}${path}`, { headers: key === null ? {} : header === 'bearer' ? { Authorization: `Bearer ${key}` } : { 'OSDI-API-Token': key } })
/** Links carry APP_URL; the test follows them on the real port. */
const local = (href: string) => href.replace(server.config.appUrl, '')
type Page = {
  total_pages: number
  per_page: number
  page: number
  total_records: number
  _links: { self: { href: string }; next?: { href: string }; prev?: { href: string } }
  _embedded: Record<string, { identifiers: string[]; email_addresses?: { address: string; primary: boolean }[]; _links: Record<string, { href: string }> }[]>
}

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_LOGIN_PER_IP: '1000', RATE_LIMIT_API_PER_KEY_PER_MINUTE: String(RATE) })
  // Keys are an admin's to make (ADR 137).
  organiser = (await signedInAs(server, 'admin')).client
  if ((await organiser.post('/admin/campaigns/new', campaignForm({ slug: 'other-campaign', status: 'open' }))).status !== 302) throw new Error('campaign not created')
  partnerA = await addPartner(server, organiser, SLUG, 'Alliance A')
  partnerB = await addPartner(server, organiser, SLUG, 'Bureau B')
  otherPartner = await addPartner(server, organiser, 'other-campaign', 'Elsewhere C')
  for (let i = 0; i < 7; i++) {
    const s = await signVia(server, partnerA.ref, { country: 'CA' })
    aSigners.push({ id: s.id, email: s.form.email })
  }
  // A's signers who did not opt in, or did not confirm, are not A's to read.
  await signVia(server, partnerA.ref, { country: 'CA' }, { optIn: false })
  await signVia(server, partnerA.ref, { country: 'CA' }, { confirm: false })
  const b = await signVia(server, partnerB.ref, { country: 'FR' })
  bSigner = { id: b.id, email: b.form.email }
  // One signer from a country with a small figure: withheld publicly, so withheld from partners.
  await signVia(server, null, { country: 'IR' })
  await signVia(server, otherPartner.ref, { country: 'DE' }, { slug: 'other-campaign' })
})
afterAll(async () => {
  await server?.stop()
})

describe('partner API keys', () => {
  it('are shown once, stored as a SHA-256 hash with their scopes, audited, and not shown again', async () => {
    const key = await createKey(organiser, SLUG, partnerA.id, ['campaign:read', 'people:read'])
    expect(key).toMatch(/^pk_[A-Za-z0-9_-]{43}$/)
    const row = await server.db.selectFrom('partner_api_keys').selectAll().where('prefix', '=', key.slice(0, 10)).executeTakeFirstOrThrow()
    expect(row.key_hash).toBe(createHash('sha256').update(key).digest('base64url'))
    expect(JSON.stringify(row)).not.toContain(key.slice(10))
    expect(row.scopes).toBe('campaign:read people:read')
    expect((await server.db.selectFrom('audit_log').select('action').where('target', '=', row.id).execute()).map((a) => a.action)).toEqual(['partner.api-key.create'])
    const page = await (await organiser.get(`/admin/campaigns/${SLUG}/partners`)).text()
    expect(page).toContain(key.slice(0, 10))
    expect(page).not.toContain(key)
    // Only admins make keys (ADR 137): an organiser sees the keys and may revoke them, but makes none.
    for (const role of ['viewer', 'organiser'] as const) {
      const other = (await signedInAs(server, role)).client
      const refused = await other.post(`/admin/campaigns/${SLUG}/partners`, { intent: 'key-create', partner: partnerA.id, scope: 'people:read' })
      expect(refused.status, role).toBe(403)
    }
    const before = await server.db.selectFrom('partner_api_keys').select('id').execute()
    expect(before).toHaveLength(1)
    const organiserPage = await (await (await signedInAs(server, 'organiser')).client.get(`/admin/campaigns/${SLUG}/partners`)).text()
    expect(organiserPage).toContain(key.slice(0, 10))
    expect(organiserPage).toContain('An admin creates API keys')
    expect(organiserPage).not.toContain('value="key-create"')
    expect(page).toContain('value="key-create"')
  })

  it('answer 401 without a key, with a made-up or revoked one; 403 without the scope; 404 for another campaign', async () => {
    const none = await get(API, null)
    expect(none.status).toBe(401)
    expect(none.headers.get('WWW-Authenticate')).toContain('Bearer')
    expect(none.headers.get('Content-Type')).toContain('application/hal+json')
    expect(((await none.json()) as { message: string }).message).toMatch(/API key/)
    expect((await get(API, `pk_${'A'.repeat(43)}`)).status).toBe(401)

    const key = await createKey(organiser, SLUG, partnerA.id, ['campaign:read'])
    expect((await get(API, key)).status).toBe(200)
    // Action Network's header works as well as a bearer token.
    expect((await get(API, key, 'osdi')).status).toBe(200)
    const row = await server.db.selectFrom('partner_api_keys').select(['id', 'last_used_at']).where('prefix', '=', key.slice(0, 10)).executeTakeFirstOrThrow()
    expect(row.last_used_at).not.toBeNull()
    // Without people:read, no person and no list of people.
    expect((await get(`${API}/people`, key)).status).toBe(403)
    expect((await get(`${API}/people/${personId(server.vault, partnerA.id, aSigners[0].id)}`, key)).status).toBe(403)
    // A key of another campaign's partner reads its own campaign and nothing of this one.
    const other = await createKey(organiser, 'other-campaign', otherPartner.id, ['campaign:read', 'people:read'])
    expect((await get(`${API}/petitions/other-campaign`, other)).status).toBe(200)
    for (const path of [`/petitions/${SLUG}`, `/petitions/${SLUG}/signatures`, `/petitions/${SLUG}/counts`]) expect((await get(`${API}${path}`, other)).status).toBe(404)

    const revoke = await organiser.post(`/admin/campaigns/${SLUG}/partners`, { intent: 'key-revoke', key: row.id })
    expect(revoke.status).toBe(303)
    expect((await get(API, key)).status).toBe(401)
    expect((await server.db.selectFrom('audit_log').select('action').where('target', '=', row.id).execute()).map((a) => a.action)).toContain('partner.api-key.revoke')
    // A removed partner's keys stop working too.
    const gone = await addPartner(server, organiser, SLUG, 'Gone Group')
    const goneKey = await createKey(organiser, SLUG, gone.id, ['campaign:read'])
    expect((await get(API, goneKey)).status).toBe(200)
    expect((await organiser.post(`/admin/campaigns/${SLUG}/partners`, { intent: 'remove', partner: gone.id })).status).toBe(303)
    expect((await get(API, goneKey)).status).toBe(401)
  })

  it('are limited per key: past the rate, 429 with Retry-After, while another key still reads', async () => {
    const key = await createKey(organiser, SLUG, partnerB.id, ['campaign:read'])
    for (let i = 0; i < RATE; i++) expect((await get(API, key)).status).toBe(200)
    const limited = await get(API, key)
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect(((await limited.json()) as { message: string }).message).toMatch(/Too many/)
    expect((await get(API, await createKey(organiser, SLUG, partnerB.id, ['campaign:read']))).status).toBe(200)
  })
})

describe('the OSDI resources', () => {
  it('link from the entry point to the petition, with its verified total and HAL links', async () => {
    const key = await createKey(organiser, SLUG, partnerA.id, ['campaign:read', 'people:read'])
    const entry = (await (await get(API, key)).json()) as { _links: Record<string, { href: string }> }
    expect(entry._links['osdi:petitions'].href).toBe(`${server.config.appUrl}${API}/petitions`)
    expect(entry._links['osdi:people'].href).toBe(`${server.config.appUrl}${API}/people`)
    const list = (await (await get(local(entry._links['osdi:petitions'].href), key)).json()) as { _embedded: { 'osdi:petitions': { _links: { self: { href: string } } }[] } }
    expect(list._embedded['osdi:petitions']).toHaveLength(1)
    const res = await get(local(list._embedded['osdi:petitions'][0]._links.self.href), key)
    expect(res.headers.get('Content-Type')).toBe('application/hal+json; charset=utf-8')
    const petition = (await res.json()) as Record<string, unknown> & { _links: Record<string, { href: string }> }
    expect(petition.identifiers).toEqual([`petition-platform:${SLUG}`])
    expect(petition.total_signatures).toBe((await counts(server)).signature_count)
    expect(petition.browser_url).toBe(`${server.config.appUrl}/campaigns/${SLUG}`)
    expect(typeof petition.title).toBe('string')
    expect(typeof petition.description).toBe('string')
    expect(Date.parse(String(petition.created_date))).toBeGreaterThan(0)
    expect(Date.parse(String(petition.modified_date))).toBeGreaterThan(0)
    expect(petition._links['osdi:signatures'].href).toBe(`${server.config.appUrl}${API}/petitions/${SLUG}/signatures`)
    // The site's HTML 404 is not an API answer.
    const unknown = await get(`${API}/nothing-here`, key)
    expect([unknown.status, unknown.headers.get('Content-Type')]).toEqual([404, 'application/hal+json; charset=utf-8'])
  })

  it('count by country withholding the same small figures as the public data, and by day', async () => {
    // One signer confirmed three days ago: that day's figure (1) and the empty days after it are withheld.
    const early = await server.db.selectFrom('signatures').select('id').where('status', '=', 'verified').executeTakeFirstOrThrow()
    await server.db.updateTable('signatures').set({ confirmed_at: Date.now() - 3 * 86_400_000 }).where('id', '=', early.id).execute()
    const key = await createKey(organiser, SLUG, partnerB.id, ['campaign:read'])
    const body = (await (await get(`${API}/petitions/${SLUG}/counts`, key)).json()) as {
      total_signatures: number
      by_country: { country: string; total_signatures: number | null }[]
      by_day: { date: string; total_signatures: number | null }[]
    }
    const pub = await counts(server)
    expect(body.by_country.find((c) => c.country === 'IR')).toEqual({ country: 'IR', total_signatures: null })
    expect(body.by_country.map((c) => [c.country, c.total_signatures])).toEqual(pub.signatures_by_country.map((c) => [c.code, c.signature_count]))
    expect(body.total_signatures).toBe(pub.signature_count)
    expect(body.by_day).toHaveLength(4)
    expect(body.by_day.slice(0, 3).map((d) => d.total_signatures)).toEqual([null, null, null])
    expect(body.by_day.at(-1)).toEqual({ date: new Date().toISOString().slice(0, 10), total_signatures: pub.signature_count - 1 })
  })

  it('page the partner’s own confirmed, opted-in signers: totals, links, bounds and refused sizes', async () => {
    const key = await createKey(organiser, SLUG, partnerA.id, ['campaign:read'])
    const first = (await (await get(`${API}/petitions/${SLUG}/signatures?per_page=3`, key)).json()) as Page
    expect([first.total_records, first.total_pages, first.per_page, first.page]).toEqual([7, 3, 3, 1])
    expect(first._links.prev).toBeUndefined()
    expect(first._links.self.href).toBe(`${server.config.appUrl}${API}/petitions/${SLUG}/signatures?page=1&per_page=3`)
    const ids: string[] = []
    let page: Page | null = first
    let pages = 0
    while (page) {
      pages++
      ids.push(...page._embedded['osdi:signatures'].map((s) => s.identifiers[0]))
      for (const s of page._embedded['osdi:signatures']) expect(s._links['osdi:person'].href).toMatch(new RegExp(`${API}/people/[A-Za-z0-9_-]{22}$`))
      page = page._links.next ? ((await (await get(local(page._links.next.href), key)).json()) as Page) : null
    }
    expect(pages).toBe(3)
    expect(new Set(ids).size).toBe(7)
    const last = (await (await get(`${API}/petitions/${SLUG}/signatures?per_page=3&page=3`, key)).json()) as Page
    expect(last._embedded['osdi:signatures']).toHaveLength(1)
    expect(last._links.next).toBeUndefined()
    expect(last._links.prev!.href).toContain('page=2&per_page=3')
    const beyond = (await (await get(`${API}/petitions/${SLUG}/signatures?per_page=3&page=9`, key)).json()) as Page
    expect([beyond._embedded['osdi:signatures'].length, beyond.total_records]).toEqual([0, 7])
    const all = (await (await get(`${API}/petitions/${SLUG}/signatures?per_page=100`, key)).json()) as Page
    expect([all.total_pages, all._embedded['osdi:signatures'].length]).toEqual([1, 7])
    for (const bad of ['per_page=101', 'per_page=0', 'per_page=-1', 'per_page=ten', 'page=0', 'page=1.5']) {
      const res = await get(`${API}/petitions/${SLUG}/signatures?${bad}`, key)
      expect(res.status, bad).toBe(400)
      expect(((await res.json()) as { message: string }).message).toMatch(/page/)
    }
  })

  it('give a partner its own people only, under ids of its own that no other partner can use', async () => {
    const keyA = await createKey(organiser, SLUG, partnerA.id, ['people:read'])
    const keyB = await createKey(organiser, SLUG, partnerB.id, ['people:read'])
    const peopleA = (await (await get(`${API}/people?per_page=100`, keyA)).json()) as Page
    const emailsA = peopleA._embedded['osdi:people'].map((p) => p.email_addresses![0].address).sort()
    expect(emailsA).toEqual(aSigners.map((s) => s.email).sort())
    const peopleB = (await (await get(`${API}/people`, keyB)).json()) as Page
    expect(peopleB._embedded['osdi:people'].map((p) => p.email_addresses![0].address)).toEqual([bSigner.email])

    const idA = personId(server.vault, partnerA.id, aSigners[0].id)
    expect(idA).not.toContain(aSigners[0].id.replace(/-/g, '').slice(0, 8))
    // The same signer has unrelated ids at two partners: B's id for A's signer is not A's.
    expect(personId(server.vault, partnerB.id, aSigners[0].id)).not.toBe(idA)
    const person = (await (await get(`${API}/people/${idA}`, keyA)).json()) as Record<string, unknown>
    expect(person).toMatchObject({
      identifiers: [`petition-platform:${idA}`],
      email_addresses: [{ address: aSigners[0].email, primary: true }],
      postal_addresses: [{ country: 'CA' }],
      languages_spoken: ['en'],
    })
    // The name only where the signer chose to show it (ADR 043).
    expect(person.given_name).toBeUndefined()
    await server.db.updateTable('signatures').set({ show_name: 1 }).where('id', '=', aSigners[0].id).execute()
    expect(((await (await get(`${API}/people/${idA}`, keyA)).json()) as { given_name: string }).given_name).toBe('Test Signer')
    // B reaches none of A's people, whichever id it tries.
    expect((await get(`${API}/people/${idA}`, keyB)).status).toBe(404)
    expect((await get(`${API}/people/${personId(server.vault, partnerB.id, aSigners[0].id)}`, keyB)).status).toBe(404)
    expect((await get(`${API}/people/not-an-id`, keyA)).status).toBe(404)
  })

  it('forget a supporter who withdrew or no longer agrees', async () => {
    const key = await createKey(organiser, SLUG, partnerA.id, ['people:read'])
    const s = await signVia(server, partnerA.ref, { country: 'CA' })
    const id = personId(server.vault, partnerA.id, s.id)
    expect((await get(`${API}/people/${id}`, key)).status).toBe(200)
    expect((await s.client.post(linkIn(server, s.email, 'withdraw'), {})).status).toBeLessThan(400)
    expect(await server.db.selectFrom('signatures').select('id').where('id', '=', s.id).executeTakeFirst()).toBeUndefined()
    expect((await get(`${API}/people/${id}`, key)).status).toBe(404)
    await server.db.updateTable('signatures').set({ partner_opt_in: 0 }).where('id', '=', aSigners[6].id).execute()
    expect((await get(`${API}/people/${personId(server.vault, partnerA.id, aSigners[6].id)}`, key)).status).toBe(404)
    await server.db.updateTable('signatures').set({ partner_opt_in: 1 }).where('id', '=', aSigners[6].id).execute()
  })
})
