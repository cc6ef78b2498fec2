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
import { canonicalEmail } from '../../app/utils/email-address'
import { Client, locationOf } from '../support/http'
import { signedInAs } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'
import { linkIn, signAndConfirm, SLUG } from '../support/signing'
import { setLetterSender } from '../support/campaigns'

// The two verifiers a mission can use without this repository: public/verify_letter.py (Python's
// standard library only) and the offline page's script (the browser's WebCrypto, run here in
// Node's), each on artefacts downloaded from the running server as anyone would.
let server: TestServer
let organiser: Client
const web = () => new Client(server.url)

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_SIGN_PER_IP: '1000' })
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

function python(a: Artefacts, name: string) {
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
  const run = spawnSync('python3', ['public/verify_letter.py', files.cert, files.keys, ...bundles, '--latest', files.latest], { encoding: 'utf8' })
  return { status: run.status, out: `${run.stdout}${run.stderr}` }
}

async function page(a: Artefacts): Promise<{ ok: string[]; problems: string[] }> {
  const context = vm.createContext({ crypto: globalThis.crypto, TextEncoder, atob, btoa, Uint8Array, console })
  vm.runInContext(`${VERIFIER_SCRIPT};globalThis.verifyLetter = verifyLetter`, context)
  return (context as unknown as { verifyLetter: (...args: unknown[]) => Promise<{ ok: string[]; problems: string[] }> }).verifyLetter(
    a.cert,
    a.keys,
    a.bundles.map((b) => new Uint8Array(b)),
    a.latest,
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
      ['one byte', { ...base, bundles: bundle(entries.map((e, i) => (i === 2 ? Buffer.from(e.toString().replace('MX', 'MY')) : e))) }, /entries do not hash to the checkpoint/],
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
  })

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
