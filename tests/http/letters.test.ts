import { execFileSync, spawnSync } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UN_STATES } from '../../app/data/un-states'
import { merkleRoot, verifyInclusion, type ProofStep } from '../../app/letters/certificate.server'
import { bumpVerified } from '../../app/models/campaign.server'
import { getLetterDocument, recipientCertificateOf, startLetterJob } from '../../app/models/letter.server'
import { canonicalText } from '../../app/letters/text'
import { isOfficeHours } from '../../app/utils/office-hours'
import { signWebhook } from '../../app/utils/webhook-signature.server'
import { linksIn } from '../support/fake-resend'
import { Client, locationOf } from '../support/http'
import { signedInAs } from '../support/organisers'
import { localLink, startTestServer, type TestServer } from '../support/server'

const SLUG = 'justice-for-1988'
const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('base64')}`
let server: TestServer
let organiser: Client
let campaignId: string

beforeAll(async () => {
  server = await startTestServer({ RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET, LETTER_SEND_GAP_SECONDS: '0', RATE_LIMIT_SIGN_PER_IP: '1000' })
  organiser = (await signedInAs(server, 'organiser')).client
  campaignId = (await server.db.selectFrom('campaigns').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()).id
  // Egypt: two named signers and one who chose not to show a name; France: one.
  await seed('EG', 'Nadia Example', true)
  await seed('EG', 'Omar Example', true)
  await seed('EG', 'Hidden Example', false)
  await seed('FR', 'Claire Example', true)
})
afterAll(async () => {
  await server?.stop()
})

async function seed(country: string, name: string, showName: boolean) {
  const id = randomUUID()
  const now = Date.now()
  await server.db
    .insertInto('signatures')
    .values({
      id,
      campaign_id: campaignId,
      status: 'verified',
      email_hash: server.vault.emailHash(`${id}@example.org`),
      email_enc: server.vault.encrypt(`${id}@example.org`),
      name_enc: server.vault.encrypt(name),
      country_code: country,
      locale: 'en',
      show_name: showName ? 1 : 0,
      news_opt_in: 0,
      ip_hash: null,
      referrer: null,
      utm_source: null,
      utm_medium: null,
      utm_campaign: null,
      emails_in_window: 1,
      email_window_started_at: now,
      created_at: now,
      updated_at: now,
      confirmed_at: now,
    })
    .execute()
  await bumpVerified(server.db, campaignId, country, 1, now)
  return id
}

/** Signs and confirms through the real flow; returns the private inclusion link from the email. */
async function signAndConfirm(email: string, country: string) {
  const client = new Client(server.url)
  const res = await client.post(`/campaigns/${SLUG}?lang=en`, { name: 'Real Signer', email, country })
  expect(res.status).toBe(303)
  const mail = (await server.resend.waitFor((all) => all.some((e) => e.to.includes(email)))).find((e) => e.to.includes(email))!
  const links = linksIn(mail.html)
  const confirm = links.find((l) => l.includes('/s/confirm/'))!
  expect((await client.get(localLink(server, confirm))).status).toBe(303)
  return localLink(server, links.find((l) => l.includes('/s/inclusion/'))!)
}

async function generate(country: string): Promise<string> {
  const res = await organiser.post(`/admin/campaigns/${SLUG}/letters`, { intent: 'generate', country })
  expect(res.status).toBe(302)
  return locationOf(res).split('/').pop()!
}

const letterRow = (id: string) =>
  server.db.selectFrom('letter_versions').select(['code', 'version', 'country_count', 'total_count', 'merkle_root', 'leaves', 'pdf']).where('id', '=', id).executeTakeFirstOrThrow()

function pdfText(pdf: Buffer, name: string) {
  const file = path.join(server.dir, `${name}.pdf`)
  writeFileSync(file, pdf)
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
}

/** Page text without React's text separators. */
const text = (html: string) => html.replace(/<!-- -->/g, '')

function cli(args: string[]) {
  return spawnSync('node', ['build/cli.js', 'verify-letter', ...args], { encoding: 'utf8' })
}

describe('missions directory', () => {
  it('seeds 193 member states and 2 observer states, observers headed by Permanent Observers', async () => {
    const missions = await server.db.selectFrom('missions').selectAll().execute()
    expect(missions).toHaveLength(195)
    expect(missions.filter((m) => m.head_title === 'observer').map((m) => m.country_code).sort()).toEqual(['PS', 'VA'])
    expect(missions.find((m) => m.country_code === 'EG')).toMatchObject({ language: 'ar', city: 'new-york' })
  })

  it('lets an organiser correct a mission, and refuses a viewer', async () => {
    const res = await organiser.post('/admin/missions/LU', { headTitle: 'representative', language: 'fr', city: 'geneva', emails: 'lu.mission@example.org', postalAddress: '', notes: '' })
    expect(res.status).toBe(302)
    const lu = await server.db.selectFrom('missions').selectAll().where('country_code', '=', 'LU').executeTakeFirstOrThrow()
    expect(lu).toMatchObject({ language: 'fr', city: 'geneva', emails: 'lu.mission@example.org', language_confidence: 'set' })
    const bad = await organiser.post('/admin/missions/LU', { headTitle: 'representative', language: 'de', city: 'new-york', emails: 'not an email' })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('valid email')
    const viewer = (await signedInAs(server, 'viewer')).client
    expect((await viewer.post('/admin/missions/LU', { headTitle: 'observer', language: 'en', city: 'new-york' })).status).toBe(403)
  })

  it('exports CSV that a spreadsheet cannot run as a formula, and imports it back all or nothing', async () => {
    await organiser.post('/admin/missions/MT', { headTitle: 'representative', language: 'en', city: 'new-york', notes: '=HYPERLINK("http://evil.example","x")', emails: '' })
    const csv = await (await organiser.get('/admin/missions.csv')).text()
    const lines = csv.trim().split('\r\n')
    expect(lines).toHaveLength(196)
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`)
    expect(csv).not.toMatch(/,=HYPERLINK/)

    const upload = (content: string) => {
      const form = new FormData()
      form.set('file', new Blob([content], { type: 'text/csv' }), 'missions.csv')
      return organiser.request('/admin/missions/import', { method: 'POST', body: form, headers: { Origin: server.url } })
    }
    const invalid = csv.replace(/^(\uFEFF?.*\r\nAD,[^,]*,[^,]*,[^,]*,)fr,/s, '$1xx,')
    const refused = await upload(invalid)
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('Nothing was changed')
    const changed = csv.replace(/\r\nAD,([^,]*),([^,]*),([^,]*),fr,[^,]*,new-york/, '\r\nAD,$1,$2,$3,es,low,geneva')
    expect(changed).not.toBe(csv)
    const accepted = await upload(changed)
    expect(accepted.status).toBe(200)
    expect(text(await accepted.text())).toContain('195 missions updated')
    const ad = await server.db.selectFrom('missions').selectAll().where('country_code', '=', 'AD').executeTakeFirstOrThrow()
    expect(ad).toMatchObject({ language: 'es', city: 'geneva' })
    const mt = await server.db.selectFrom('missions').select('notes').where('country_code', '=', 'MT').executeTakeFirstOrThrow()
    expect(mt.notes).toBe('=HYPERLINK("http://evil.example","x")')
  })
})

describe('letters, versions and certificates', () => {
  it('generates a letter in the mission’s language with an English copy, named signers and a PDF that reads back', async () => {
    const id = await generate('EG')
    const page = await (await organiser.get(`/admin/campaigns/${SLUG}/letters/${id}`)).text()
    expect(page).toContain('سعادة الممثل الدائم لجمهورية مصر العربية لدى الأمم المتحدة')
    expect(page).toContain('The Permanent Representative of the Arab Republic of Egypt to the United Nations')
    expect(page).toContain('Nadia Example · Omar Example')
    expect(page).not.toContain('Hidden Example')
    expect(page).toContain('1 other signatory from your country chose not to have their names transmitted.')
    expect(page).toContain('data:image/svg+xml;base64,')

    const pdfRes = await organiser.get(`/admin/campaigns/${SLUG}/letters/${id}/pdf`)
    expect(pdfRes.headers.get('Content-Type')).toBe('application/pdf')
    const text = pdfText(Buffer.from(await pdfRes.arrayBuffer()), 'eg')
    expect(text).toContain('جمهورية مصر العربية')
    expect(text).toContain('يشرفني أن أكتب إليكم')
    expect(text).toContain('3 of them live in your country')
    expect(text).toContain('Nadia Example')
  })

  it('publishes what a letter certifies, and a certificate that verifies offline and fails once a byte changes', async () => {
    const id = await generate('FR')
    const row = await letterRow(id)
    const publicClient = new Client(server.url)
    const verify = await (await publicClient.get(`/verify/${row.code.toLowerCase()}`)).text()
    expect(verify).toContain('Verified signatures from this country')
    expect(verify).toContain('Signatures vérifiées de ce pays')
    expect(verify).toContain(row.merkle_root)
    expect(verify).not.toContain('Claire')

    const key = await (await publicClient.get('/.well-known/petition-signing-key')).json()
    expect(key).toMatchObject({ algorithm: 'Ed25519' })
    const pem = await (await publicClient.get('/.well-known/petition-signing-key?format=pem')).text()
    const certificate = await (await publicClient.get(`/verify/${row.code}/certificate.json`)).text()
    const dir = server.dir
    writeFileSync(path.join(dir, 'key.pem'), pem)
    writeFileSync(path.join(dir, 'fr.pdf'), row.pdf)
    writeFileSync(path.join(dir, 'fr.certificate.json'), certificate)

    // The published certificate alone cannot check a PDF (it holds no bare hash of it)...
    const unsalted = cli([path.join(dir, 'fr.pdf'), '--key', path.join(dir, 'key.pem')])
    expect(unsalted.status).toBe(1)
    expect(unsalted.stdout).toContain('needs the recipient’s salt')
    // ...the recipient's copy, with its salt, does.
    const full = await server.db.selectFrom('letter_versions').select(['id', 'certificate_json', 'certificate_sig']).where('id', '=', id).executeTakeFirstOrThrow()
    writeFileSync(path.join(dir, 'fr.certificate.json'), JSON.stringify(recipientCertificateOf(server.config, full)))
    const ok = cli([path.join(dir, 'fr.pdf'), '--key', path.join(dir, 'key.pem')])
    expect(ok.stdout).toContain('VALID')
    expect(ok.stdout).toContain('The PDF is the certified letter')
    expect(ok.status).toBe(0)

    const flipped = Buffer.from(row.pdf)
    flipped[Math.floor(flipped.length / 2)] ^= 0x01
    writeFileSync(path.join(dir, 'fr-flipped.pdf'), flipped)
    const badPdf = cli([path.join(dir, 'fr-flipped.pdf'), '--cert', path.join(dir, 'fr.certificate.json'), '--key', path.join(dir, 'key.pem')])
    expect(badPdf.status).toBe(1)
    expect(badPdf.stdout).toContain('the PDF is not the certified letter')

    const cert = JSON.parse(certificate)
    for (const change of [{ countryCount: cert.certificate.countryCount + 1 }, { merkleRoot: merkleRoot([randomBytes(32)]) }, { totalCount: 0 }]) {
      writeFileSync(path.join(dir, 'tampered.json'), JSON.stringify({ ...cert, certificate: { ...cert.certificate, ...change } }))
      const bad = cli([path.join(dir, 'tampered.json'), '--key', path.join(dir, 'key.pem')])
      expect(bad.status).toBe(1)
      expect(bad.stdout).toContain('INVALID')
    }
  })

  it('publishes nothing that lets a guessed annex be confirmed', async () => {
    await seed('JP', 'Guessable Example', true)
    const id = await generate('JP')
    const row = await letterRow(id)
    const doc = (await getLetterDocument(server.db, server.vault, id))!
    const truth = canonicalText(doc)
    expect(truth).toContain('Guessable Example')
    const client = new Client(server.url)
    const published = [
      await (await client.get(`/verify/${row.code}`)).text(),
      await (await client.get(`/verify/${row.code}/certificate.json`)).text(),
      await (await client.get('/.well-known/petition-signing-key')).text(),
    ].join('\n')
    const { createHash } = await import('node:crypto')
    // A guesser who rebuilds the exact text, or even holds the exact PDF, finds no hash of it anywhere.
    for (const bytes of [Buffer.from(truth), row.pdf]) {
      const digest = createHash('sha256').update(bytes).digest()
      for (const form of [digest.toString('hex'), digest.toString('base64'), digest.toString('base64url')]) expect(published).not.toContain(form)
    }
    const cert = JSON.parse(await (await client.get(`/verify/${row.code}/certificate.json`)).text())
    expect(cert.recipientSalt).toBeUndefined()
    expect(Object.keys(cert.certificate)).not.toContain('textSha256')
    expect(Object.keys(cert.certificate)).not.toContain('pdfSha256')
    // The only digest of the letter is keyed by a salt the public does not have: every guess of the
    // annex, the true one included, is indistinguishable without it.
    const { createHmac } = await import('node:crypto')
    for (const guess of [row.pdf, Buffer.from(truth)]) {
      expect(createHmac('sha256', Buffer.alloc(32)).update(guess).digest('hex')).not.toBe(cert.certificate.pdfDigest)
      expect(createHash('sha256').update(guess).digest('hex')).not.toBe(cert.certificate.pdfDigest)
    }
  })

  it('makes a new immutable version on regeneration, keeping the old one and its code', async () => {
    const first = await generate('SE')
    await seed('SE', 'Sven Example', true)
    const second = await generate('SE')
    const [a, b] = [await letterRow(first), await letterRow(second)]
    expect([a.version, b.version]).toEqual([1, 2])
    expect([a.country_count, b.country_count]).toEqual([0, 1])
    expect(a.code).not.toBe(b.code)
    expect(a.merkle_root).not.toBe(b.merkle_root)
    const old = await (await new Client(server.url).get(`/verify/${a.code}`)).text()
    expect(old).toContain('A newer letter (version 2)')
    const history = await (await organiser.get(`/admin/campaigns/${SLUG}/letters/${second}`)).text()
    expect(history).toContain(`/letters/${first}`)
  })

  it('generates a batch with progress on a job, and downloads the newest letters as a zip', async () => {
    const campaign = { id: campaignId, slug: SLUG }
    const { jobId, done } = await startLetterJob(server, campaign, null, ['DE', 'CN', 'RU', 'MX', 'VA'])
    await done
    const job = await server.db.selectFrom('letter_jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow()
    expect(job).toMatchObject({ status: 'done', done: 5, total: 5 })
    const page = await (await organiser.get(`/admin/campaigns/${SLUG}/letters`)).text()
    expect(page).toMatch(/<progress[^>]*value="5"[^>]*max="5"/)

    const zip = await organiser.get(`/admin/campaigns/${SLUG}/letters.zip`)
    expect(zip.headers.get('Content-Type')).toBe('application/zip')
    const file = path.join(server.dir, 'letters.zip')
    writeFileSync(file, Buffer.from(await zip.arrayBuffer()))
    const listing = execFileSync('unzip', ['-l', file], { encoding: 'utf8' })
    for (const code of ['DE', 'CN', 'RU', 'MX', 'VA', 'EG', 'FR']) expect(listing).toMatch(new RegExp(`letter-${code}-v1-[a-z]{2}\\.pdf`))
    expect(listing).toContain('letter-SE-v2-en.pdf')
    expect(listing).not.toContain('letter-SE-v1')
    expect(listing).toMatch(/letter-VA-v1-[a-z]{2}\.certificate\.json/)
  })
})

describe('a signer’s own check', () => {
  it('shows a counted signer their audit path, tells a later one they are not yet in, and refuses a made-up link', async () => {
    const before = await signAndConfirm(`early-${randomUUID()}@example.org`, 'KE')
    expect(await (await new Client(server.url).get(before)).text()).toContain('has not been written yet')
    const id = await generate('KE')
    const late = await signAndConfirm(`late-${randomUUID()}@example.org`, 'KE')

    const page = text(await (await new Client(server.url).get(before)).text())
    expect(page).toContain('Yes. Your signature is one of the 1 counted')
    const row = await letterRow(id)
    const leaf = /Your leaf<\/dt><dd>([0-9a-f]{64})</.exec(page)![1]
    const proof: ProofStep[] = [...page.matchAll(/<li>(left|right): ([0-9a-f]{64})<\/li>/g)].map((m) => ({ side: m[1] as 'left' | 'right', hash: m[2] }))
    expect(verifyInclusion(leaf, proof, row.merkle_root)).toBe(true)

    expect(text(await (await new Client(server.url).get(late)).text())).toContain('is not among the 1 counted')
    expect((await new Client(server.url).get(`/s/inclusion/${randomBytes(32).toString('base64url')}`)).status).toBe(404)
  })

  it('reveals only hashes: the proof page of a larger letter names nobody else', async () => {
    const mine = await signAndConfirm(`mine-${randomUUID()}@example.org`, 'EG')
    await generate('EG')
    const page = text(await (await new Client(server.url).get(mine)).text())
    expect(page).toContain('Yes. Your signature is one of the 4 counted')
    for (const other of ['Nadia', 'Omar', 'Hidden']) expect(page).not.toContain(other)
  })
})

describe('delivery', () => {
  let letterId: string
  let respondUrl: string

  it('emails the mission in its office hours with the PDF attached, once', async () => {
    await organiser.post('/admin/missions/EG', { headTitle: 'representative', language: 'ar', city: 'new-york', emails: 'eg.mission@example.org, eg.second@example.org' })
    letterId = await generate('EG')
    expect((await organiser.post(`/admin/campaigns/${SLUG}/letters/${letterId}`, { intent: 'send' })).status).toBe(302)
    expect((await organiser.post(`/admin/campaigns/${SLUG}/letters/${letterId}`, { intent: 'send' })).status).toBe(302)
    const deliveries = await server.db.selectFrom('letter_deliveries').selectAll().where('letter_version_id', '=', letterId).execute()
    expect(deliveries).toHaveLength(1)
    expect(isOfficeHours(deliveries[0].scheduled_at!)).toBe(true)
    // The test does not wait for New York to open: the queued message is brought forward.
    await server.db.updateTable('outbox').set({ next_attempt_at: Date.now() }).where('id', '=', deliveries[0].outbox_id!).execute()
    server.worker.wake()
    const mail = (await server.resend.waitFor((all) => all.some((e) => e.to.includes('eg.mission@example.org')))).find((e) => e.to.includes('eg.mission@example.org'))!
    expect(mail.to).toEqual(['eg.mission@example.org', 'eg.second@example.org'])
    expect(mail.idempotencyKey).toBe(`outbox/${deliveries[0].outbox_id}`)
    expect(mail.attachments).toHaveLength(1)
    expect(mail.attachments[0].filename).toMatch(/^letter-EG-v\d+-ar\.pdf$/)
    const pdf = Buffer.from(mail.attachments[0].content, 'base64')
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    expect(pdf.equals((await letterRow(letterId)).pdf)).toBe(true)
    respondUrl = localLink(server, linksIn(mail.html).find((l) => l.includes('/respond/EG/'))!)
    // The provider's id is stored once its answer is back: webhooks refer to it.
    for (let i = 0; i < 200; i++) {
      const row = await server.db.selectFrom('outbox').select('status').where('id', '=', deliveries[0].outbox_id!).executeTakeFirstOrThrow()
      if (row.status === 'sent') break
      await new Promise((r) => setTimeout(r, 25))
    }
  })

  it('takes delivery status only from correctly signed webhooks', async () => {
    const delivery = await server.db.selectFrom('letter_deliveries').innerJoin('outbox', 'outbox.id', 'letter_deliveries.outbox_id').select(['letter_deliveries.id', 'outbox.provider_id']).where('letter_version_id', '=', letterId).executeTakeFirstOrThrow()
    const body = JSON.stringify({ type: 'email.delivered', created_at: new Date().toISOString(), data: { email_id: delivery.provider_id } })
    const post = (headers: Record<string, string>, raw = body) => fetch(`${server.url}/webhooks/resend`, { method: 'POST', body: raw, headers: { 'Content-Type': 'application/json', ...headers } })
    const status = async () => (await server.db.selectFrom('letter_deliveries').select('status').where('id', '=', delivery.id).executeTakeFirstOrThrow()).status
    const ts = Math.floor(Date.now() / 1000)

    const bad = await post({ 'svix-id': 'msg_1', 'svix-timestamp': String(ts), 'svix-signature': signWebhook(`whsec_${randomBytes(24).toString('base64')}`, 'msg_1', ts, body) })
    expect(bad.status).toBe(400)
    expect((await post({})).status).toBe(400)
    const altered = await post({ 'svix-id': 'msg_1', 'svix-timestamp': String(ts), 'svix-signature': signWebhook(WEBHOOK_SECRET, 'msg_1', ts, body) }, body.replace('delivered', 'bounced'))
    expect(altered.status).toBe(400)
    const stale = await post({ 'svix-id': 'msg_1', 'svix-timestamp': String(ts - 3600), 'svix-signature': signWebhook(WEBHOOK_SECRET, 'msg_1', ts - 3600, body) })
    expect(stale.status).toBe(400)
    expect(await status()).toBe('scheduled')
    expect(await server.db.selectFrom('delivery_events').selectAll().execute()).toEqual([])

    const good = await post({ 'svix-id': 'msg_1', 'svix-timestamp': String(ts), 'svix-signature': `v1,AAAA ${signWebhook(WEBHOOK_SECRET, 'msg_1', ts, body)}` })
    expect(good.status).toBe(200)
    expect(await status()).toBe('delivered')
    const replay = await post({ 'svix-id': 'msg_1', 'svix-timestamp': String(ts), 'svix-signature': signWebhook(WEBHOOK_SECRET, 'msg_1', ts, body) })
    expect(await replay.json()).toEqual({ outcome: 'duplicate' })
  })

  it('opens the private reply link for that mission only, and publishes the reply', async () => {
    const token = respondUrl.split('/').pop()!
    const publicClient = new Client(server.url)
    expect((await publicClient.get(`/respond/EG/${token}`)).status).toBe(200)
    for (const state of UN_STATES.filter((s) => s.code !== 'EG')) {
      const res = await publicClient.get(`/respond/${state.code}/${token}`)
      expect(res.status, state.code).toBe(404)
    }
    const form = new FormData()
    form.set('body', 'The Permanent Mission acknowledges receipt of the letter.')
    form.set('publish', 'on')
    form.set('document', new Blob(['%PDF-1.4 reply'], { type: 'application/pdf' }), 'note-verbale.pdf')
    for (const state of ['FR', 'IR']) {
      const res = await publicClient.request(`/respond/${state}/${token}`, { method: 'POST', body: form })
      expect(res.status).toBe(404)
    }
    expect(await server.db.selectFrom('mission_responses').selectAll().execute()).toEqual([])
    const ok = await publicClient.request(`/respond/EG/${token}`, { method: 'POST', body: form })
    expect(ok.status).toBe(200)
    expect(await ok.text()).toContain('your reply has been received')

    const tooLarge = new FormData()
    tooLarge.set('body', 'x')
    tooLarge.set('document', new Blob([Buffer.alloc(7 * 1024 * 1024)], { type: 'application/pdf' }), 'big.pdf')
    expect((await publicClient.request(`/respond/EG/${token}`, { method: 'POST', body: tooLarge })).status).toBe(413)

    const page = await (await publicClient.get(`/campaigns/${SLUG}/responses?lang=en`)).text()
    expect(page).toContain('The Permanent Mission acknowledges receipt of the letter.')
    expect(page).toContain('Egypt')
    expect(page).toMatch(/Egypt<\/td><td>[^<]+<\/td><td>Yes, /)
    const attachment = /href="(\/campaigns\/[^"]+\/attachment)"/.exec(page)![1]
    const file = await publicClient.get(attachment)
    expect(file.headers.get('Content-Disposition')).toMatch(/^attachment;/)
    expect(Buffer.from(await file.arrayBuffer()).toString()).toBe('%PDF-1.4 reply')
  })

  it('lets organisers record a reply received otherwise and a letter delivered by hand', async () => {
    const id = await generate('NO')
    // Norway has no address in the directory: sending by email does nothing, the letter waits for a hand delivery.
    expect((await organiser.post(`/admin/campaigns/${SLUG}/letters/${id}`, { intent: 'send' })).status).toBe(302)
    expect(await server.db.selectFrom('letter_deliveries').selectAll().where('letter_version_id', '=', id).execute()).toEqual([])
    const manual = await organiser.post(`/admin/campaigns/${SLUG}/letters/${id}`, { intent: 'manual', status: 'delivered-by-hand', note: 'Handed over at the mission' })
    expect(manual.status).toBe(302)
    expect(await server.db.selectFrom('letter_deliveries').select(['channel', 'status', 'note']).where('letter_version_id', '=', id).executeTakeFirst()).toEqual({
      channel: 'manual',
      status: 'delivered-by-hand',
      note: 'Handed over at the mission',
    })
    const form = new FormData()
    form.set('country', 'NO')
    form.set('body', 'Norway replied by note verbale.')
    form.set('receivedOn', '2026-03-20')
    form.set('publish', 'on')
    const res = await organiser.request(`/admin/campaigns/${SLUG}/responses`, { method: 'POST', body: form, headers: { Origin: server.url } })
    expect(res.status).toBe(302)
    const page = await (await new Client(server.url).get(`/campaigns/${SLUG}/responses?lang=en`)).text()
    expect(page).toContain('Norway replied by note verbale.')
    expect(page).toContain('Received by the organisers and recorded by them')
    expect(page).toMatch(/Norway<\/td><td>[^<]+<\/td><td>Yes, /)
  })
})

