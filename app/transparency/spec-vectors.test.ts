import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import vm from 'node:vm'
import { describe, expect, it } from 'vitest'
import { formatCheckpoint, parseCheckpoint } from './checkpoint'
import { commitmentOf, countryCommitmentOf, countryFigure, countryOpening, parseLeaf, tally } from './leaf'
import { consistencyProof, inclusionProof, leafHash, memorySource, treeHash, verifyConsistency, verifyInclusion } from './merkle'
import { checkNoteSignature, parseNote, parseVerifierKey, signerFromSeed, signNote } from './note'
import { VERIFIER_SCRIPT } from './verifier-page'

// The vectors printed in docs/certificate.md, read from the document itself so the two cannot drift.
const doc = readFileSync('docs/certificate.md', 'utf8')
const v = JSON.parse(/```json vectors\n([\s\S]*?)\n```/.exec(doc)![1])
const b64 = (s: string) => Buffer.from(s, 'base64')

describe('the specification’s test vectors', () => {
  it('derive from their stated inputs with the platform’s code', () => {
    const seed = createHash('sha256').update('petition-log test vector seed').digest()
    expect(seed.toString('hex')).toBe(v.seedHex)
    const signer = signerFromSeed(v.origin, seed)
    expect(signer.verifierKey).toBe(v.verifierKey)
    v.secrets.forEach((s: string, i: number) => expect(v.entries[i]).toContain(commitmentOf(Buffer.from(s, 'hex'))))
    const hashes = v.entries.map((e: string) => leafHash(Buffer.from(e)))
    expect(hashes.map((h: Buffer) => h.toString('hex'))).toEqual(v.leafHashes)
    const src = memorySource(hashes)
    expect([1, 2, 3, 4, 5].map((n) => treeHash(src, n).toString('base64'))).toEqual(v.roots)
    expect(signNote(formatCheckpoint({ origin: v.origin, size: 3, root: b64(v.roots[2]) }), [signer])).toBe(v.checkpoint3)
    expect(signNote(formatCheckpoint({ origin: v.origin, size: 5, root: b64(v.roots[4]) }), [signer])).toBe(v.checkpoint5)
    expect(inclusionProof(src, 2, 5).map((h) => h.toString('base64'))).toEqual(v.inclusion_2_in_5)
    expect(consistencyProof(src, 3, 5).map((h) => h.toString('base64'))).toEqual(v.consistency_3_to_5)
  })

  it('verify as a third party would: notes, proofs and the recount', () => {
    const key = parseVerifierKey(v.verifierKey)
    for (const note of [v.checkpoint3, v.checkpoint5]) expect(checkNoteSignature(parseNote(note), key)).toBe('valid')
    const cp5 = parseCheckpoint(parseNote(v.checkpoint5).text)
    expect(verifyInclusion(2, 5, leafHash(Buffer.from(v.entries[2])), v.inclusion_2_in_5.map(b64), cp5.root)).toBe(true)
    expect(verifyConsistency(3, 5, v.consistency_3_to_5.map(b64), b64(v.roots[2]), cp5.root)).toBe(true)
    expect(Object.fromEntries(tally(v.entries.map(parseLeaf)).counts)).toEqual({ IR: 1, FR: 0 })
  })

  it('are reproduced by the Python verifier, an independent implementation', () => {
    const script = `
import importlib.util, json, sys, base64
spec = importlib.util.spec_from_file_location('v', 'public/verify_letter.py'); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
v = json.loads(sys.stdin.read())
keys = {v['verifierKey']: m.parse_verifier_key(v['verifierKey'])}
hashes = [m.leaf_hash(e.encode()) for e in v['entries']]
assert [h.hex() for h in hashes] == v['leafHashes']
assert [base64.b64encode(m.mth(hashes[:n])).decode() for n in range(1, 6)] == v['roots']
for note in (v['checkpoint3'], v['checkpoint5']):
    text, key = m.open_note(note, keys); assert key == v['verifierKey']
proof = [base64.b64decode(h) for h in v['consistency_3_to_5']]
assert m.verify_consistency(3, 5, proof, base64.b64decode(v['roots'][2]), base64.b64decode(v['roots'][4]))
assert not m.verify_consistency(3, 5, proof[1:], base64.b64decode(v['roots'][2]), base64.b64decode(v['roots'][4]))
assert m.recount([e.encode() for e in v['entries']]).counts == {'IR': 1, 'FR': 0}
print('ok')
`
    const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(v), encoding: 'utf8' })
    expect(run.stderr).toBe('')
    expect(run.stdout.trim()).toBe('ok')
  })
})

describe('the specification’s version 2 vectors (ADR 129)', () => {
  const w = v.v2
  const all = [...v.entries, ...w.entries] as string[]

  it('derive openings, country commitments, entries and the root with the platform’s code', () => {
    const hmacKey = Buffer.from(w.hmacKeyHex, 'hex')
    expect(createHash('sha256').update('petition-log test vector hmac key').digest('hex')).toBe(w.hmacKeyHex)
    expect(w.signatureIds.map((id: string) => countryOpening(hmacKey, id).toString('hex'))).toEqual(w.openings)
    expect(w.countries.map((cc: string, i: number) => countryCommitmentOf(cc, Buffer.from(w.openings[i], 'hex')))).toEqual(w.countryCommitments)
    w.secrets.forEach((s: string, i: number) => expect(w.entries[i]).toBe(`${i === 2 ? 'restore' : 'confirm'} ${w.countryCommitments[i]} ${commitmentOf(Buffer.from(s, 'hex'))}\n`))
    const hashes = all.map((e) => leafHash(Buffer.from(e)))
    expect(hashes.slice(5).map((h) => h.toString('hex'))).toEqual(w.leafHashes)
    expect(treeHash(memorySource(hashes), 10).toString('base64')).toBe(w.root10)
  })

  it('recount as a third party would: the total exactly, the hidden adds, and Iran’s figure through its openings', () => {
    const leaves = all.map(parseLeaf)
    const t = tally(leaves)
    expect(t.total).toBe(w.total10)
    expect(Object.fromEntries(t.counts)).toEqual(w.known10)
    expect([...t.hidden].sort()).toEqual(w.hidden10)
    expect(countryFigure(leaves, t, 'IR', w.openingsIR)).toBe(w.figureIR)
    expect(countryFigure(leaves, t, 'FR', [])).toBe(0)
  })

  it('are recounted alike by the offline page’s script', async () => {
    const context = vm.createContext({ crypto: globalThis.crypto, TextEncoder, atob, btoa, Uint8Array, console })
    vm.runInContext(`${VERIFIER_SCRIPT};globalThis.api = { recount, countryFigure }`, context)
    const api = (context as unknown as { api: { recount: (e: Uint8Array[]) => any; countryFigure: (r: unknown, cc: string, o: unknown) => Promise<number> } }).api
    const r = api.recount(all.map((e) => new Uint8Array(Buffer.from(e))))
    expect(r.total).toBe(w.total10)
    expect({ ...r.counts }).toEqual(w.known10)
    expect([...r.hidden].sort()).toEqual(w.hidden10)
    expect(await api.countryFigure(r, 'IR', w.openingsIR)).toBe(w.figureIR)
    await expect(api.countryFigure(r, 'FR', w.openingsIR)).rejects.toThrow(/does not open it to FR/)
  })

  it('are reproduced by the Python verifier, HMAC included', () => {
    const script = `
import importlib.util, json, sys, base64, hmac, hashlib
spec = importlib.util.spec_from_file_location('v', 'public/verify_letter.py'); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
v = json.loads(sys.stdin.read()); w = v['v2']
key = bytes.fromhex(w['hmacKeyHex'])
assert [hmac.new(key, b'petition-log-country-opening-v2\\x00' + i.encode(), hashlib.sha256).digest()[:16].hex() for i in w['signatureIds']] == w['openings']
assert [m.country_commitment(cc, bytes.fromhex(o)) for cc, o in zip(w['countries'], w['openings'])] == w['countryCommitments']
entries = [e.encode() for e in v['entries'] + w['entries']]
assert base64.b64encode(m.mth([m.leaf_hash(e) for e in entries])).decode() == w['root10']
r = m.recount(entries)
assert r.total == w['total10'] and r.counts == w['known10'] and sorted(r.hidden) == w['hidden10']
assert m.country_figure(r, 'IR', w['openingsIR']) == w['figureIR']
print('ok')
`
    const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(v), encoding: 'utf8' })
    expect(run.stderr).toBe('')
    expect(run.stdout.trim()).toBe('ok')
  })
})
