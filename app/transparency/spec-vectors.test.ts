import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { formatCheckpoint, parseCheckpoint } from './checkpoint'
import { commitmentOf, parseLeaf, tally } from './leaf'
import { consistencyProof, inclusionProof, leafHash, memorySource, treeHash, verifyConsistency, verifyInclusion } from './merkle'
import { checkNoteSignature, parseNote, parseVerifierKey, signerFromSeed, signNote } from './note'

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
assert m.recount([e.encode() for e in v['entries']]) == {'IR': 1, 'FR': 0}
print('ok')
`
    const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(v), encoding: 'utf8' })
    expect(run.stderr).toBe('')
    expect(run.stdout.trim()).toBe('ok')
  })
})
