import { execFileSync, spawnSync } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UN_STATES } from '../../app/data/un-states'
import { merkleRoot, verifyInclusion, type ProofStep } from '../../app/letters/certificate.server'
import { moveVerified } from '../../app/models/counters.server'
import { getLetterDocument, recipientCertificateOf, startLetterJob } from '../../app/models/letter.server'
import { canonicalText } from '../../app/letters/text'
import { checkMissionLink, issueMissionLink, MAX_LINK_BYTES } from '../../app/models/response.server'
import { isOfficeHours } from '../../app/utils/office-hours'
import { signWebhook } from '../../app/infra/webhook-signature.server'
import { linksIn } from '../support/fake-resend'
import { Client, locationOf } from '../support/http'
import { signedInAs } from '../support/organisers'
import { localLink, startTestServer, type TestServer } from '../support/server'

const SLUG = 'justice-for-1988'
const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('base64')}`
const SENDER_FORM = {
  senderName: 'Justice Watch',
  senderAddress: '12 Example Street\nLondon N1 1AA\nUnited Kingdom',
  senderEmail: 'letters@justice.example',
  signerName: 'Maryam Example',
  signerTitle: 'Director',
}
let server: TestServer
let organiser: Client
let campaignId: string

beforeAll(async () => {
  server = await startTestServer({ RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET, LETTER_SEND_GAP_SECONDS: '0', RATE_LIMIT_SIGN_PER_IP: '1000' })
  organiser = (await signedInAs(server, 'organiser')).client
  campaignId = (await server.db.selectFrom('campaigns').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()).id
  // Most tests below write to states with no signer as well; the choice itself is tested at the end.
  expect((await organiser.post(`/admin/campaigns/${SLUG}/letters/sender`, { ...SENDER_FORM, writeWithoutSigners: 'on' })).status).toBe(302)
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
  await moveVerified(server.db, campaignId, country, 1, now)
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
  it('seeds 193 member states and 2 observer states in New York and Geneva, observers headed by Permanent Observers', async () => {
    const missions = await server.db.selectFrom('missions').selectAll().where('office', '=', 'new-york').execute()
    expect(missions).toHaveLength(195)
    expect(await server.db.selectFrom('missions').select('country_code').where('office', '=', 'geneva').execute()).toHaveLength(195)
    expect(missions.filter((m) => m.head_title === 'observer').map((m) => m.country_code).sort()).toEqual(['PS', 'VA'])
    expect(missions.find((m) => m.country_code === 'EG')).toMatchObject({ language: 'ar', office: 'new-york' })
  })

  it('lets an organiser correct a mission, and refuses a viewer', async () => {
    const res = await organiser.post('/admin/missions/LU?office=geneva', { headTitle: 'representative', language: 'fr', emails: 'lu.mission@example.org', postalAddress: '', notes: '' })
    expect(res.status).toBe(302)
    const lu = await server.db.selectFrom('missions').selectAll().where('country_code', '=', 'LU').where('office', '=', 'geneva').executeTakeFirstOrThrow()
    expect(lu).toMatchObject({ language: 'fr', emails: 'lu.mission@example.org', language_confidence: 'set' })
    // The New York mission is another row, untouched.
    expect(await server.db.selectFrom('missions').select('emails').where('country_code', '=', 'LU').where('office', '=', 'new-york').executeTakeFirstOrThrow()).toEqual({ emails: '' })
    const bad = await organiser.post('/admin/missions/LU', { headTitle: 'representative', language: 'de', emails: 'not an email' })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('valid email')
    const viewer = (await signedInAs(server, 'viewer')).client
    expect((await viewer.post('/admin/missions/LU', { headTitle: 'observer', language: 'en' })).status).toBe(403)
  })

  it('exports CSV that a spreadsheet cannot run as a formula, and imports it back all or nothing', async () => {
    await organiser.post('/admin/missions/MT', { headTitle: 'representative', language: 'en', notes: '=HYPERLINK("http://evil.example","x")', emails: '' })
    const csv = await (await organiser.get('/admin/missions.csv')).text()
    const lines = csv.trim().split('\r\n')
    expect(lines).toHaveLength(391)
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`)
    expect(csv).not.toMatch(/,=HYPERLINK/)

    const upload = (content: string) => {
      const form = new FormData()
      form.set('file', new Blob([content], { type: 'text/csv' }), 'missions.csv')
      return organiser.request('/admin/missions/import', { method: 'POST', body: form, headers: { Origin: server.url } })
    }
    const invalid = csv.replace(/^(\uFEFF?.*\r\nAD,[^,]*,[^,]*,[^,]*,[^,]*,)fr,/s, '$1xx,')
    const refused = await upload(invalid)
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('Nothing was changed')
    const changed = csv.replace(/\r\nAD,geneva,([^,]*),([^,]*),([^,]*),fr,/, '\r\nAD,geneva,$1,$2,$3,es,')
    expect(changed).not.toBe(csv)
    const accepted = await upload(changed)
    expect(accepted.status).toBe(200)
    expect(text(await accepted.text())).toContain('390 missions updated')
    const ad = await server.db.selectFrom('missions').selectAll().where('country_code', '=', 'AD').where('office', '=', 'geneva').executeTakeFirstOrThrow()
    expect(ad).toMatchObject({ language: 'es' })
    expect(await server.db.selectFrom('missions').select('language').where('country_code', '=', 'AD').where('office', '=', 'new-york').executeTakeFirstOrThrow()).toEqual({ language: 'fr' })
    const mt = await server.db.selectFrom('missions').select('notes').where('country_code', '=', 'MT').where('office', '=', 'new-york').executeTakeFirstOrThrow()
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
    expect(page).toContain('1 other signatory from your country chose not to have their name transmitted.')
    expect(page).toContain('data:image/svg+xml;base64,')

    const pdfRes = await organiser.get(`/admin/campaigns/${SLUG}/letters/${id}/pdf`)
    expect(pdfRes.headers.get('Content-Type')).toBe('application/pdf')
    const text = pdfText(Buffer.from(await pdfRes.arrayBuffer()), 'eg')
    expect(text).toContain('جمهورية مصر العربية')
    expect(text).toContain('يشرفنا أن نكتب إليكم')
    expect(text).toContain('Justice Watch')
    expect(text).toContain('Maryam Example')
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
    writeFileSync(path.join(dir, 'fr.pdf'), server.vault.openBytes(row.pdf))
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

    const flipped = server.vault.openBytes(row.pdf)
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
    // Four CLI runs and a PDF: slow on a loaded machine.
  }, 120_000)

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
    // The cover note: salutation, closing and the sending organisation, in Arabic then English.
    expect(mail.html).toContain('صاحب السعادة،')
    expect(mail.html).toContain('Please accept, Excellency, the assurances of our highest consideration.')
    expect(mail.html).toContain('Maryam Example')
    expect(mail.html).toContain('letters@justice.example')
    expect(mail.attachments[0].filename).toMatch(/^letter-EG-v\d+-ar\.pdf$/)
    const pdf = Buffer.from(mail.attachments[0].content, 'base64')
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    expect(pdf.equals(server.vault.openBytes((await letterRow(letterId)).pdf))).toBe(true)
    respondUrl = localLink(server, linksIn(mail.html).find((l) => l.includes('/respond/EG/'))!)
    // The provider's id is stored once its answer is back: webhooks refer to it.
    for (let i = 0; i < 200; i++) {
      const row = await server.db.selectFrom('outbox').select('status').where('id', '=', deliveries[0].outbox_id!).executeTakeFirstOrThrow()
      if (row.status === 'sent') break
      await new Promise((r) => setTimeout(r, 25))
    }
    // Accepted by the provider: the delivery reads "sent" without any webhook, and the public table lists it.
    const accepted = await server.db.selectFrom('letter_deliveries').select('status').where('letter_version_id', '=', letterId).executeTakeFirstOrThrow()
    expect(accepted.status).toBe('sent')
    const table = await (await new Client(server.url).get(`/campaigns/${SLUG}/responses?lang=en`)).text()
    expect(table).toMatch(/Egypt<\/td>/)
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
    expect(await status()).toBe('sent')
    expect(await server.db.selectFrom('delivery_events').selectAll().execute()).toEqual([])

    const good = await post({ 'svix-id': 'msg_1', 'svix-timestamp': String(ts), 'svix-signature': `v1,AAAA ${signWebhook(WEBHOOK_SECRET, 'msg_1', ts, body)}` })
    expect(good.status).toBe(200)
    expect(await status()).toBe('delivered')
    const replay = await post({ 'svix-id': 'msg_1', 'svix-timestamp': String(ts), 'svix-signature': signWebhook(WEBHOOK_SECRET, 'msg_1', ts, body) })
    expect(await replay.json()).toEqual({ outcome: 'duplicate' })
  })

  it('opens the private reply link for that mission only, in the letter’s language, and publishes a reply only with the mission’s consent and an organiser’s approval', async () => {
    const token = respondUrl.split('/').pop()!
    const publicClient = new Client(server.url)
    const page = await publicClient.get(`/respond/EG/${token}`)
    expect(page.status).toBe(200)
    const html = await page.text()
    // Egypt's letter is in Arabic: so is its reply page, right to left, with the publication box unticked.
    expect(html).toMatch(/<section class="panel" lang="ar" dir="rtl">/)
    expect(html).toContain('هذه الصفحة الخاصة مخصصة للبعثة الدائمة لجمهورية مصر العربية وحدها')
    const checkbox = /<input[^>]*name="publish"[^>]*>/.exec(html)![0]
    expect(checkbox).not.toMatch(/checked/)
    for (const state of UN_STATES.filter((s) => s.code !== 'EG')) {
      const res = await publicClient.get(`/respond/${state.code}/${token}`)
      expect(res.status, state.code).toBe(404)
    }
    const form = new FormData()
    form.set('body', 'The Permanent Mission acknowledges receipt of the letter.')
    form.set('publish', 'on')
    form.set('document', new Blob(['%PDF-1.4 reply'], { type: 'application/pdf' }), 'note verbale.html')
    for (const state of ['FR', 'IR']) {
      const res = await publicClient.request(`/respond/${state}/${token}`, { method: 'POST', body: form })
      expect(res.status).toBe(404)
    }
    expect(await server.db.selectFrom('mission_responses').selectAll().execute()).toEqual([])
    const ok = await publicClient.request(`/respond/EG/${token}`, { method: 'POST', body: form })
    expect(ok.status).toBe(200)
    const thanks = await ok.text()
    expect(thanks).toContain('شكرًا لكم: لقد وردنا ردكم.')
    expect(thanks).toContain('لقد أذنتم بنشره')
    // The confirmation takes the form's place.
    expect(thanks).not.toMatch(/<textarea/)

    // Over the 5 MB document limit but within the route's body limit: refused in the page's language.
    const tooLarge = new FormData()
    tooLarge.set('body', 'x')
    tooLarge.set('document', new Blob([Buffer.alloc(5.5 * 1024 * 1024)], { type: 'application/pdf' }), 'big.pdf')
    const refused = await publicClient.request(`/respond/EG/${token}`, { method: 'POST', body: tooLarge })
    expect(refused.status).toBe(413)
    expect(await refused.text()).toContain('يتجاوز حجم الوثيقة 5 ميغابايت')
    expect(await server.db.selectFrom('mission_responses').select('id').execute()).toHaveLength(1)

    // Allowed by the mission, but not yet approved: not public.
    const before = await (await publicClient.get(`/campaigns/${SLUG}/responses?lang=en`)).text()
    expect(before).not.toContain('The Permanent Mission acknowledges receipt of the letter.')
    const reply = await server.db.selectFrom('mission_responses').select(['id', 'is_public', 'mission_consents']).executeTakeFirstOrThrow()
    expect(reply).toMatchObject({ is_public: 0, mission_consents: 1 })
    const approve = new FormData()
    approve.set('intent', 'visibility')
    approve.set('id', reply.id)
    approve.set('public', '1')
    expect((await organiser.request(`/admin/campaigns/${SLUG}/responses`, { method: 'POST', body: approve, headers: { Origin: server.url } })).status).toBe(302)

    const published = await (await publicClient.get(`/campaigns/${SLUG}/responses?lang=en`)).text()
    expect(published).toContain('The Permanent Mission acknowledges receipt of the letter.')
    expect(published).toContain('Egypt')
    expect(published).toMatch(/Egypt<\/td><td>[^<]+<\/td><td>Yes, /)
    const attachment = /href="(\/campaigns\/[^"]+\/attachment)"/.exec(published)![1]
    const file = await publicClient.get(attachment)
    expect(file.headers.get('Content-Type')).toBe('application/pdf')
    // The uploader's ".html" does not survive: the name carries the type's own extension.
    expect(file.headers.get('Content-Disposition')).toBe(`attachment; filename="reply.pdf"; filename*=UTF-8''note%20verbale.pdf`)
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


describe('letters in every script, and a job that outlives a failed letter', () => {
  it('sends Sweden’s mission its Persian signers’ names readable (Iran’s letter names nobody: ADR 085), in embedded faces, with the code and n/N on every page', async () => {
    for (const name of ['مریم رضایی', 'پژمان کیانی', '김민준', 'דוד כהן', '张伟', 'अनिता शर्मा', 'Ada Example']) await seed('SE', name, true)
    const id = await generate('SE')
    const res = await organiser.get(`/admin/campaigns/${SLUG}/letters/${id}/pdf`)
    const pdf = Buffer.from(await res.arrayBuffer())
    const { code } = await letterRow(id)
    const out = pdfText(pdf, 'se').replace(/[\u2066-\u2069\u202a-\u202e]/g, '')
    for (const name of ['مریم رضایی', 'پژمان کیانی', '김민준', 'דוד כהן', '张伟', 'Ada Example']) expect(out).toContain(name)
    const file = path.join(server.dir, 'se.pdf')
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2)
    expect(fonts.length).toBeGreaterThan(4)
    for (const row of fonts) expect(row.trim().split(/\s+/).at(-5), row).toBe('yes')
    for (const face of ['NotoNaskhArabic', 'NotoSansKR', 'NotoSansHebrew', 'NotoSansHans', 'NotoSansDevanagari']) expect(fonts.join('\n')).toContain(face)
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1])
    for (let n = 1; n <= pages; n++) {
      const page = execFileSync('pdftotext', ['-enc', 'UTF-8', '-f', String(n), '-l', String(n), file, '-'], { encoding: 'utf8' })
      expect(page).toContain(`${code} · ${n}/${pages}`)
    }
  })

  it('goes on past states whose letter cannot be made, shows them to organisers with the reason, and retries just those', async () => {
    const campaign = { id: campaignId, slug: SLUG }
    const ru = await server.db.selectFrom('campaign_letter_copy').selectAll().where('campaign_id', '=', campaignId).where('language', '=', 'ru').executeTakeFirstOrThrow()
    const versions = async (codes: string[]) => {
      const rows = await server.db.selectFrom('letter_versions').select('country_code').where('campaign_id', '=', campaignId).where('country_code', 'in', codes).execute()
      return Object.fromEntries(codes.map((c) => [c, rows.filter((r) => r.country_code === c).length]))
    }
    const before = await versions(['KZ', 'NO', 'BY', 'UY'])
    // Without Russian copy, the letters to Kazakhstan and Belarus cannot be made; Norway's and Uruguay's can.
    await server.db.deleteFrom('campaign_letter_copy').where('campaign_id', '=', campaignId).where('language', '=', 'ru').execute()
    const { jobId, done } = await startLetterJob(server, campaign, null, ['KZ', 'NO', 'BY', 'UY'])
    await done
    const job = await server.db.selectFrom('letter_jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow()
    expect(job).toMatchObject({ status: 'failed', done: 2, total: 4 })
    expect(job.error).toBe('2 of 4 letters could not be made: KZ, BY')
    const failures = await server.db.selectFrom('letter_job_failures').selectAll().where('job_id', '=', jobId).orderBy('country_code').execute()
    expect(failures.map((f) => [f.country_code, f.attempts])).toEqual([
      ['BY', 2],
      ['KZ', 2],
    ])
    expect(failures[0].error).toContain('no letter copy in ru')
    expect(await versions(['KZ', 'NO', 'BY', 'UY'])).toEqual({ KZ: before.KZ, NO: before.NO + 1, BY: before.BY, UY: before.UY + 1 })

    const page = text(await (await organiser.get(`/admin/campaigns/${SLUG}/letters`)).text())
    expect(page).toContain('Kazakhstan (KZ): The campaign has no letter copy in ru (2 attempts)')
    expect(page).toContain('Belarus (BY)')
    expect(page).toContain('Try the 2 failed letters again')

    await server.db.insertInto('campaign_letter_copy').values(ru).execute()
    const retry = await organiser.post(`/admin/campaigns/${SLUG}/letters`, { intent: 'retry-failed' })
    expect(retry.status).toBe(302)
    // The retry runs in the background: wait for its job to leave 'running'.
    let again = await server.db.selectFrom('letter_jobs').selectAll().where('campaign_id', '=', campaignId).orderBy('started_at', 'desc').executeTakeFirstOrThrow()
    expect(again.id).not.toBe(jobId)
    while (again.status === 'running') {
      await new Promise((r) => setTimeout(r, 50))
      again = await server.db.selectFrom('letter_jobs').selectAll().where('id', '=', again.id).executeTakeFirstOrThrow()
    }
    expect(again).toMatchObject({ status: 'done', done: 2, total: 2, error: null })
    expect(await versions(['KZ', 'NO', 'BY', 'UY'])).toEqual({ KZ: before.KZ + 1, NO: before.NO + 1, BY: before.BY + 1, UY: before.UY + 1 })
    // Nothing is left to retry.
    expect((await organiser.post(`/admin/campaigns/${SLUG}/letters`, { intent: 'retry-failed' })).status).toBe(400)
  })
})

describe('the sending organisation and states with no signer', () => {
  it('is set on the campaign’s organiser pages, validated with messages, refused to a viewer, and audited', async () => {
    const form = await (await organiser.get(`/admin/campaigns/${SLUG}/letters/sender`)).text()
    expect(form).toContain('value="Justice Watch"')
    const bad = await organiser.post(`/admin/campaigns/${SLUG}/letters/sender`, { ...SENDER_FORM, senderEmail: 'not an address', signerName: '' })
    expect(bad.status).toBe(400)
    const body = await bad.text()
    expect(body).toContain('The contact email must be a valid email address')
    expect(body).toContain('The name of the person who signs is required')
    const viewer = (await signedInAs(server, 'viewer')).client
    expect((await viewer.post(`/admin/campaigns/${SLUG}/letters/sender`, SENDER_FORM)).status).toBe(403)
    const kept = await server.db.selectFrom('campaign_letter_settings').selectAll().where('campaign_id', '=', campaignId).executeTakeFirstOrThrow()
    expect(kept).toMatchObject({ sender_email: 'letters@justice.example', signer_name: 'Maryam Example', write_without_signers: 1 })
    const audits = await server.db.selectFrom('audit_log').select(['action', 'target', 'details_json']).where('action', '=', 'letters.sender').execute()
    expect(audits.length).toBeGreaterThanOrEqual(1)
    expect(JSON.parse(audits[0].details_json)).toMatchObject({ organisation: 'Justice Watch', writeWithoutSigners: true })
  })

  it('writes to a state with no signer only if organisers chose so, and then without an annex', async () => {
    const id = await generate('IS')
    const pdf = pdfText(server.vault.openBytes((await letterRow(id)).pdf), 'is').replace(/\s+/g, ' ')
    expect(pdf).toContain('None of them has yet given your country as their country of residence')
    expect(pdf).toContain('This letter therefore carries no annex of names.')
    expect(pdf).not.toContain('Annex:')

    expect((await organiser.post(`/admin/campaigns/${SLUG}/letters/sender`, SENDER_FORM)).status).toBe(302)
    const refused = await organiser.post(`/admin/campaigns/${SLUG}/letters`, { intent: 'generate', country: 'IS' })
    expect(refused.status).toBe(400)
    expect(text(await refused.text())).toContain('does not write to states with no signer')
    const { jobId, done } = await startLetterJob(server, { id: campaignId, slug: SLUG }, null, ['IS', 'FR', 'LI'])
    await done
    const job = await server.db.selectFrom('letter_jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow()
    expect(job).toMatchObject({ status: 'done', done: 1, total: 1 })
    const page = text(await (await organiser.get(`/admin/campaigns/${SLUG}/letters`)).text())
    expect(page).toContain('states with no signer get no letter')
  })

  it('refuses to make letters until the sending organisation is set', async () => {
    await server.db.deleteFrom('campaign_letter_settings').where('campaign_id', '=', campaignId).execute()
    const res = await organiser.post(`/admin/campaigns/${SLUG}/letters`, { intent: 'generate', country: 'FR' })
    expect(res.status).toBe(400)
    expect(text(await res.text())).toContain('Set the sending organisation')
    expect((await organiser.post(`/admin/campaigns/${SLUG}/letters`, { intent: 'generate-all' })).status).toBe(400)
    expect((await organiser.post(`/admin/campaigns/${SLUG}/letters/sender`, { ...SENDER_FORM, writeWithoutSigners: 'on' })).status).toBe(302)
  })
})

describe('replies a mission can trust', () => {
  const linkFor = (country: string) => issueMissionLink(server.db, campaignId, country)
  const reply = (country: string, token: string, fields: Record<string, string | Blob>) => {
    const form = new FormData()
    for (const [k, v] of Object.entries(fields)) form.set(k, v as never)
    return new Client(server.url).request(`/respond/${country}/${token}`, { method: 'POST', body: form })
  }

  it('speaks to each mission in the language of its letter, all six of them', async () => {
    await server.db.deleteFrom('campaign_letter_settings').where('campaign_id', '=', campaignId).execute()
    await organiser.post(`/admin/campaigns/${SLUG}/letters/sender`, { ...SENDER_FORM, writeWithoutSigners: 'on' })
    const expected: [string, string, string][] = [
      ['GB', 'en', 'This private page is for the permanent mission of the United Kingdom of Great Britain and Northern Ireland only.'],
      ['FR', 'fr', 'Cette page privée est réservée à la mission permanente de la République française.'],
      ['MX', 'es', 'Esta página privada está reservada a la misión permanente de los Estados Unidos Mexicanos.'],
      ['KZ', 'ru', 'Эта закрытая страница предназначена только для Постоянного представительства Республики Казахстан.'],
      ['CN', 'zh', '本专用页面仅供中华人民共和国常驻代表团使用。'],
      ['SA', 'ar', 'هذه الصفحة الخاصة مخصصة للبعثة الدائمة للمملكة العربية السعودية وحدها.'],
      ['VA', 'en', 'This private page is for the Permanent Observer Mission of the Holy See only.'],
    ]
    for (const [country, lang, sentence] of expected) {
      const html = text(await (await new Client(server.url).get(`/respond/${country}/${await linkFor(country)}`)).text())
      expect(html, country).toContain(`<section class="panel" lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}">`)
      expect(html.replace(/&#x27;/g, "'"), country).toContain(sentence)
    }
    // An empty reply is refused in the page's language.
    const token = await linkFor('RU')
    const empty = await reply('RU', token, { body: '  ' })
    expect(empty.status).toBe(400)
    expect(await empty.text()).toContain('Просьба написать ответ.')
  })

  it('keeps an unticked reply private: an organiser cannot publish it', async () => {
    const token = await linkFor('MX')
    const res = await reply('MX', token, { body: 'La Misión acusa recibo.' })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('No se publicará.')
    const row = await server.db.selectFrom('mission_responses').select(['id', 'is_public', 'mission_consents']).where('country_code', '=', 'MX').executeTakeFirstOrThrow()
    expect(row).toMatchObject({ is_public: 0, mission_consents: 0 })
    const approve = new FormData()
    approve.set('intent', 'visibility')
    approve.set('id', row.id)
    approve.set('public', '1')
    const refused = await organiser.request(`/admin/campaigns/${SLUG}/responses`, { method: 'POST', body: approve, headers: { Origin: server.url } })
    expect(refused.status).toBe(409)
    expect(await refused.text()).toContain('The mission did not allow this reply to be published.')
    expect((await server.db.selectFrom('mission_responses').select('is_public').where('id', '=', row.id).executeTakeFirstOrThrow()).is_public).toBe(0)
    expect(await (await new Client(server.url).get(`/campaigns/${SLUG}/responses?lang=en`)).text()).not.toContain('La Misión acusa recibo.')
  })

  it('holds each link to a size quota, and refuses a document whose content is not its type', async () => {
    const token = await linkFor('CN')
    const hash = (await checkMissionLink(server.db, 'CN', token))!.tokenHash
    await server.db.updateTable('mission_links').set({ bytes_used: MAX_LINK_BYTES - 10 }).where('token_hash', '=', hash).execute()
    const over = await reply('CN', token, { body: '本代表团谨确认收到来函，并将转呈本国政府。' })
    expect(over.status).toBe(413)
    expect(await over.text()).toContain('此链接已达到可接收的上限')
    const fits = await reply('CN', token, { body: 'ok' })
    expect(fits.status).toBe(200)
    expect((await server.db.selectFrom('mission_links').select('bytes_used').where('token_hash', '=', hash).executeTakeFirstOrThrow()).bytes_used).toBe(MAX_LINK_BYTES - 8)

    const other = await linkFor('FR')
    const fake = await reply('FR', other, { body: 'Voir pièce jointe.', document: new Blob(['<html><script>alert(1)</script>'], { type: 'application/pdf' }) })
    expect(fake.status).toBe(400)
    expect(await fake.text()).toContain('Le contenu du document ne correspond pas à son type.')
    expect(await server.db.selectFrom('mission_responses').select('id').where('country_code', '=', 'FR').where('source', '=', 'mission').execute()).toEqual([])
  })
})
