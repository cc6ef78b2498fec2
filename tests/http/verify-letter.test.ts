import { spawnSync } from 'node:child_process'
import { sign } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonicalJson } from '../../app/letters/certificate.server'
import { parseCheckpoint } from '../../app/transparency/checkpoint'
import { cosignerFromSeed } from '../../app/transparency/cosignature'
import { parseNote, signerFromSeed } from '../../app/transparency/note'
import { tilePath } from '../../app/transparency/tiles'
import { verifyLetterCommand } from '../../server/verify-letter'
import { witnessCommand } from '../../server/witness'
import { setLetterSender } from '../support/campaigns'
import { Client, locationOf } from '../support/http'
import { signedInAs } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'
import { linkIn, signAndConfirm, SLUG } from '../support/signing'

// `npm run verify-letter` checks a letter against the campaign's log: online (--url, in this
// process, as the server answers here) and offline (files, through the built CLI).
const witnessSeed = Buffer.alloc(32, 91)
const witness = cosignerFromSeed('witness.cli.example/w', witnessSeed)
let server: TestServer
let organiser: Client
const web = () => new Client(server.url)
let v1: string
let v2: string

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_SIGN_PER_IP: '1000', LOG_WITNESSES: witness.verifierKey })
  await setLetterSender(server, SLUG)
  organiser = (await signedInAs(server, 'organiser')).client
  const withdraw: string[] = []
  for (const country of ['PE', 'PE', 'PE', 'UY']) withdraw.push(linkIn(server, (await signAndConfirm(server, { country })).email, 'withdraw'))
  v1 = await generate('PE')
  expect((await web().post(withdraw[0].replace(/\?.*$/, ''), {})).status).toBeLessThan(400)
  await signAndConfirm(server, { country: 'PE' })
  v2 = await generate('PE')
}, 180_000)
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

async function run(args: string[]) {
  const lines: string[] = []
  const status = await verifyLetterCommand(args, (l) => lines.push(l))
  return { status, out: lines.join('\n') }
}
const file = (name: string, content: string | Buffer) => {
  const f = path.join(server.dir, name)
  writeFileSync(f, content)
  return f
}
/** A certificate the platform's own key re-signed after changing it: what a dishonest operator could issue. */
function resigned(cert: string, change: (c: any) => void) {
  const doc = JSON.parse(cert)
  change(doc.certificate)
  const origin = parseCheckpoint(parseNote(doc.certificate.log.checkpoint).text).origin
  doc.signature = sign(null, Buffer.from(canonicalJson(doc.certificate)), signerFromSeed(origin, server.config.secrets.ED25519_PRIVATE_KEY).privateKey).toString('base64')
  return JSON.stringify(doc)
}

describe('npm run verify-letter', () => {
  it('verifies a letter against the log online: signatures, recount, the latest checkpoint, and witnesses', async () => {
    const ok = await run([file('v2.json', v2), '--url', server.url])
    expect(ok.out).toContain('ok: the checkpoint is signed by')
    expect(ok.out).toContain('ok: recounted from the log: 3 for PE, 4 in all')
    expect(ok.out).toMatch(/ok: the latest checkpoint \(size \d+\) extends the one this letter cites/)
    expect(ok.out).toContain('recounted from the log.')
    expect(ok.status, ok.out).toBe(0)
    // By its code alone.
    expect((await run([JSON.parse(v2).certificate.code, '--url', server.url])).status).toBe(0)

    // A witness the user trusts, before and after it cosigned.
    const before = await run([file('v2.json', v2), '--url', server.url, '--witness', witness.verifierKey])
    expect(before.status).toBe(1)
    expect(before.out).toContain(`FAILED: witness ${witness.name} did not cosign the checkpoint this letter cites nor the latest one`)
    const logKey = ((await (await web().get('/.well-known/petition-log-keys')).json()) as { keys: { verifierKey: string }[] }).keys[0].verifierKey
    const w = await witnessCommand(['--url', server.url, '--slug', SLUG, '--log-key', logKey, '--name', witness.name, '--key', file('w.key', witnessSeed.toString('base64')), '--state', path.join(server.dir, 'w.json'), '--submit'], () => {})
    expect(w).toBe(0)
    const after = await run([file('v2.json', v2), '--url', server.url, '--witness', witness.verifierKey])
    expect(after.out).toContain(`ok: witness ${witness.name} cosigned the checkpoint at size ${JSON.parse(v2).certificate.log.size}`)
    expect(after.status, after.out).toBe(0)

    // Its cosignature altered by one bit: refused, naming the witness.
    const size = JSON.parse(v2).certificate.log.size as number
    const cosigned = await (await web().get(`/campaigns/${SLUG}/log/checkpoint?size=${size}`)).text()
    const line = cosigned.split('\n').find((l) => l.startsWith(`\u2014 ${witness.name} `))!
    const raw = Buffer.from(line.split(' ')[2], 'base64')
    raw[20] ^= 1
    const forged = file('forged.note', cosigned.replace(line, `\u2014 ${witness.name} ${raw.toString('base64')}`))
    const bad = await run([file('v2.json', v2), '--keys', file('keys.json', await (await web().get('/.well-known/petition-log-keys')).text()), '--witness', witness.verifierKey, '--cosigned', forged])
    expect(bad.status).toBe(1)
    expect(bad.out).toContain(`FAILED: the cosignature of witness ${witness.name} on the checkpoint at size ${size} does not verify`)
  }, 120_000)

  it('refuses each tamper, naming it: a count, a root, a rolled-back checkpoint, an unpublished key', async () => {
    const inflated = await run([file('inflated.json', resigned(v2, (c) => (c.countryCount += 1))), '--url', server.url])
    expect(inflated.status).toBe(1)
    expect(inflated.out).toContain('FAILED: the count is 4 but the log counts 3 for PE')
    // Inflated through its openings (ADR 129): one of Peru's entries opened twice.
    const twice = await run([file('twice.json', resigned(v2, (c) => ((c.openings = [...c.openings, c.openings[0]]), (c.countryCount += 1)))), '--url', server.url])
    expect(twice.status).toBe(1)
    expect(twice.out).toContain(`FAILED: the certificate’s openings are refused: entry ${JSON.parse(v2).certificate.openings[0][0]} is opened twice`)
    const edited = await run([file('edited.json', JSON.stringify({ ...JSON.parse(v2), certificate: { ...JSON.parse(v2).certificate, countryCount: 9 } })), '--url', server.url])
    expect(edited.out).toContain('FAILED: the certificate’s signature does not match its contents')
    const root = await run([file('root.json', resigned(v2, (c) => (c.log.root = Buffer.alloc(32, 7).toString('base64')))), '--url', server.url])
    expect(root.status).toBe(1)
    expect(root.out).toContain('FAILED: the certificate’s tree size or root differs from its signed checkpoint')
    const older = JSON.parse(v1).certificate.log
    const rolled = await run([file('v2.json', v2), '--url', server.url, '--latest', file('old-checkpoint', older.checkpoint)])
    expect(rolled.status).toBe(1)
    expect(rolled.out).toContain(`FAILED: the log was rolled back: its latest checkpoint has ${older.size} entries, fewer than the ${JSON.parse(v2).certificate.log.size} this letter cites`)
    const stranger = signerFromSeed(parseCheckpoint(parseNote(older.checkpoint).text).origin, Buffer.alloc(32, 3))
    const unpublished = await run([file('v2.json', v2), '--keys', file('stranger.json', JSON.stringify({ keys: [{ verifierKey: stranger.verifierKey }] }))])
    expect(unpublished.status).toBe(1)
    expect(unpublished.out).toContain('FAILED: no published key has the certificate’s key id')
  }, 120_000)

  it('works offline from downloaded files, through the built CLI, and refuses an entry that was changed', async () => {
    const keys = file('off-keys.json', await (await web().get('/.well-known/petition-log-keys')).text())
    const latestNote = await (await web().get(`/campaigns/${SLUG}/log/checkpoint`)).text()
    const latest = file('off-checkpoint', latestNote)
    const size = parseCheckpoint(parseNote(latestNote).text).size
    const bundle = Buffer.from(await (await web().get(`/campaigns/${SLUG}/log/${tilePath('entries', 0, size)}`)).arrayBuffer())
    const entries = file('off-entries-000', bundle)
    const cli = (args: string[]) => spawnSync('node', ['build/cli.js', 'verify-letter', ...args], { encoding: 'utf8' })
    const ok = cli([file('off-v2.json', v2), '--keys', keys, '--entries', entries, '--latest', latest])
    expect(ok.stdout).toContain('ok: recounted from the log: 3 for PE, 4 in all')
    expect(ok.stdout).toContain('extends the one this letter cites')
    expect(ok.status, ok.stdout + ok.stderr).toBe(0)
    // The entries name no country (ADR 129): one hex digit of the first entry's country commitment changed.
    expect(bundle.toString('latin1')).not.toMatch(/\b(PE|UY)\b/)
    const changed = Buffer.from(bundle)
    const digit = 2 + 'confirm '.length
    changed[digit] = changed[digit] === 0x30 ? 0x31 : 0x30
    const bad = cli([file('off-v2.json', v2), '--keys', keys, '--entries', file('off-changed-000', changed), '--latest', latest])
    expect(bad.status).toBe(1)
    expect(bad.stdout).toContain('FAILED: the entries do not hash to the checkpoint’s root')
  }, 120_000)
})
