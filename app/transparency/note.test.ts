import { describe, expect, it } from 'vitest'
import { formatCheckpoint, parseCheckpoint } from './checkpoint'
import { encodeLeaf, parseLeaf, tally, type Leaf } from './leaf'
import { checkNoteSignature, decodeBase64Strict, parseNote, parseVerifierKey, signerFromPrivateKeyString, signerFromSeed, signNote } from './note'
import { decodeBundle, encodeBundle, encodeTileIndex, parseTilePath, tilePath } from './tiles'

// The example of golang.org/x/mod/sumdb/note (note.go, note_test.go), also in C2SP signed-note.
const SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz'
const VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
const NOTE = `${TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`

describe('signed notes', () => {
  it('signs the Go reference note byte for byte, and derives its verifier key', () => {
    const signer = signerFromPrivateKeyString(SKEY)
    expect(signer.verifierKey).toBe(VKEY)
    expect(signNote(TEXT, [signer])).toBe(NOTE)
  })

  it('verifies the reference note and refuses one changed byte, another key, or a malformed note', () => {
    const v = parseVerifierKey(VKEY)
    expect(checkNoteSignature(parseNote(NOTE), v)).toBe('valid')
    expect(checkNoteSignature(parseNote(NOTE.replace('cryptography', 'cryptographY')), v)).toBe('invalid')
    const other = signerFromSeed('PeterNeumann', Buffer.alloc(32, 7))
    expect(checkNoteSignature(parseNote(NOTE), parseVerifierKey(other.verifierKey))).toBe('absent')
    expect(() => parseNote(TEXT)).toThrow(/signature block/)
    expect(() => parseNote(NOTE.replace('JnAM=', 'JnAM'))).toThrow(/canonical base64/)
    expect(() => parseNote(NOTE.replace('— ', '-- '))).toThrow(/starts with/)
    expect(() => parseNote(`${NOTE}trailing`)).toThrow()
  })

  it('refuses a verifier key whose id, type or encoding is wrong', () => {
    expect(() => parseVerifierKey(VKEY.replace('c74f20a3', 'c74f20a4'))).toThrow(/does not match/)
    expect(() => parseVerifierKey(VKEY.replace('+ARpc', '+Alpc'))).toThrow()
    expect(() => parseVerifierKey(VKEY.replace('PeterNeumann', 'Peter Neumann'))).toThrow(/name/)
    expect(() => parseVerifierKey(VKEY.replace('+AR', '+BR'))).toThrow()
  })

  it('decodes only canonical base64', () => {
    expect(decodeBase64Strict('AAE=', 'x')).toEqual(Buffer.from([0, 1]))
    for (const bad of ['AAF=', 'AAE', 'AA E=', 'AAE=\n', '_-8=']) expect(() => decodeBase64Strict(bad, 'x')).toThrow(/canonical/)
  })
})

describe('checkpoints', () => {
  it('writes and reads the three lines of C2SP tlog-checkpoint, strictly', () => {
    const root = Buffer.alloc(32, 1)
    const text = formatCheckpoint({ origin: 'example.org/campaigns/x', size: 12, root })
    expect(text).toBe(`example.org/campaigns/x\n12\n${root.toString('base64')}\n`)
    expect(parseCheckpoint(text)).toEqual({ origin: 'example.org/campaigns/x', size: 12, root })
    for (const bad of [text.replace('\n12\n', '\n012\n'), text.replace('\n12\n', '\n12.0\n'), text.replace('\n12\n', '\n-1\n'), `${text}ext\n`, text.slice(0, -1), text.replace(/=\n$/, '\n')])
      expect(() => parseCheckpoint(bad)).toThrow()
  })
})

describe('tiles', () => {
  it('spells tile paths as C2SP tlog-tiles does', () => {
    expect(encodeTileIndex(1234067)).toBe('x001/x234/067')
    expect(encodeTileIndex(0)).toBe('000')
    expect(tilePath(0, 1234067)).toBe('tile/0/x001/x234/067')
    expect(tilePath(1, 3, 17)).toBe('tile/1/003.p/17')
    expect(tilePath('entries', 1000)).toBe('tile/entries/x001/000')
    expect(parseTilePath('tile/0/x001/x234/067')).toEqual({ level: 0, n: 1234067, width: 256 })
    expect(parseTilePath('tile/entries/003.p/17')).toEqual({ level: 'entries', n: 3, width: 17 })
    for (const bad of ['tile/0/1', 'tile/0/x000/001', 'tile/0/001.p/256', 'tile/0/001.p/0', 'tile/0/001.p/017', 'tile/x/001', 'tile/0/001/'])
      expect(parseTilePath(bad)).toBeNull()
  })

  it('bundles entries with 16-bit big-endian lengths', () => {
    const bundle = encodeBundle([Buffer.from('ab'), Buffer.alloc(0), Buffer.from('c')])
    expect(bundle.toString('hex')).toBe('000261620000000163')
    expect(decodeBundle(bundle).map(String)).toEqual(['ab', '', 'c'])
    expect(() => decodeBundle(bundle.subarray(0, 3))).toThrow(/cut short/)
  })
})

describe('log entries', () => {
  const c = 'a'.repeat(64)
  it('has one spelling per entry', () => {
    const leaves: Leaf[] = [
      { kind: 'confirm', country: 'IR', commitment: c },
      { kind: 'withdraw', country: 'IR', removes: 0 },
    ]
    for (const l of leaves) expect(parseLeaf(encodeLeaf(l))).toEqual(l)
    for (const bad of [`confirm ir ${c}\n`, `confirm IR ${c}`, `confirm IR ${c.toUpperCase()}\n`, 'withdraw IR 01\n', 'withdraw IR 1.0\n', `withdraw IR ${c}\n`, 'confirm IR 3\n', `add IR ${c}\n`, `confirm  IR ${c}\n`])
      expect(() => parseLeaf(bad)).toThrow()
  })

  it('recounts each country as adds minus removals, and refuses an impossible removal', () => {
    const t = tally([
      { kind: 'confirm', country: 'IR', commitment: c },
      { kind: 'confirm', country: 'FR', commitment: c },
      { kind: 'confirm', country: 'IR', commitment: c },
      { kind: 'invalidate', country: 'IR', removes: 0 },
      { kind: 'restore', country: 'IR', commitment: c },
    ])
    expect(Object.fromEntries(t.counts)).toEqual({ IR: 2, FR: 1 })
    expect(() => tally([{ kind: 'confirm', country: 'IR', commitment: c }, { kind: 'withdraw', country: 'FR', removes: 0 }])).toThrow(/another country/)
    expect(() => tally([{ kind: 'confirm', country: 'IR', commitment: c }, { kind: 'withdraw', country: 'IR', removes: 0 }, { kind: 'withdraw', country: 'IR', removes: 0 }])).toThrow(/second time/)
    expect(() => tally([{ kind: 'withdraw', country: 'IR', removes: 0 }])).toThrow(/comes after/)
  })
})
