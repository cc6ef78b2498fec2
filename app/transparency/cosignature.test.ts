import { describe, expect, it } from 'vitest'
import { formatCheckpoint } from './checkpoint'
import { cosignatureTime, cosignerFromSeed, cosignLine, parseCosignerKey, witness } from './cosignature'
import { consistencyProof, leafHash, memorySource, treeHash } from './merkle'
import { parseNote, parseVerifierKey, signerFromSeed, signNote } from './note'

const origin = 'petition.example/campaigns/test'
const log = signerFromSeed(origin, Buffer.alloc(32, 1))
const w = cosignerFromSeed('witness.example.org/w1', Buffer.alloc(32, 2))
const leaves = Array.from({ length: 9 }, (_, i) => leafHash(Buffer.from(`entry ${i}\n`)))
const src = memorySource(leaves)
const note = (size: number, root = treeHash(src, size)) => signNote(formatCheckpoint({ origin, size, root }), [log])

describe('witness cosignatures', () => {
  it('writes C2SP cosignature/v1 lines: key id of type 0x04, big-endian time, Ed25519 over the header and body', () => {
    expect(parseCosignerKey(w.verifierKey).keyId.equals(w.keyId)).toBe(true)
    expect(() => parseVerifierKey(w.verifierKey)).toThrow()
    const n = note(5)
    const line = cosignLine(parseNote(n).text, w, 1679315147)
    const raw = Buffer.from(line.split(' ')[2], 'base64')
    expect(raw.subarray(0, 4).equals(w.keyId)).toBe(true)
    expect(raw.readBigUInt64BE(4)).toBe(1679315147n)
    expect(raw.length).toBe(4 + 8 + 64)
    expect(cosignatureTime(`${n}${line}`, parseCosignerKey(w.verifierKey))).toBe(1679315147)
    expect(cosignatureTime(`${n.replace('\n5\n', '\n6\n')}${line}`, parseCosignerKey(w.verifierKey))).toBeNull()
  })

  it('cosigns only a checkpoint consistent with the last it cosigned, and says why it refuses', () => {
    const first = witness(note(4), log.verifierKey, null, [], w, 100)
    expect(first.ok).toBe(true)
    const state = first.ok ? first.state : null
    const next = witness(note(9), log.verifierKey, state, consistencyProof(src, 4, 9), w, 200)
    expect(next.ok).toBe(true)
    expect(witness(note(3), log.verifierKey, next.ok ? next.state : null, [], w, 300)).toEqual({ ok: false, reason: 'refused: the log rolled back from size 9 to 3' })
    const fork = note(9, Buffer.alloc(32, 7))
    const refused = witness(fork, log.verifierKey, state, consistencyProof(src, 4, 9), w, 300)
    expect(refused.ok).toBe(false)
    expect(!refused.ok && refused.reason).toMatch(/not consistent with the one cosigned at size 4/)
    const stranger = signNote(formatCheckpoint({ origin, size: 9, root: treeHash(src, 9) }), [signerFromSeed(origin, Buffer.alloc(32, 3))])
    expect(witness(stranger, log.verifierKey, state, [], w, 300)).toEqual({ ok: false, reason: 'the checkpoint is not signed by the log’s key' })
  })
})
