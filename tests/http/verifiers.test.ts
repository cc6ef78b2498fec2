import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import vm from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invalidateSignatures } from '../../app/models/moderation.server'
import { sequenceLog } from '../../app/models/transparency-log.server'
import { parseCheckpoint } from '../../app/transparency/checkpoint'
import { parseNote, signerFromSeed, signNote } from '../../app/transparency/note'
import { VERIFIER_SCRIPT } from '../../app/transparency/verifier-page'
import { createPrivateKey, sign } from 'node:crypto'
import { canonicalJson } from '../../app/letters/certificate.server'
import { countryOpening } from '../../app/transparency/leaf'
import { consistencyProof, leafHash, memorySource } from '../../app/transparency/merkle'
import { decodeBundle } from '../../app/transparency/tiles'
import { verifyLetter, type PublishedKey } from '../../app/transparency/verify.server'
import { canonicalEmail } from '../../app/utils/email-address'
import { Client, locationOf } from '../support/http'
import { signedInAs } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'
import { linkIn, signAndConfirm, SLUG } from '../support/signing'
import { setLetterSender } from '../support/campaigns'
import { cosignerFromSeed, cosignLine } from '../../app/transparency/cosignature'
import { witnessCommand } from '../../server/witness'

// The two verifiers a mission can use without this repository: public/verify_letter.py (Python's
// standard library only) and the offline page's script (the browser's WebCrypto, run here in
// Node's), each on artefacts downloaded from the running server as anyone would.
let server: TestServer
let organiser: Client
const web = () => new Client(server.url)
const witnessSeed = Buffer.alloc(32, 77)
const witness = cosignerFromSeed('witness.partner.example/v', witnessSeed)

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_SIGN_PER_IP: '1000', LOG_WITNESSES: witness.verifierKey })
  await setLetterSender(server, SLUG)
  organiser = (await signedInAs(server, 'organiser')).client
})
afterAll(async () => {
  await server?.stop()
})

async function generate(country: string) {
  const res = await organiser.post(`/admin/campaigns/${SLUG}/letters`, { intent: 'generate', country })
  expect(res.status).toBe(302)
  const id = locationOf(res).split('/').pop()!
  const row = await server.db.selectFrom('letter_versions').select(['code']).where('id', '=', id).executeTakeFirstOrThrow()
  return (await web().get(`/verify/${row.code}/certificate.json`)).text()
}

interface Artefacts {
  cert: string
  keys: string
  bundles: Buffer[]
  latest: string
}

async function download(cert: string): Promise<Artefacts> {
  const latest = await (await web().get(`/campaigns/${SLUG}/log/checkpoint`)).text()
  const size = parseCheckpoint(parseNote(latest).text).size
  const bundles: Buffer[] = []
  for (let n = 0; n * 256 < size; n++) {
    const w = Math.min(256, size - n * 256)
    bundles.push(Buffer.from(await (await web().get(`/campaigns/${SLUG}/log/tile/entries/${String(n).padStart(3, '0')}${w < 256 ? `.p/${w}` : ''}`)).arrayBuffer()))
  }
  return { cert, keys: await (await web().get('/.well-known/petition-log-keys')).text(), bundles, latest }
}

function python(a: Artefacts, name: string, extra: string[] = []) {
  const dir = server.dir
  const files = { cert: path.join(dir, `${name}.json`), keys: path.join(dir, `${name}-keys.json`), latest: path.join(dir, `${name}-checkpoint`) }
  writeFileSync(files.cert, a.cert)
  writeFileSync(files.keys, a.keys)
  writeFileSync(files.latest, a.latest)
  const bundles = a.bundles.map((b, i) => {
    const f = path.join(dir, `${name}-entries-${String(i).padStart(3, '0')}`)
    writeFileSync(f, b)
    return f
  })
  const run = spawnSync('python3', ['public/verify_letter.py', files.cert, files.keys, ...bundles, '--latest', files.latest, ...extra], { encoding: 'utf8' })
  return { status: run.status, out: `${run.stdout}${run.stderr}` }
}

async function page(a: Artefacts, witnesses: string[] = [], cosigned: { label: string; note: string }[] = []): Promise<{ ok: string[]; problems: string[] }> {
  const context = vm.createContext({ crypto: globalThis.crypto, TextEncoder, atob, btoa, Uint8Array, console })
  vm.runInContext(`${VERIFIER_SCRIPT};globalThis.verifyLetter = verifyLetter`, context)
  return (context as unknown as { verifyLetter: (...args: unknown[]) => Promise<{ ok: string[]; problems: string[] }> }).verifyLetter(
    a.cert,
    a.keys,
    a.bundles.map((b) => new Uint8Array(b)),
    a.latest,
    witnesses,
    cosigned,
  )
}

describe('independent verifiers', () => {
  let v1: string
  let v2: string

  it('accept the whole path: sign, confirm, withdraw, invalidate, letter v1 and v2', async () => {
    const signers: { email: string; withdraw: string }[] = []
    for (const country of ['MX', 'MX', 'MX', 'AR']) {
      const { form, email } = await signAndConfirm(server, { country })
      signers.push({ email: form.email, withdraw: linkIn(server, email, 'withdraw') })
    }
    v1 = await generate('MX')
    const a1 = await download(v1)
    const py1 = python(a1, 'v1')
    expect(py1.out).toContain('ok: recounted from the log: 3 for MX, 4 in all')
    expect(py1.out.trim().split('\n').at(-1)).toBe('VALID')
    expect(py1.status).toBe(0)
    const pg1 = await page(a1)
    expect(pg1.problems).toEqual([])
    expect(pg1.ok).toContain('recounted from the log: 3 for MX, 4 in all')

    expect((await web().post(signers[0].withdraw.replace(/\?.*$/, ''), {})).status).toBeLessThan(400)
    const id = (await server.db.selectFrom('signatures').select('id').where('email_hash', '=', server.vault.emailHash(canonicalEmail(signers[1].email))).executeTakeFirstOrThrow()).id
    const campaignId = (await server.db.selectFrom('campaigns').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()).id
    await invalidateSignatures(server.db, campaignId, [id], { organiserId: 'test' })
    await signAndConfirm(server, { country: 'MX' })
    v2 = await generate('MX')
    const a2 = await download(v2)
    const py2 = python(a2, 'v2')
    expect(py2.out).toMatch(/ok: the log extends the one letter \S+ was counted from \(size 4\)/)
    expect(py2.out).toContain('ok: recounted from the log: 2 for MX, 3 in all')
    expect(py2.status).toBe(0)
    const pg2 = await page(a2)
    expect(pg2.problems).toEqual([])
    expect(pg2.ok.join('\n')).toMatch(/the log extends the one letter \S+ was counted from \(size 4\)/)
  })

  it('refuse each tamper, both of them, naming it', async () => {
    const base = await download(v2)
    const cert = JSON.parse(base.cert)
    const edit = (f: (c: any) => void) => {
      const copy = JSON.parse(base.cert)
      f(copy.certificate)
      return JSON.stringify(copy)
    }
    const size = cert.certificate.log.size as number
    const entries = base.bundles.flatMap((b) => {
      const out: Buffer[] = []
      for (let i = 0; i < b.length; ) {
        const n = b.readUInt16BE(i)
        out.push(b.subarray(i + 2, i + 2 + n))
        i += 2 + n
      }
      return out
    })
    const bundle = (list: Buffer[]) => [Buffer.concat(list.flatMap((e) => [Buffer.from([e.length >> 8, e.length & 255]), e]))]
    const seed = server.config.secrets.ED25519_PRIVATE_KEY
    const origin = parseCheckpoint(parseNote(base.latest).text).origin
    const signer = signerFromSeed(origin, seed)
    const rotated = signerFromSeed(origin, Buffer.alloc(32, 5))
    const keysWithout = JSON.stringify({ keys: [{ verifierKey: rotated.verifierKey }] })
    const swapped = [...entries]
    ;[swapped[0], swapped[1]] = [swapped[1], swapped[0]]
    const cases: [string, Artefacts, RegExp][] = [
      ['count', { ...base, cert: edit((c) => (c.countryCount += 1)) }, /certificate’s signature does not match its contents|certificate's signature does not match its contents/],
      ['country', { ...base, cert: edit((c) => (c.country = 'AR')) }, /signature does not match its contents/],
      ['root', { ...base, cert: edit((c) => (c.log.root = Buffer.alloc(32).toString('base64'))) }, /signature does not match its contents/],
      ['one byte', { ...base, bundles: bundle(entries.map((e, i) => (i === 2 ? Buffer.from(e.toString().replace(/^confirm [0-9a-f]/, (m) => `${m.slice(0, -1)}${m.endsWith('0') ? '1' : '0'}`)) : e))) }, /entries do not hash to the checkpoint/],
      ['a leaf added', { ...base, bundles: bundle([...entries.slice(0, 1), Buffer.from(`confirm MX ${'e'.repeat(64)}\n`), ...entries.slice(1)]) }, /entries do not hash to the checkpoint/],
      ['a leaf removed', { ...base, bundles: bundle(entries.slice(1)) }, /fewer than the checkpoint|entries do not hash/],
      ['reordered', { ...base, bundles: bundle(swapped) }, /entries do not hash to the checkpoint/],
      ['rolled back', { ...base, latest: cert.certificate.log.previous ? JSON.parse(v1).certificate.log.checkpoint : '' }, /rolled back/],
      ['split view', { ...base, latest: signNote(`${origin}\n${size}\n${Buffer.alloc(32, 3).toString('base64')}\n`, [signer]) }, /does not match the entries: a split view or a rewrite/],
      ['key rotated away', { ...base, keys: keysWithout }, /no published key has the certificate/],
      ['duplicate key', { ...base, cert: base.cert.replace(/("certificate":\s*\{)/, '$1"countryCount":9,') }, /duplicate key/],
      ['not an integer', { ...base, cert: base.cert.replace(/"countryCount":\s*(\d+)/, '"countryCount": $1.0') }, /not an integer/],
      ['unknown field', { ...base, cert: edit((c) => (c.extra = 1)) }, /unknown or missing fields/],
    ]
    for (const [what, artefacts, message] of cases) {
      const py = python(artefacts, what.replace(/\W/g, '-'))
      expect(py.status, `python: ${what}\n${py.out}`).toBe(1)
      expect(py.out.replace(/'/g, '’'), `python: ${what}`).toMatch(new RegExp(message.source.replace(/'/g, '’')))
      const pg = await page(artefacts)
      expect(pg.problems.join(' | '), `page: ${what}`).toMatch(message)
    }
    // A key rotated in the open (the new one published beside the old): the letter still verifies.
    const published = JSON.parse(base.keys) as { keys: { verifierKey: string }[] }
    const rotatedKeys = JSON.stringify({ ...published, keys: [{ verifierKey: rotated.verifierKey }, ...published.keys] })
    const afterRotation = python({ ...base, keys: rotatedKeys }, 'rotated')
    expect(afterRotation.status, afterRotation.out).toBe(0)
    expect((await page({ ...base, keys: rotatedKeys })).problems).toEqual([])
  }, 180_000)

  it('agree with the server on a version 2 certificate: its openings, each false one refused, the range of countries, and a withheld figure', async () => {
    const base = await download(v2)
    const doc = JSON.parse(base.cert)
    const c = doc.certificate
    // The entries served name no country (ADR 129); Mexico's letter opens its two live entries.
    const entries = base.bundles.flatMap((b) => decodeBundle(b))
    for (const e of entries.slice(0, c.log.size)) expect(e.toString()).toMatch(/^(confirm|restore) [0-9a-f]{64} [0-9a-f]{64}\n$|^(withdraw|invalidate) \d+\n$/)
    expect(c.openings).toHaveLength(2)
    const hmacKey = server.config.secrets.HMAC_KEY
    const idOf = async (country: string) => (await server.db.selectFrom('signatures').select('id').where('country_code', '=', country).orderBy('created_at').execute()).map((r) => r.id)
    const arOpening = countryOpening(hmacKey, (await idOf('AR'))[0]).toString('hex')
    const invalidated = (await server.db.selectFrom('signatures').select('id').where('status', '=', 'invalidated').executeTakeFirstOrThrow()).id
    const key = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), server.config.secrets.ED25519_PRIVATE_KEY]), format: 'der', type: 'pkcs8' })
    const resigned = (change: (c: any) => void) => {
      const copy = JSON.parse(base.cert)
      change(copy.certificate)
      copy.signature = sign(null, Buffer.from(canonicalJson(copy.certificate)), key).toString('base64')
      return { ...base, cert: JSON.stringify(copy) }
    }
    const size = parseCheckpoint(parseNote(base.latest).text).size
    const evidence = { entries, latest: { note: base.latest, consistency: consistencyProof(memorySource(entries.map((e) => leafHash(e))), c.log.size, size) } }
    const keys = (JSON.parse(base.keys) as { keys: PublishedKey[] }).keys
    const own = c.openings as [number, string][]
    const cases: [string, Artefacts, string | null][] = [
      ['as issued', base, 'recounted from the log: 2 for MX, 3 in all'],
      ['opened twice', resigned((x) => ((x.openings = [...own, own[0]]), (x.countryCount = 3))), `the certificate’s openings are refused: entry ${own[0][0]} is opened twice`],
      ['Argentina’s entry', resigned((x) => ((x.openings = [...own, [3, arOpening]]), (x.countryCount = 3))), 'the certificate’s openings are refused: the opening of entry 3 does not open it to MX'],
      ['a removed add', resigned((x) => ((x.openings = [...own, [1, countryOpening(hmacKey, invalidated).toString('hex')]]), (x.countryCount = 3))), 'the certificate’s openings are refused: entry 1 is not a counted version 2 signature'],
      ['too many countries', resigned((x) => (x.countryTotal = 3)), 'the totals are 3 from 3 countries but the log counts 3 from 1 to 2'],
      ['fewer, within the range', resigned((x) => (x.countryTotal = 1)), 'recounted from the log: 2 for MX, 3 in all'],
      ['withheld', resigned((x) => (x.openings = null)), 'recounted from the log: 3 in all; the 2 for MX are not opened, to protect its signers, and lie within the 0 to 3 the log allows'],
      ['withheld, beyond the log', resigned((x) => ((x.openings = null), (x.countryCount = 4))), 'the count is 4 but the log allows 0 to 3 for MX'],
      ['made before ADR 129', resigned((x) => delete x.openings), 'the count is 2 but the log counts 0 for MX'],
      // A letter to the UN counts every signature and opens none.
      ['to the UN', resigned((x) => ((x.country = 'UN'), (x.countryCount = 3), delete x.openings)), 'recounted from the log: 3 for UN, 3 in all'],
      ['to the UN, with openings', resigned((x) => ((x.country = 'UN'), (x.countryCount = 3))), 'a letter to the UN opens no entry'],
    ]
    for (const [what, a, expected] of cases) {
      const served = verifyLetter(a.cert, keys, evidence)
      const py = python(a, `openings-${what.replace(/\W/g, '-')}`)
      const pg = await page(a)
      const pyLines = py.out.replace(/'/g, '’').split('\n')
      if (expected?.startsWith('recounted')) {
        expect(served.problems, what).toEqual([])
        expect(served.checked.map((x) => x.message), what).toContain(expected)
        expect(pyLines, `python: ${what}`).toContain(`ok: ${expected}`)
        expect(py.status, `python: ${what}\n${py.out}`).toBe(0)
        expect(pg.problems, `page: ${what}`).toEqual([])
        expect(pg.ok, `page: ${what}`).toContain(expected)
      } else {
        expect(served.problems.map((x) => x.message), what).toEqual([expected])
        expect(pyLines, `python: ${what}`).toContain(`FAILED: ${expected}`)
        expect(py.status, `python: ${what}`).toBe(1)
        expect(pg.problems, `page: ${what}`).toEqual([expected])
      }
    }
  }, 180_000)

  it('check witnesses’ cosignatures when given their keys, and refuse one that does not verify, naming it', async () => {
    const base = await download(v2)
    const size = JSON.parse(v2).certificate.log.size as number
    // A partner's witness cosigns the checkpoint v2 cites (the latest) and hands it in.
    const keyFile = path.join(server.dir, 'verifiers-witness.key')
    writeFileSync(keyFile, witnessSeed.toString('base64'))
    const logKey = (JSON.parse(base.keys) as { keys: { verifierKey: string }[] }).keys[0].verifierKey
    const lines: string[] = []
    const status = await witnessCommand(['--url', server.url, '--slug', SLUG, '--log-key', logKey, '--name', witness.name, '--key', keyFile, '--state', path.join(server.dir, 'verifiers-witness.json'), '--submit'], (l) => lines.push(l))
    expect(status, lines.join('\n')).toBe(0)
    // The platform serves the checkpoint a letter cites with the cosignatures it holds.
    const res = await web().get(`/campaigns/${SLUG}/log/checkpoint?size=${size}`)
    expect(res.status).toBe(200)
    const cosigned = await res.text()
    expect(cosigned).toContain(`\u2014 ${witness.name} `)
    const cosignedFile = path.join(server.dir, 'witness-cosigned.note')
    writeFileSync(cosignedFile, cosigned)

    const good = python(base, 'cosigned', ['--witness', witness.verifierKey, '--cosigned', cosignedFile])
    expect(good.out).toContain(`ok: witness ${witness.name} cosigned the checkpoint at size ${size}`)
    expect(good.status, good.out).toBe(0)
    const pgGood = await page(base, [witness.verifierKey], [{ label: 'cosigned', note: cosigned }])
    expect(pgGood.problems).toEqual([])
    expect(pgGood.ok).toContain(`witness ${witness.name} cosigned the checkpoint at size ${size}`)
    // The latest checkpoint as served carries the cosignature too: it is enough on its own.
    const viaLatest = python({ ...base, latest: cosigned }, 'cosigned-latest', ['--witness', witness.verifierKey])
    expect(viaLatest.status, viaLatest.out).toBe(0)

    // One byte of the cosignature changed: refused, naming the witness.
    const line = cosigned.split('\n').find((l) => l.startsWith(`\u2014 ${witness.name} `))!
    const raw = Buffer.from(line.split(' ')[2], 'base64')
    raw[raw.length - 1] ^= 1
    const forged = cosigned.replace(line, `\u2014 ${witness.name} ${raw.toString('base64')}`)
    const forgedFile = path.join(server.dir, 'witness-forged.note')
    writeFileSync(forgedFile, forged)
    const bad = python(base, 'forged', ['--witness', witness.verifierKey, '--cosigned', forgedFile])
    expect(bad.status, bad.out).toBe(1)
    expect(bad.out).toContain(`FAILED: the cosignature of witness ${witness.name} on the checkpoint at size ${size} does not verify`)
    const pgBad = await page(base, [witness.verifierKey], [{ label: 'forged', note: forged }])
    expect(pgBad.problems).toContain(`the cosignature of witness ${witness.name} on the checkpoint at size ${size} does not verify`)

    // A witness the user trusts that did not cosign: refused, naming it.
    const other = cosignerFromSeed('other.witness.example/x', Buffer.alloc(32, 78))
    const absent = python(base, 'absent', ['--witness', other.verifierKey, '--cosigned', cosignedFile])
    expect(absent.status).toBe(1)
    expect(absent.out).toContain(`FAILED: witness ${other.name} did not cosign the checkpoint this letter cites nor the latest one`)
    expect((await page(base, [other.verifierKey], [{ label: 'c', note: cosigned }])).problems).toContain(`witness ${other.name} did not cosign the checkpoint this letter cites nor the latest one`)

    // A valid cosignature, but on a checkpoint this letter neither cites nor was shown as the latest.
    const origin = parseCheckpoint(parseNote(base.latest).text).origin
    const elsewhere = signNote(`${origin}\n${size}\n${Buffer.alloc(32, 4).toString('base64')}\n`, [signerFromSeed(origin, server.config.secrets.ED25519_PRIVATE_KEY)])
    const stray = `${elsewhere}${cosignLine(parseNote(elsewhere).text, witness, 1)}`
    const strayFile = path.join(server.dir, 'witness-stray.note')
    writeFileSync(strayFile, stray)
    const strayPy = python(base, 'stray', ['--witness', witness.verifierKey, '--cosigned', strayFile])
    expect(strayPy.status).toBe(1)
    expect(strayPy.out).toContain(`is neither the one this letter cites nor the latest`)
    expect((await page(base, [witness.verifierKey], [{ label: 'stray', note: stray }])).problems.join(' | ')).toContain('is neither the one this letter cites nor the latest')
  }, 120_000)

  it('gives the offline page as one file that loads and contacts nothing', async () => {
    const res = await web().get('/verifier.html')
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Disposition')).toContain('attachment')
    const html = await res.text()
    expect(html).not.toMatch(/https?:\/\//)
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/)
    expect(html).not.toMatch(/fetch\(|XMLHttpRequest|WebSocket/)
    expect(html).toContain(VERIFIER_SCRIPT)
    expect((await web().get('/verify_letter.py')).status).toBe(200)
    // Nothing pending: the log is quiet once drained.
    expect((await sequenceLog(server.db, { config: server.config })).taken).toBe(0)
  })
})
