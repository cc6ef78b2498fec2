import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invalidateSignatures, restoreSignatures } from '../../app/models/moderation.server'
import { markAtRisk, unmarkAtRisk } from '../../app/models/risk-policy.server'
import { sequenceLog } from '../../app/models/transparency-log.server'
import { parseCheckpoint } from '../../app/transparency/checkpoint'
import { countryFigure, countryOpening, parseLeaf, tally } from '../../app/transparency/leaf'
import { consistencyProof, leafHash, memorySource } from '../../app/transparency/merkle'
import { checkNoteSignature, decodeBase64Strict, parseNote, parseVerifierKey, signerFromSeed, signNote } from '../../app/transparency/note'
import { decodeBundle } from '../../app/transparency/tiles'
import { verifyLetter, type PublishedKey } from '../../app/transparency/verify.server'
import { canonicalEmail } from '../../app/utils/email-address'
import { Client, locationOf } from '../support/http'
import { signedInAs } from '../support/organisers'
import { localLink, startTestServer, type TestServer } from '../support/server'
import { linksIn } from '../support/fake-resend'
import { linkIn, signAndConfirm, SLUG } from '../support/signing'
import { setLetterSender } from '../support/campaigns'

let server: TestServer
let organiser: Client
let campaignId: string
const web = () => new Client(server.url)

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_SIGN_PER_IP: '1000' })
  await setLetterSender(server, SLUG)
  organiser = (await signedInAs(server, 'organiser')).client
  campaignId = (await server.db.selectFrom('campaigns').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()).id
  // The seed marks Iran at risk, whose letters open nothing (ADR 129); these tests first follow Iran's
  // letters with their openings, and the last marks it at risk again.
  await unmarkAtRisk(server.db, campaignId, 'IR')
})
afterAll(async () => {
  await server?.stop()
})

const drain = async () => {
  while ((await sequenceLog(server.db, { config: server.config })).taken > 0);
}
const signatureIdOf = async (email: string) =>
  (await server.db.selectFrom('signatures').select('id').where('email_hash', '=', server.vault.emailHash(canonicalEmail(email))).executeTakeFirstOrThrow()).id

async function keys(): Promise<PublishedKey[]> {
  const body = (await (await web().get('/.well-known/petition-log-keys')).json()) as { keys: PublishedKey[] }
  return body.keys
}
async function checkpointNote() {
  const res = await web().get(`/campaigns/${SLUG}/log/checkpoint`)
  expect(res.status).toBe(200)
  return res.text()
}
/** The log's entries, read as any verifier would: from the entry bundles. */
async function entries(size: number): Promise<Buffer[]> {
  const out: Buffer[] = []
  for (let n = 0; n * 256 < size; n++) {
    const width = Math.min(256, size - n * 256)
    const res = await web().get(`/campaigns/${SLUG}/log/tile/entries/${String(n).padStart(3, '0')}${width < 256 ? `.p/${width}` : ''}`)
    expect(res.status).toBe(200)
    out.push(...decodeBundle(Buffer.from(await res.arrayBuffer())))
  }
  return out
}
async function generate(country: string) {
  const res = await organiser.post(`/admin/campaigns/${SLUG}/letters`, { intent: 'generate', country })
  expect(res.status).toBe(302)
  const id = locationOf(res).split('/').pop()!
  const row = await server.db.selectFrom('letter_versions').select(['code']).where('id', '=', id).executeTakeFirstOrThrow()
  const cert = await (await web().get(`/verify/${row.code}/certificate.json`)).text()
  return { id, code: row.code, cert }
}
async function evidenceFor(cert: string) {
  const size = JSON.parse(cert).certificate.log.size as number
  const note = await checkpointNote()
  const latest = parseCheckpoint(parseNote(note).text)
  const all = await entries(latest.size)
  const src = memorySource(all.map((e) => leafHash(e)))
  return { entries: all, latest: { note, consistency: consistencyProof(src, size, latest.size) } }
}

describe('the campaign log', () => {
  const emails: Record<string, string> = {}
  const inclusion: Record<string, string> = {}
  const mailText: Record<string, string> = {}
  let v1: { id: string; code: string; cert: string }
  let v2: { id: string; code: string; cert: string }

  it('logs each confirmation, withdrawal and invalidation, and recounts every country from its public entries', async () => {
    for (const [who, country] of [['a', 'IR'], ['b', 'IR'], ['c', 'FR'], ['d', 'IR']] as const) {
      const { form, email } = await signAndConfirm(server, { country })
      emails[who] = form.email
      if (who === 'b') emails.bWithdraw = linkIn(server, email, 'withdraw')
      inclusion[who] = localLink(server, linksIn(email.html).find((l) => l.includes('/s/inclusion/'))!)
      mailText[who] = email.html
    }
    await drain()
    const note = await checkpointNote()
    const cp = parseCheckpoint(parseNote(note).text)
    expect(cp.origin).toBe(`localhost:3000/campaigns/${SLUG}`)
    expect(cp.size).toBe(4)
    const [key] = await keys()
    expect(checkNoteSignature(parseNote(note), parseVerifierKey(key.verifierKey))).toBe('valid')
    const leaves = (await entries(4)).map((e) => parseLeaf(e.toString('latin1')))
    expect(leaves.map((l) => l.kind)).toEqual(['confirm', 'confirm', 'confirm', 'confirm'])
    // Nothing personal in an entry: no email, no name, no signature id; and no country (ADR 129),
    // in the entry bundles as served, though the database keeps it.
    const text = (await entries(4)).map(String).join('')
    for (const e of (await entries(4)).map(String)) expect(e).toMatch(/^confirm [0-9a-f]{64} [0-9a-f]{64}\n$/)
    expect(text).not.toMatch(/\b(IR|FR)\b/)
    const stored = await server.db.selectFrom('log_entries').select('country_code').where('campaign_id', '=', campaignId).orderBy('idx').execute()
    expect(stored.map((r) => r.country_code)).toEqual(['IR', 'IR', 'FR', 'IR'])
    const ids = await Promise.all(Object.values(emails).filter((e) => e.includes('@')).map(signatureIdOf))
    for (const s of [...Object.values(emails), ...ids, 'Test Signer']) expect(text).not.toContain(s)
    // The hash tile holds exactly the entries' leaf hashes.
    const tile = Buffer.from(await (await web().get(`/campaigns/${SLUG}/log/tile/0/000.p/4`)).arrayBuffer())
    expect(tile.equals(Buffer.concat((await entries(4)).map((e) => leafHash(e))))).toBe(true)
    expect((await web().get(`/campaigns/${SLUG}/log/tile/0/000`)).status).toBe(404)
    expect((await web().get(`/campaigns/${SLUG}/log/tile/0/000.p/5`)).status).toBe(404)
    expect((await web().get(`/campaigns/${SLUG}/log/tile/0/0`)).status).toBe(400)

    v1 = await generate('IR')
    const r1 = verifyLetter(v1.cert, await keys(), await evidenceFor(v1.cert))
    expect(r1.problems).toEqual([])
    expect(r1.recount).toBe(3)

    // b withdraws, d is invalidated then restored then invalidated again; a new signer confirms.
    expect((await web().post(emails.bWithdraw.replace(/\?.*$/, ''), {})).status).toBeLessThan(400)
    const d = await signatureIdOf(emails.d)
    await invalidateSignatures(server.db, campaignId, [d], { organiserId: 'test' })
    await restoreSignatures(server.db, campaignId, [d], { organiserId: 'test' })
    await invalidateSignatures(server.db, campaignId, [d], { organiserId: 'test' })
    await signAndConfirm(server, { country: 'IR' })
    v2 = await generate('IR')
    const ev = await evidenceFor(v2.cert)
    const kinds = ev.entries.map((e) => parseLeaf(e.toString('latin1')))
    expect(kinds.slice(4).map((l) => l.kind).sort()).toEqual(['confirm', 'invalidate', 'invalidate', 'restore', 'withdraw'])
    for (const e of ev.entries.map(String)) expect(e).not.toMatch(/\b(IR|FR)\b/)
    // Iran's letter opens Iran's live entries (a, and the new signer), and no other.
    const t = tally(kinds)
    expect(t.counts.size).toBe(0)
    const openings = JSON.parse(v2.cert).certificate.openings as [number, string][]
    expect(openings.map(([i]) => i)).toEqual([0, kinds.length - 1])
    expect(countryFigure(kinds, t, 'IR', openings)).toBe(2)
    expect(t.total).toBe(3)
    expect(JSON.parse(v1.cert).certificate.openings.map(([i]: [number]) => i)).toEqual([0, 1, 3])
    const r2 = verifyLetter(v2.cert, await keys(), ev)
    expect(r2.problems).toEqual([])
    expect(r2.checked.map((c) => c.code)).toContain('previous-consistent')
    expect(JSON.parse(v2.cert).certificate.countryCount).toBe(2)
    expect(JSON.parse(v2.cert).certificate.log.previous.code).toBe(v1.code)

    // The PDF prints the checkpoint, its root and the key that signed it.
    const pdf = Buffer.from(await (await organiser.get(`/admin/campaigns/${SLUG}/letters/${v2.id}/pdf`)).arrayBuffer())
    const file = path.join(server.dir, 'v2.pdf')
    writeFileSync(file, pdf)
    const printed = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '')
    const log = JSON.parse(v2.cert).certificate.log
    expect(printed).toContain(`Logcheckpoint:${log.size}entries,root${log.root}`)
    expect(printed).toContain(`Key:${(await keys())[0].verifierKey}`)
  })

  it('lets each signer find and prove their own entry with the secret they were given, and shows a removal', async () => {
    const { createHash } = await import('node:crypto')
    const { verifyInclusion } = await import('../../app/transparency/merkle')
    const secretOf = (html: string) => /data-log-secret="true">([0-9a-f]{64})</.exec(html)?.[1]
    const page = await (await web().get(inclusion.a)).text()
    const secret = secretOf(page)!
    expect(secret).toMatch(/^[0-9a-f]{64}$/)
    // The same secret came by email, before the signer even confirmed.
    expect(mailText.a).toContain(secret)
    const commitment = createHash('sha256').update(Buffer.from(secret, 'hex')).digest('hex')
    const note = await checkpointNote()
    const cp = parseCheckpoint(parseNote(note).text)
    const all = await entries(cp.size)
    const index = all.findIndex((e) => /^confirm [0-9a-f]{64} /.test(e.toString()) && e.toString().endsWith(` ${commitment}\n`))
    expect(index).toBe(0)
    expect(page).toContain(`Your signature is entry ${index} of the log.`)
    expect(page).toContain(`Proved against the log’s latest signed checkpoint (${cp.size} entries).`)
    expect(page).toContain(`Proved against the checkpoint letter ${v2.code} was counted from`)
    // The proof on the page checks against the signed root, by hand.
    const section = page.split('Inclusion proof (base64)')[1].split('</ol>')[0]
    const proof = [...section.matchAll(/<li>([A-Za-z0-9+/]{43}=)<\/li>/g)].map((m) => Buffer.from(m[1], 'base64'))
    expect(proof.length).toBeGreaterThan(0)
    expect(verifyInclusion(index, cp.size, leafHash(all[index]), proof, cp.root)).toBe(true)
    // d was invalidated (after a restore): their page says so, naming the removal's entry.
    const dPage = await (await web().get(inclusion.d)).text()
    expect(dPage).toMatch(/Your signature was later removed from the count: entry \d+ records that it was invalidated by the organisers\./)
    // Nobody else's secret is on a signer's page.
    expect(secretOf(dPage)).not.toBe(secret)
  })

  it('refuses every tamper with a message that names it', async () => {
    const k = await keys()
    const ev = await evidenceFor(v2.cert)
    const base = JSON.parse(v2.cert)
    const withCert = (change: (c: any) => void) => {
      const copy = JSON.parse(v2.cert)
      change(copy.certificate)
      return JSON.stringify(copy)
    }
    const problems = (text: string, evidence = ev, published = k) => verifyLetter(text, published, evidence).problems.map((p) => p.message).join(' | ')

    expect(problems(withCert((c) => (c.countryCount += 1)))).toMatch(/certificate’s signature does not match its contents/)
    expect(problems(withCert((c) => (c.country = 'FR')))).toMatch(/certificate’s signature does not match/)
    expect(problems(withCert((c) => (c.log.root = Buffer.alloc(32).toString('base64'))))).toMatch(/signature does not match|size or root differs/)
    // A platform that re-signs a false count is caught by the recount.
    const seed = server.config.secrets.ED25519_PRIVATE_KEY
    const { canonicalJson } = await import('../../app/letters/certificate.server')
    const { sign, createPrivateKey } = await import('node:crypto')
    const pk = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' })
    const resigned = JSON.parse(v2.cert)
    resigned.certificate.countryCount = 5
    resigned.signature = sign(null, Buffer.from(canonicalJson(resigned.certificate)), pk).toString('base64')
    expect(problems(JSON.stringify(resigned))).toMatch(/the count is 5 but the log counts 2 for IR/)

    // Openings (ADR 129), re-signed by the platform's own key: each false one is refused, naming it.
    const resign = (change: (c: any) => void) => {
      const doc = JSON.parse(v2.cert)
      change(doc.certificate)
      doc.signature = sign(null, Buffer.from(canonicalJson(doc.certificate)), pk).toString('base64')
      return JSON.stringify(doc)
    }
    const hmacKey = server.config.secrets.HMAC_KEY
    const openingOf = async (email: string) => countryOpening(hmacKey, await signatureIdOf(email)).toString('hex')
    const own = base.certificate.openings as [number, string][]
    expect(problems(resign(() => {}))).toBe('')
    // France's entry (c, at 2) opened in Iran's letter to inflate it.
    const cOpening = await openingOf(emails.c)
    expect(problems(resign((c) => ((c.openings = [...own, [2, cOpening]]), (c.countryCount = 3))))).toMatch(/openings are refused: the opening of entry 2 does not open it to IR/)
    // Another signer's opening, and Iran's openings passed off as France's.
    expect(problems(resign((c) => ((c.openings = [...own, [2, own[0][1]]]), (c.countryCount = 3))))).toMatch(/the opening of entry 2 does not open it to IR/)
    expect(problems(resign((c) => ((c.country = 'FR'), (c.countryCount = 2))))).toMatch(/openings are refused: the opening of entry 0 does not open it to FR/)
    expect(problems(resign((c) => ((c.openings = [...own, [2, '']]), (c.countryCount = 3))))).toMatch(/openings are refused: an opening is malformed/)
    // d's add at 3 was invalidated before the letter's size: its true opening is refused.
    const dOpening = await openingOf(emails.d)
    expect(problems(resign((c) => ((c.openings = [...own, [3, dOpening]]), (c.countryCount = 3))))).toMatch(/openings are refused: entry 3 is not a counted version 2 signature/)
    // A removal's index, and an index beyond the cited size.
    expect(problems(resign((c) => ((c.openings = [...own, [4, dOpening]]), (c.countryCount = 3))))).toMatch(/entry 4 is not a counted version 2 signature/)
    expect(problems(resign((c) => ((c.openings = [...own, [base.certificate.log.size + 2, dOpening]]), (c.countryCount = 3))))).toMatch(/is not a counted version 2 signature/)
    // The same entry twice.
    expect(problems(resign((c) => ((c.openings = [...own, own[0]]), (c.countryCount = 3))))).toMatch(/openings are refused: entry 0 is opened twice/)
    // Openings dropped, as a certificate made before ADR 129 would read: the figure is not there.
    expect(problems(resign((c) => delete c.openings))).toMatch(/the count is 2 but the log counts 0 for IR/)
    // countryTotal is a range: Iran and France are live, France's entry unopened, so 1 or 2, never 0 or 3.
    expect(base.certificate.countryTotal).toBe(2)
    expect(problems(resign((c) => (c.countryTotal = 1)))).toBe('')
    expect(problems(resign((c) => (c.countryTotal = 3)))).toMatch(/the totals are 3 from 3 countries but the log counts 3 from 1 to 2/)
    expect(problems(resign((c) => (c.countryTotal = 0)))).toMatch(/the totals are 3 from 0 countries but the log counts 3 from 1 to 2/)
    expect(problems(resign((c) => (c.totalCount = 4)))).toMatch(/the totals are 4 from 2 countries/)
    // Openings are no list.
    expect(problems(resign((c) => (c.openings = 'x')))).toMatch(/openings is not a list of \[integer, string\] pairs/)

    // The log's entries: one byte, one added, one removed, two swapped.
    const flipped = ev.entries.map((e) => Buffer.from(e))
    flipped[1][0] ^= 1
    const swapped = [...ev.entries]
    ;[swapped[0], swapped[2]] = [swapped[2], swapped[0]]
    const size = base.certificate.log.size
    const removed = [...ev.entries.slice(0, 1), ...ev.entries.slice(2)]
    const added = [...ev.entries.slice(0, size - 1), Buffer.from(`confirm IR ${'b'.repeat(64)}\n`), ...ev.entries.slice(size - 1)]
    for (const bad of [flipped, swapped, added]) expect(problems(v2.cert, { ...ev, entries: bad })).toMatch(/entries do not hash to the checkpoint’s root: an entry was added, removed, reordered or changed/)
    expect(problems(v2.cert, { ...ev, entries: removed })).toMatch(/the log holds \d+ entries, fewer than the checkpoint’s \d+/)
    // Removed, with a made-up entry in its place to keep the number.
    expect(problems(v2.cert, { ...ev, entries: [...removed, Buffer.from(`confirm IR ${'c'.repeat(64)}\n`)] })).toMatch(/entries do not hash to the checkpoint’s root/)

    // A rolled-back checkpoint: the latest offered is v1's, smaller than v2's.
    const v1Note = JSON.parse(v1.cert).certificate.log.checkpoint
    expect(problems(v2.cert, { ...ev, latest: { note: v1Note, consistency: [] } })).toMatch(/rolled back/)
    // A split view: a validly signed checkpoint of the same size with another root.
    const signer = signerFromSeed(parseCheckpoint(parseNote(v1Note).text).origin, seed)
    const forkRoot = Buffer.alloc(32, 9)
    const fork = signNote(`${signer.name}\n${size + 3}\n${forkRoot.toString('base64')}\n`, [signer])
    expect(problems(v2.cert, { ...ev, latest: { note: fork, consistency: ev.latest.consistency } })).toMatch(/does not extend the one this letter cites/)
    // A key nobody published, and an unknown field, and a non-integer.
    expect(problems(v2.cert, ev, [{ verifierKey: signerFromSeed(signer.name, randomBytes(32)).verifierKey }])).toMatch(/no published key has the certificate’s key id/)
    expect(problems(v2.cert.replace(/("certificate":\s*\{)/, '$1"extra":1,'))).toMatch(/extra is not a known field/)
    expect(problems(v2.cert.replace(/"countryCount":\s*(\d+)/, '"countryCount":$1.0'))).toMatch(/not an integer/)
    expect(problems(v2.cert.replace(/("certificate":\s*\{)/, '$1"countryCount":7,'))).toMatch(/duplicate key/)
    expect(problems(withCert((c) => (c.log.previous.consistency[0] = Buffer.alloc(32, 1).toString('base64'))))).toMatch(/signature does not match/)
    expect(decodeBase64Strict(base.certificate.log.root, 'root')).toHaveLength(32)
  })

  it('verifies on /verify from the signed certificate, in the letter’s language, and keeps old letters verifiable after a key rotation', async () => {
    const page = await (await web().get(`/verify/${v2.code}`)).text()
    expect(page).toContain('Verified. The server checked the signatures and recounted the public log.')
    expect(page).toContain('Recounted from those entries: 2 verified signatures from this country.')
    expect(page).toContain('The log extends the one the previous letter (')
    // Iran's mission corresponds in English; a French-speaking one reads the checks in French.
    const fr = await generate('FR')
    expect(await (await web().get(`/verify/${fr.code}`)).text()).toContain('Vérifiée. Le serveur a contrôlé les signatures et recompté le registre public.')

    // Someone changes the count in the database: the page now says the certificate does not hold.
    const row = await server.db.selectFrom('letter_versions').select(['id', 'certificate_json']).where('code', '=', v2.code).executeTakeFirstOrThrow()
    const tampered = JSON.parse(row.certificate_json)
    tampered.countryCount = 40
    await server.db.updateTable('letter_versions').set({ certificate_json: JSON.stringify(tampered), country_count: 40 }).where('id', '=', row.id).execute()
    const bad = await (await web().get(`/verify/${v2.code}`)).text()
    expect(bad).toContain('Not verified.')
    expect(bad).toContain('Failed: the certificate’s signature.')
    await server.db.updateTable('letter_versions').set({ certificate_json: row.certificate_json, country_count: 2 }).where('id', '=', row.id).execute()

    // Rotate the key: the next checkpoint is signed by a new one, both are published with validity.
    await signAndConfirm(server, { country: 'IR' })
    const rotated = { ...server.config, secrets: { ...server.config.secrets, ED25519_PRIVATE_KEY: randomBytes(32) } }
    while ((await sequenceLog(server.db, { config: rotated })).taken > 0);
    const published = await keys()
    expect(published).toHaveLength(2)
    expect(published.filter((p) => p.validUntil === null)).toHaveLength(1)
    const old = await (await web().get(`/verify/${v1.code}`)).text()
    expect(old).toContain('Verified.')
    expect(old).toContain(published.find((p) => p.validUntil !== null)!.verifierKey.replace(/\+/g, '+'))
    // Without the old key, the old letter cannot be checked, and the verifier says why.
    const ev = await evidenceFor(v1.cert)
    expect(verifyLetter(v1.cert, published.filter((p) => p.validUntil === null), ev).problems[0].message).toMatch(/no published key has the certificate’s key id/)
  })

  it('opens no entry in the letter to a state whose signers are at risk, and checks its figure against what the log allows', async () => {
    await markAtRisk(server.db, campaignId, 'IR', null)
    const risky = await generate('IR')
    const c = JSON.parse(risky.cert).certificate
    expect(c.openings).toBeNull()
    const ev = await evidenceFor(risky.cert)
    const r = verifyLetter(risky.cert, await keys(), ev)
    expect(r.problems).toEqual([])
    expect(r.recount).toBeUndefined()
    const t = tally(ev.entries.slice(0, c.log.size).map((e) => parseLeaf(e.toString('latin1'))))
    expect(r.checked.find((x) => x.code === 'country-withheld')?.message).toBe(
      `recounted from the log: ${t.total} in all; the ${c.countryCount} for IR are not opened, to protect its signers, and lie within the 0 to ${t.hidden.size} the log allows`,
    )
    const page = await (await web().get(`/verify/${risky.code}`)).text()
    expect(page).toContain('To protect signers from this country, its entries are not opened: its figure (3) is certified by the platform’s signature')
    expect(page).not.toContain('Recounted from those entries')
    // A figure beyond every unopened entry is refused even so.
    const { canonicalJson } = await import('../../app/letters/certificate.server')
    const { sign, createPrivateKey } = await import('node:crypto')
    const pk = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), server.config.secrets.ED25519_PRIVATE_KEY]), format: 'der', type: 'pkcs8' })
    const doc = JSON.parse(risky.cert)
    doc.certificate.countryCount = t.hidden.size + 1
    doc.signature = sign(null, Buffer.from(canonicalJson(doc.certificate)), pk).toString('base64')
    expect(verifyLetter(JSON.stringify(doc), await keys(), ev).problems.map((p) => p.message)).toEqual([`the count is ${t.hidden.size + 1} but the log allows 0 to ${t.hidden.size} for IR`])
  })
})
