import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sequenceLog } from '../../app/models/transparency-log.server'
import { cosignerFromSeed } from '../../app/transparency/cosignature'
import { witnessCommand } from '../../server/witness'
import { Client, locationOf } from '../support/http'
import { signedInAs } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'
import { signAndConfirm, SLUG } from '../support/signing'
import { setLetterSender } from '../support/campaigns'

const seed = Buffer.alloc(32, 42)
const w = cosignerFromSeed('witness.partner.example/w1', seed)
let server: TestServer
let logKey: string
let files: { key: string; state: string }

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_SIGN_PER_IP: '1000', LOG_WITNESSES: w.verifierKey })
  await setLetterSender(server, SLUG)
  files = { key: path.join(server.dir, 'witness.key'), state: path.join(server.dir, 'witness.json') }
  writeFileSync(files.key, seed.toString('base64'))
})
afterAll(async () => {
  await server?.stop()
})

const drain = async () => {
  while ((await sequenceLog(server.db, { config: server.config })).taken > 0);
}
async function run(extra: string[] = [], state = files.state) {
  const lines: string[] = []
  const status = await witnessCommand(['--url', server.url, '--slug', SLUG, '--log-key', logKey, '--name', w.name, '--key', files.key, '--state', state, ...extra], (l) => lines.push(l))
  return { status, out: lines.join('\n') }
}

describe('a witness', () => {
  it('cosigns a growing log, refuses a rolled-back or forked one, and /verify shows its cosignature', async () => {
    await signAndConfirm(server, { country: 'CL' })
    await drain()
    logKey = ((await (await new Client(server.url).get('/.well-known/petition-log-keys')).json()) as { keys: { verifierKey: string }[] }).keys[0].verifierKey
    const first = await run(['--submit'])
    expect(first.out).toContain('COSIGNED')
    expect(first.out).toContain('Submitted to the platform.')
    expect(first.status).toBe(0)

    await signAndConfirm(server, { country: 'CL' })
    const organiser = (await signedInAs(server, 'organiser')).client
    const res = await organiser.post(`/admin/campaigns/${SLUG}/letters`, { intent: 'generate', country: 'CL' })
    const id = locationOf(res).split('/').pop()!
    const code = (await server.db.selectFrom('letter_versions').select('code').where('id', '=', id).executeTakeFirstOrThrow()).code
    // The built CLI, as a partner would run it (asynchronously: the server answers in this process).
    const cli = await promisify(execFile)('node', ['build/cli.js', 'witness', '--url', server.url, '--slug', SLUG, '--log-key', logKey, '--name', w.name, '--key', files.key, '--state', files.state, '--submit'], { encoding: 'utf8' })
    expect(cli.stdout).toMatch(/COSIGNED \S+ at size 2/)
    expect(cli.stdout).toContain('Submitted to the platform.')
    const page = await (await new Client(server.url).get(`/verify/${code}`)).text()
    expect(page).toContain('Independent witnesses cosigned this checkpoint, vouching that the log only grew: witness.partner.example/w1.')
    expect(page).toContain(w.verifierKey)

    // A witness that has seen a larger tree refuses a smaller one.
    const ahead = path.join(server.dir, 'ahead.json')
    writeFileSync(ahead, JSON.stringify({ origin: logKey.split('+')[0], size: 5, root: Buffer.alloc(32, 1).toString('base64') }))
    const rolled = await run([], ahead)
    expect(rolled.status).toBe(1)
    expect(rolled.out).toContain('REFUSED: refused: the log rolled back from size 5 to 2')
    // One that cosigned another tree of the same history refuses this one: a split view.
    const forked = path.join(server.dir, 'forked.json')
    writeFileSync(forked, JSON.stringify({ origin: logKey.split('+')[0], size: 1, root: Buffer.alloc(32, 2).toString('base64') }))
    const split = await run([], forked)
    expect(split.status).toBe(1)
    expect(split.out).toMatch(/not consistent with the one cosigned at size 1/)
    // The platform takes cosignatures only from witnesses it knows, on its own checkpoints.
    const stranger = cosignerFromSeed('stranger.example/w', Buffer.alloc(32, 9))
    // (The checkpoint is served with the cosignatures the platform holds: keep only the log's own.)
    const served = await (await new Client(server.url).get(`/campaigns/${SLUG}/log/checkpoint`)).text()
    expect(served).toContain(`\u2014 ${w.name} `)
    const note = served.split('\n').filter((l) => !l.startsWith(`\u2014 ${w.name} `)).join('\n')
    const { cosignLine } = await import('../../app/transparency/cosignature')
    const { parseNote } = await import('../../app/transparency/note')
    const bad = await new Client(server.url).post(`/campaigns/${SLUG}/log/cosignatures`, { note: `${note}${cosignLine(parseNote(note).text, stranger, 1)}` })
    expect(bad.status).toBe(422)
    expect(await bad.text()).toContain('No valid cosignature from a witness this platform knows.')
  }, 120_000)
})
