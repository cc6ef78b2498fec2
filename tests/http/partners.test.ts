import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { campaignBySlug, campaignForm } from '../support/campaigns'
import { Client } from '../support/http'
import { signedInAs } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'
import { counts, linkIn, nextEmailTo, SLUG, signForm } from '../support/signing'

// Partners (ADR 122): organisers add them, each gets a share link, signatures keep the partner that
// brought them on every sign path, and the dashboard counts them without touching the one count.

let server: TestServer
let organiser: Client
// A real PNG whose metadata names its author: the served logo is re-encoded without it (ADR 114).
const AUTHOR = 'Logo Designer, Mashhad'
let PNG: Buffer

async function addPartner(client: Client, slug: string, fields: Record<string, string>, logo?: Buffer) {
  const body = new FormData()
  body.set('intent', 'add')
  for (const [k, v] of Object.entries(fields)) body.set(k, v)
  if (logo) body.set('logo', new Blob([new Uint8Array(logo)]), 'logo.png')
  return client.request(`/admin/campaigns/${slug}/partners`, { method: 'POST', body, headers: { Origin: client.base } })
}
const partnerRow = (name: string) => server.db.selectFrom('partners').selectAll().where('name', '=', name).executeTakeFirstOrThrow()
const partnerOf = async (email: string) =>
  (await server.db.selectFrom('signatures').select('partner_id').where('email_hash', '=', server.vault.emailHash(email)).executeTakeFirstOrThrow()).partner_id

beforeAll(async () => {
  PNG = await sharp({ create: { width: 600, height: 200, channels: 4, background: '#0a5' } }).withExif({ IFD0: { Artist: AUTHOR } }).png().toBuffer()
  server = await startTestServer({ RATE_LIMIT_LOGIN_PER_IP: '1000' })
  organiser = (await signedInAs(server, 'organiser')).client
  const other = await organiser.post('/admin/campaigns/new', campaignForm({ slug: 'other-campaign', status: 'open' }))
  if (other.status !== 302) throw new Error(`campaign not created: ${other.status}`)
})
afterAll(async () => {
  await server?.stop()
})

describe('partners', () => {
  it('are added by organisers with a random share link, an uploaded logo, a sealed contact and an audit entry', async () => {
    const res = await addPartner(organiser, SLUG, { name: 'Rights Alliance', url: 'https://rights.example', privacyUrl: 'https://rights.example/privacy', contactEmail: 'desk@rights.example' }, PNG)
    expect(res.status).toBe(303)
    expect((await addPartner(organiser, SLUG, { name: 'Second Circle' })).status).toBe(303)
    const row = await partnerRow('Rights Alliance')
    expect(row.ref).toMatch(/^[A-Za-z0-9_-]{12}$/)
    expect(row.ref).not.toBe(row.id)
    expect(row.contact_email_enc).not.toContain('desk@rights.example')
    expect(server.vault.decrypt(row.contact_email_enc!)).toBe('desk@rights.example')
    const audited = await server.db.selectFrom('audit_log').select('action').where('target', '=', row.id).execute()
    expect(audited.map((a) => a.action)).toEqual(['partner.add'])

    const page = await (await organiser.get(`/admin/campaigns/${SLUG}/partners`)).text()
    expect(page).toContain(`/campaigns/${SLUG}?via=${row.ref}`)
    const logo = await fetch(`${server.url}/campaigns/${SLUG}/partners/${row.ref}/logo`)
    expect(logo.headers.get('Content-Type')).toBe('image/webp')
    const served = Buffer.from(await logo.arrayBuffer())
    expect(PNG.includes(Buffer.from(AUTHOR))).toBe(true)
    expect(served.includes(Buffer.from(AUTHOR))).toBe(false)
    const meta = await sharp(served).metadata()
    expect([meta.format, meta.width, meta.height, meta.exif]).toEqual(['webp', 400, 133, undefined])
    // The logo of one campaign's partner is not served under another campaign.
    expect((await fetch(`${server.url}/campaigns/other-campaign/partners/${row.ref}/logo`)).status).toBe(404)
  })

  it('refuses an SVG or any non-image as a logo, and a link that is not http(s)', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    expect((await addPartner(organiser, SLUG, { name: 'Svg Org' }, svg)).status).toBe(400)
    expect((await addPartner(organiser, SLUG, { name: 'Js Org', url: 'javascript:alert(1)' })).status).toBe(400)
    expect(await server.db.selectFrom('partners').select('id').where('name', 'in', ['Svg Org', 'Js Org']).execute()).toHaveLength(0)
  })

  it('keeps the partner of the link through the form: the page, the direct path, and the form rendered again by the route', async () => {
    const { ref, id } = await partnerRow('Rights Alliance')
    const client = new Client(server.url)
    const html = await (await client.get(`/campaigns/${SLUG}?via=${ref}`)).text()
    expect(html).toContain(`name="via" value="${ref}"`)
    expect(html).toContain(`via=${ref}`)

    // A plain form post: the direct path (server/direct-paths.ts) answers it.
    const direct = signForm()
    const res = await client.post(`/campaigns/${SLUG}?lang=en&via=${ref}`, { ...direct, via: ref })
    expect(res.status).toBe(303)
    expect(await partnerOf(direct.email)).toBe(id)

    // A form sent back with an error keeps the partner in the form it renders again.
    const bad = await client.post(`/campaigns/${SLUG}?lang=en&via=${ref}`, { ...signForm(), email: 'not-an-address', via: ref })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain(`name="via" value="${ref}"`)
  })

  it('records no partner for a ref of another campaign, a removed partner or a made-up one', async () => {
    const other = await campaignBySlug(server, 'other-campaign')
    expect((await addPartner(organiser, 'other-campaign', { name: 'Elsewhere' })).status).toBe(303)
    const elsewhere = await partnerRow('Elsewhere')
    expect(elsewhere.campaign_id).toBe(other!.id)
    const second = await partnerRow('Second Circle')
    const removed = await organiser.post(`/admin/campaigns/${SLUG}/partners`, { intent: 'remove', partner: second.id })
    expect(removed.status).toBe(303)
    for (const via of [elsewhere.ref, second.ref, 'AAAAAAAAAAAA']) {
      const form = signForm()
      expect((await new Client(server.url).post(`/campaigns/${SLUG}?lang=en`, { ...form, via })).status).toBe(303)
      expect(await partnerOf(form.email)).toBeNull()
    }
  })

  it('counts verified signatures by partner on the dashboard, inside the one public count', async () => {
    const { ref } = await partnerRow('Rights Alliance')
    const before = (await counts(server)).signature_count
    const brought = []
    for (let i = 0; i < 2; i++) {
      const form = signForm()
      await new Client(server.url).post(`/campaigns/${SLUG}?lang=en`, { ...form, via: ref })
      brought.push(form)
    }
    const plain = signForm()
    await new Client(server.url).post(`/campaigns/${SLUG}?lang=en`, plain)
    for (const form of [...brought, plain]) {
      const email = await nextEmailTo(server, form.email)
      expect((await new Client(server.url).get(linkIn(server, email, 'confirm'))).status).toBe(303)
    }
    expect((await counts(server)).signature_count).toBe(before + 3)
    const figures = (await (await organiser.get(`/admin/campaigns/${SLUG}/figures`)).json()) as { partners: { name: string; count: number }[] }
    expect(figures.partners).toEqual([{ name: 'Rights Alliance', removed: false, count: 2 }])
    const dashboard = await (await organiser.get(`/admin/campaigns/${SLUG}`)).text()
    expect(dashboard).toMatch(/Rights Alliance<\/th><td>2<\/td>/)
  })
})
