import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOrganiser, setPassword } from '../../app/models/organiser.server'
import { campaignForm } from '../support/campaigns'
import { Client } from '../support/http'
import { PASSWORD, signedInAs } from '../support/organisers'
import { linksIn } from '../support/fake-resend'
import { DIRECT_PATH_SETTINGS, localLink, startTestServer, type TestServer } from '../support/server'
import { linkIn, nextEmailTo, signForm, SLUG } from '../support/signing'

// Consent per partner and partner-scoped organisers (ADR 131): the unticked "{partner} may email me"
// box beside a partner the server resolved, stored through both sign paths, counted once confirmed,
// stopped by withdrawal and by the unsubscribe page on its own; and a partner's organisers who export
// only their own partner's opted-in, confirmed supporters.

const MADE_UP = 'AAAAAAAAAAAA'

async function addPartner(client: Client, slug: string, fields: Record<string, string>) {
  const body = new FormData()
  body.set('intent', 'add')
  for (const [k, v] of Object.entries(fields)) body.set(k, v)
  const res = await client.request(`/admin/campaigns/${slug}/partners`, { method: 'POST', body, headers: { Origin: client.base } })
  if (res.status !== 303) throw new Error(`partner not added: ${res.status}`)
}
const partnerRow = (server: TestServer, name: string) => server.db.selectFrom('partners').selectAll().where('name', '=', name).executeTakeFirstOrThrow()
const signatureOf = (server: TestServer, email: string) =>
  server.db.selectFrom('signatures').selectAll().where('email_hash', '=', server.vault.emailHash(email)).executeTakeFirstOrThrow()
const signVia = (server: TestServer, ref: string | null, fields: Record<string, string> = {}) => {
  const form = signForm(fields)
  return new Client(server.url)
    .post(`/campaigns/${SLUG}?lang=en${ref ? `&via=${ref}` : ''}`, ref ? { ...form, via: ref } : form)
    .then(async (res) => ({ res, form, body: await res.text() }))
}

/** A campaign with two partners, A (with a privacy notice) and B, one partner of another campaign, and a removed one. */
async function partnersOf(server: TestServer, organiser: Client) {
  await addPartner(organiser, SLUG, { name: 'Alpha Rights', privacyUrl: 'https://alpha.example/privacy', contactEmail: 'desk@alpha.example' })
  await addPartner(organiser, SLUG, { name: 'Beta Voices', contactEmail: 'desk@beta.example' })
  await addPartner(organiser, SLUG, { name: 'Gone Group' })
  const gone = await partnerRow(server, 'Gone Group')
  if ((await organiser.post(`/admin/campaigns/${SLUG}/partners`, { intent: 'remove', partner: gone.id })).status !== 303) throw new Error('not removed')
  const other = await organiser.post('/admin/campaigns/new', campaignForm({ slug: 'other-campaign', status: 'open' }))
  if (other.status !== 302) throw new Error(`campaign not created: ${other.status}`)
  await addPartner(organiser, 'other-campaign', { name: 'Elsewhere' })
  return { a: await partnerRow(server, 'Alpha Rights'), b: await partnerRow(server, 'Beta Voices'), gone, elsewhere: await partnerRow(server, 'Elsewhere') }
}

// Both sign paths (ADR 117): with DIRECT_PATHS=false the route's action answers the same post.
describe.each(DIRECT_PATH_SETTINGS)('the partner box, DIRECT_PATHS=%s', (directPaths) => {
  let server: TestServer
  let p: Awaited<ReturnType<typeof partnersOf>>
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_SIGN_PER_IP: '10000', RATE_LIMIT_LOGIN_PER_IP: '1000', DIRECT_PATHS: directPaths })
    p = await partnersOf(server, (await signedInAs(server, 'organiser')).client)
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('stores a tick beside a current partner of this campaign, and nothing for a box left empty or a ref the server does not resolve', async () => {
    const ticked = await signVia(server, p.a.ref, { partnerOptIn: 'on' })
    const unticked = await signVia(server, p.a.ref)
    expect([ticked.res.status, unticked.res.status]).toEqual([303, 303])
    expect(await signatureOf(server, ticked.form.email)).toMatchObject({ partner_id: p.a.id, partner_opt_in: 1, news_opt_in: 0 })
    expect(await signatureOf(server, unticked.form.email)).toMatchObject({ partner_id: p.a.id, partner_opt_in: 0 })
    // A tick posted by hand with no partner, another campaign's, a removed one's or a made-up ref: no partner, no consent.
    for (const ref of [null, p.elsewhere.ref, p.gone.ref, MADE_UP]) {
      const { res, form } = await signVia(server, ref, { partnerOptIn: 'on' })
      expect(res.status).toBe(303)
      expect(await signatureOf(server, form.email)).toMatchObject({ partner_id: null, partner_opt_in: 0 })
    }
  })

  it('keeps the tick of a form refused for a bad field, so nothing good is lost', async () => {
    const { res, body } = await signVia(server, p.a.ref, { partnerOptIn: 'on', email: 'not-an-address' })
    expect(res.status).toBe(400)
    expect(body).toMatch(/<input type="checkbox" id="sign-partnerOptIn" name="partnerOptIn"[^>]*checked/)
  })
})

describe('consent per partner', () => {
  let server: TestServer
  let admin: Client
  let organiser: Client
  let p: Awaited<ReturnType<typeof partnersOf>>

  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_SIGN_PER_IP: '10000', RATE_LIMIT_LOGIN_PER_IP: '1000' })
    admin = (await signedInAs(server, 'admin')).client
    organiser = (await signedInAs(server, 'organiser')).client
    p = await partnersOf(server, organiser)
  })
  afterAll(async () => {
    await server?.stop()
  })

  /** Signs through the link of `ref` with the boxes given, and confirms unless asked not to; returns the signer's address and emails. */
  async function supporter(ref: string | null, boxes: { partner?: boolean; news?: boolean; confirm?: boolean } = {}) {
    const { res, form } = await signVia(server, ref, { ...(boxes.partner ? { partnerOptIn: 'on' } : {}), ...(boxes.news ? { newsOptIn: 'on' } : {}) })
    expect(res.status).toBe(303)
    const email = await nextEmailTo(server, form.email)
    if (boxes.confirm !== false) expect((await new Client(server.url).get(linkIn(server, email, 'confirm'))).status).toBe(303)
    return { address: form.email, email }
  }
  const exportOf = async (client: Client, ref: string) => {
    const res = await client.get(`/admin/campaigns/${SLUG}/partners/${ref}/export.csv`)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    const rows = parse((await res.text()).replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[]
    return rows
  }
  const emailsIn = (rows: Record<string, string>[]) => rows.map((r) => r.email).sort()

  it('offers the box, unticked, naming the partner and its privacy notice, only through a current partner of this campaign', async () => {
    const html = await (await new Client(server.url).get(`/campaigns/${SLUG}?via=${p.a.ref}&lang=en`)).text()
    const box = /<input type="checkbox" id="sign-partnerOptIn" name="partnerOptIn"[^>]*>/.exec(html)?.[0]
    expect(box).toBeDefined()
    expect(box).not.toContain('checked')
    expect(html).toContain('<bdi>Alpha Rights</bdi> may email me about its work')
    expect(html).toContain('href="https://alpha.example/privacy"')
    // Beta has no privacy notice: its box has no such link.
    const beta = await (await new Client(server.url).get(`/campaigns/${SLUG}?via=${p.b.ref}&lang=en`)).text()
    expect(beta).toContain('<bdi>Beta Voices</bdi> may email me')
    expect(beta).not.toContain('Privacy notice of <bdi>')
    for (const query of ['', `&via=${p.elsewhere.ref}`, `&via=${p.gone.ref}`, `&via=${MADE_UP}`]) {
      const page = await (await new Client(server.url).get(`/campaigns/${SLUG}?lang=en${query}`)).text()
      expect(page).toContain('name="newsOptIn"')
      expect(page, query).not.toContain('name="partnerOptIn"')
      expect(page).not.toContain('sign-partner-hint')
    }
  })

  it('says on the privacy page, in each language, what a partner receives and only with the tick', async () => {
    const heading = { en: 'Partner organisations', fa: 'سازمان‌های همکار', ar: 'المنظمات الشريكة', fr: 'Organisations partenaires', es: 'Organizaciones aliadas' }
    for (const [lang, text] of Object.entries(heading)) {
      const html = await (await fetch(`${server.url}/privacy?lang=${lang}`)).text()
      expect(html, lang).toContain(`<h2>${text}</h2>`)
    }
  })

  it('shows the box in all five languages, the partner named in each', async () => {
    const words = { fa: 'می‌تواند درباره‌ی فعالیت‌هایش به من ایمیل بزند', ar: 'أوافق على أن يراسلني <bdi>Alpha Rights</bdi>', fr: 'peut m’écrire par e-mail', es: 'puede escribirme por correo' }
    for (const [lang, text] of Object.entries(words)) {
      const html = await (await new Client(server.url).get(`/campaigns/${SLUG}?via=${p.a.ref}&lang=${lang}`)).text()
      expect(html, lang).toContain(text)
      expect(html, lang).toContain('<bdi>Alpha Rights</bdi>')
    }
  })

  it("gives each partner's organisers only that partner's confirmed, opted-in supporters, never the other's, never the unticked, never the pending", async () => {
    const a1 = await supporter(p.a.ref, { partner: true })
    const a2 = await supporter(p.a.ref, { partner: true, news: true })
    const aNo = await supporter(p.a.ref, { news: true })
    const aPending = await supporter(p.a.ref, { partner: true, confirm: false })
    const b1 = await supporter(p.b.ref, { partner: true })
    const bNo = await supporter(p.b.ref)
    const plain = await supporter(null, { news: true })

    const orgA = await partnerOrganiser(server, p.a.id)
    const orgB = await partnerOrganiser(server, p.b.id)
    const ofA = await exportOf(orgA, p.a.ref)
    expect(emailsIn(ofA)).toEqual([a1.address, a2.address].sort())
    expect(Object.keys(ofA[0])).toEqual(['name', 'email', 'country_code', 'country', 'confirmed_at', 'language'])
    // No name: these signers did not choose to show it (ADR 137).
    expect(ofA[0]).toMatchObject({ name: '', country_code: 'CA', country: 'Canada', language: 'en' })
    expect(emailsIn(await exportOf(orgB, p.b.ref))).toEqual([b1.address])
    // The campaign's organisers export per partner too, the same file.
    expect(emailsIn(await exportOf(organiser, p.a.ref))).toEqual([a1.address, a2.address].sort())
    const everyone = [a1, a2, aNo, aPending, b1, bNo, plain].map((s) => s.address)
    expect(everyone.filter((e) => !emailsIn(ofA).includes(e))).toEqual([aNo, aPending, b1, bNo, plain].map((s) => s.address))

    // The pending one counts once confirmed, not before.
    const figures = async (client: Client, ref: string) => {
      const html = await (await client.get(`/admin/campaigns/${SLUG}/partners/${ref}`)).text()
      return { verified: /data-figure="verified">(\d+)</.exec(html)?.[1], optedIn: /data-figure="opted-in">(\d+)</.exec(html)?.[1] }
    }
    expect(await figures(orgA, p.a.ref)).toEqual({ verified: '3', optedIn: '2' })
    expect((await new Client(server.url).get(linkIn(server, aPending.email, 'confirm'))).status).toBe(303)
    expect(emailsIn(await exportOf(orgA, p.a.ref))).toEqual([a1.address, a2.address, aPending.address].sort())
    expect(await figures(orgA, p.a.ref)).toEqual({ verified: '4', optedIn: '3' })

    // Every export is audited, with who and which partner.
    const audited = await server.db.selectFrom('audit_log').select(['action', 'target', 'organiser_id']).where('action', '=', 'export.partner-supporters').execute()
    expect(audited.map((r) => r.target).sort()).toEqual([p.a.id, p.a.id, p.a.id, p.b.id].sort())
  })

  it("refuses a partner's organiser the other partner's page and file, the full export, the partners' contacts and every campaign page", async () => {
    const orgA = await partnerOrganiser(server, p.a.id)
    for (const path of [`/admin/campaigns/${SLUG}/partners/${p.b.ref}/export.csv`, `/admin/campaigns/${SLUG}/partners/${p.b.ref}`, `/admin/campaigns/other-campaign/partners/${p.elsewhere.ref}/export.csv`]) {
      const res = await orgA.get(path)
      const body = await res.text()
      expect(res.status, path).toBe(404)
      expect(body).not.toMatch(/signer-|desk@/)
    }
    for (const path of [`/admin/campaigns/${SLUG}/export.csv`, `/admin/campaigns/${SLUG}/partners`, `/admin/campaigns/${SLUG}`, `/admin/campaigns/${SLUG}/figures`, '/admin/missions']) {
      const res = await orgA.get(path)
      const body = await res.text()
      expect(res.status, path).toBe(403)
      expect(body).not.toMatch(/signer-|desk@/)
    }
    // Its own page is its home; it cannot invite anyone there.
    const home = await orgA.get('/admin')
    expect([home.status, home.headers.get('Location')]).toEqual([302, `/admin/campaigns/${SLUG}/partners/${p.a.ref}`])
    expect((await orgA.post(`/admin/campaigns/${SLUG}/partners/${p.a.ref}`, { intent: 'invite', email: 'friend@alpha.example' })).status).toBe(403)
    // A viewer reads no partner's file either.
    const viewer = (await signedInAs(server, 'viewer')).client
    expect((await viewer.get(`/admin/campaigns/${SLUG}/partners/${p.a.ref}/export.csv`)).status).toBe(403)
    // A removed partner's organiser is out too.
    const orgGone = await partnerOrganiser(server, p.gone.id)
    expect((await orgGone.get(`/admin/campaigns/${SLUG}/partners/${p.gone.ref}/export.csv`)).status).toBe(404)
  })

  it('lets an admin invite an account limited to one partner, audited', async () => {
    const res = await admin.post(`/admin/campaigns/${SLUG}/partners/${p.b.ref}`, { intent: 'invite', email: 'staff@beta.example', name: 'Beta Staff' })
    expect(res.status).toBe(303)
    const account = await server.db.selectFrom('organisers').select(['id', 'partner_id', 'role']).where('email_hash', '=', server.vault.emailHash('staff@beta.example')).executeTakeFirstOrThrow()
    expect(account).toMatchObject({ partner_id: p.b.id, role: 'viewer' })
    const audited = await server.db.selectFrom('audit_log').select(['details_json']).where('action', '=', 'organiser-invited').where('target', '=', `organiser:${account.id}`).executeTakeFirstOrThrow()
    expect(JSON.parse(audited.details_json)).toMatchObject({ partner: p.b.id })
    // The set-password link goes out at once, as from the Organisers page.
    const invitation = await nextEmailTo(server, 'staff@beta.example')
    expect(invitation.html).toContain('/admin/password/')
    // The Organisers page names the scope, and no role can be given to the account.
    const list = await (await admin.get('/admin/organisers')).text()
    expect(list).toContain('partner organiser')
    const widen = await admin.post('/admin/organisers', { intent: 'role', id: account.id, role: 'admin' })
    expect(widen.status).toBe(409)
    expect((await server.db.selectFrom('organisers').select('role').where('id', '=', account.id).executeTakeFirstOrThrow()).role).toBe('viewer')
    // An organiser (not admin) may export but not give accounts.
    expect((await organiser.post(`/admin/campaigns/${SLUG}/partners/${p.b.ref}`, { intent: 'invite', email: 'other@beta.example' })).status).toBe(403)
  })

  it('protects the partner file against formulas in a name', async () => {
    // The form refuses such a name (error.name.formula); one stored before that rule, or by another path, must still leave as text.
    const { res, form } = await signVia(server, p.b.ref, { partnerOptIn: 'on', showName: 'on' })
    expect(res.status).toBe(303)
    await server.db.updateTable('signatures').set({ name_enc: server.vault.encrypt(' =SUM(1+2)*cmd') }).where('email_hash', '=', server.vault.emailHash(form.email)).execute()
    expect((await new Client(server.url).get(linkIn(server, await nextEmailTo(server, form.email), 'confirm'))).status).toBe(303)
    const raw = await (await organiser.get(`/admin/campaigns/${SLUG}/partners/${p.b.ref}/export.csv`)).text()
    expect(raw).toContain(`"' =SUM(1+2)*cmd"`)
    expect(raw).not.toMatch(/(^|,)"?=SUM/m)
  })

  it('names in the partner file only the signers who chose to show their name, as its API does (ADR 137)', async () => {
    const shown = await signVia(server, p.b.ref, { partnerOptIn: 'on', showName: 'on', name: 'Shown Name' })
    const hidden = await signVia(server, p.b.ref, { partnerOptIn: 'on', name: 'Hidden Name' })
    for (const s of [shown, hidden]) expect((await new Client(server.url).get(linkIn(server, await nextEmailTo(server, s.form.email), 'confirm'))).status).toBe(303)
    const rows = await exportOf(organiser, p.b.ref)
    expect(rows.find((r) => r.email === shown.form.email)?.name).toBe('Shown Name')
    expect(rows.find((r) => r.email === hidden.form.email)?.name).toBe('')
    expect(JSON.stringify(rows)).not.toContain('Hidden Name')
  })

  it('drops a withdrawn signer from the partner file', async () => {
    const s = await supporter(p.a.ref, { partner: true })
    expect(emailsIn(await exportOf(organiser, p.a.ref))).toContain(s.address)
    expect((await new Client(server.url).post(linkIn(server, s.email, 'withdraw'), {})).status).toBe(200)
    expect(emailsIn(await exportOf(organiser, p.a.ref))).not.toContain(s.address)
  })

  it("stops the partner's emails, the campaign's news or both, each on its own, from the same link", async () => {
    const page = async (link: string) => (await new Client(server.url).get(link)).text()
    const both = await supporter(p.a.ref, { partner: true, news: true })
    const link = linkIn(server, both.email, 'unsubscribe')
    const html = await page(link)
    expect(html).toContain('<bdi>Alpha Rights</bdi> may email you about its work.')
    expect(html).toContain('You receive news of this campaign.')
    expect(html).toMatch(/name="stop" value="partner"/)
    expect(html).toMatch(/name="stop" value="news"/)
    expect(html).toMatch(/name="stop" value="both"/)
    const done = await new Client(server.url).post(link, { stop: 'partner' })
    expect(done.status).toBe(200)
    expect(await done.text()).toContain('We will no longer give your address to <bdi>Alpha Rights</bdi>')
    expect(await signatureOf(server, both.address)).toMatchObject({ partner_opt_in: 0, news_opt_in: 1 })
    expect(emailsIn(await exportOf(organiser, p.a.ref))).not.toContain(both.address)
    // The news is still on: the link still works and offers only it now.
    const after = await page(link)
    expect(after).not.toMatch(/name="stop"/)
    expect(after).toContain('Stop campaign news')

    const newsOnly = await supporter(p.a.ref, { partner: true, news: true })
    expect((await new Client(server.url).post(linkIn(server, newsOnly.email, 'unsubscribe'), { stop: 'news' })).status).toBe(200)
    expect(await signatureOf(server, newsOnly.address)).toMatchObject({ partner_opt_in: 1, news_opt_in: 0 })
    expect(emailsIn(await exportOf(organiser, p.a.ref))).toContain(newsOnly.address)

    const all = await supporter(p.a.ref, { partner: true, news: true })
    expect((await new Client(server.url).post(linkIn(server, all.email, 'unsubscribe'), { stop: 'both' })).status).toBe(200)
    expect(await signatureOf(server, all.address)).toMatchObject({ partner_opt_in: 0, news_opt_in: 0 })
    expect((await new Client(server.url).get(linkIn(server, all.email, 'unsubscribe'))).status).toBe(410)

    // The one-click header (RFC 8058) stops the list the email came from: the campaign's news only.
    const oneClick = await supporter(p.a.ref, { partner: true, news: true })
    expect(oneClick.email.headers['List-Unsubscribe']).toBeDefined()
    expect((await new Client(server.url).post(linkIn(server, oneClick.email, 'unsubscribe'), 'List-Unsubscribe=One-Click')).status).toBe(200)
    expect(await signatureOf(server, oneClick.address)).toMatchObject({ partner_opt_in: 1, news_opt_in: 0 })

    // Partner consent without news: the email still carries the link, with no one-click header.
    const partnerOnly = await supporter(p.a.ref, { partner: true })
    expect(partnerOnly.email.headers['List-Unsubscribe']).toBeUndefined()
    // Its footer says the link is about choices, not only the news this signer never asked for.
    expect(partnerOnly.email.html).toContain('Choose which emails you receive')
    expect(oneClick.email.html).toContain('Choose which emails you receive')
    const newsAlone = await supporter(null, { news: true })
    expect(newsAlone.email.html).not.toContain('Choose which emails you receive')
    expect(newsAlone.email.html).toContain('Stop campaign news')
    const only = await page(linkIn(server, partnerOnly.email, 'unsubscribe'))
    expect(only).toMatch(/name="stop" value="partner"/)
    expect(only).not.toMatch(/value="news"|value="both"/)
  })

  it('shows on the private inclusion page which emails the signer agreed to, as they change', async () => {
    const inclusion = (email: { html: string }) => localLink(server, linksIn(email.html).find((l) => l.includes('/s/inclusion/'))!)
    const section = async (link: string) => /<section aria-labelledby="consents-heading">([\s\S]*?)<\/section>/.exec(await (await new Client(server.url).get(link)).text())?.[1] ?? ''
    const s = await supporter(p.a.ref, { partner: true, news: true })
    const before = await section(inclusion(s.email))
    expect(before).toContain('You receive news of this campaign.')
    expect(before).toContain('<bdi>Alpha Rights</bdi> may email you about its work.')
    await new Client(server.url).post(linkIn(server, s.email, 'unsubscribe'), { stop: 'partner' })
    const after = await section(inclusion(s.email))
    expect(after).toContain('You receive news of this campaign.')
    expect(after).not.toContain('Alpha Rights')
    const quiet = await supporter(null)
    expect(await section(inclusion(quiet.email))).toContain('Only the emails about your signature')
  })

  it('takes the latest choice of a pending signature, and never changes a confirmed one by signing again', async () => {
    const { form: ticked } = await signVia(server, p.a.ref, { partnerOptIn: 'on' })
    const form = { name: ticked.name, email: ticked.email, country: ticked.country }
    await new Client(server.url).post(`/campaigns/${SLUG}?lang=en&via=${p.a.ref}`, { ...form, via: p.a.ref })
    expect(await signatureOf(server, form.email)).toMatchObject({ status: 'pending', partner_id: p.a.id, partner_opt_in: 0 })
    // The second form came through B with the box ticked: the tick is B's, and so is the signature.
    await new Client(server.url).post(`/campaigns/${SLUG}?lang=en&via=${p.b.ref}`, { ...form, via: p.b.ref, partnerOptIn: 'on' })
    expect(await signatureOf(server, form.email)).toMatchObject({ status: 'pending', partner_id: p.b.id, partner_opt_in: 1 })

    const confirmed = await supporter(p.a.ref)
    await new Client(server.url).post(`/campaigns/${SLUG}?lang=en&via=${p.a.ref}`, { name: 'Test Signer', email: confirmed.address, country: 'CA', via: p.a.ref, partnerOptIn: 'on' })
    expect(await signatureOf(server, confirmed.address)).toMatchObject({ status: 'verified', partner_opt_in: 0 })
  })
})

/** An account limited to one partner, signed in. */
async function partnerOrganiser(server: TestServer, partnerId: string) {
  const email = `partner-${Math.random().toString(36).slice(2)}@example.org`
  const account = await createOrganiser(server.db, server.vault, { email, role: 'viewer', name: 'Partner staff', partnerId })
  await setPassword(server.db, account.id, PASSWORD)
  const client = new Client(server.url)
  const res = await client.post('/admin/login', { email, password: PASSWORD, redirectTo: '/admin' })
  if (res.status !== 302) throw new Error(`sign-in failed with ${res.status}`)
  return client
}
