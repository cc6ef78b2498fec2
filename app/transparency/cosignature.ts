import { createHash, sign, verify } from 'node:crypto'
import { parseCheckpoint, type Checkpoint } from './checkpoint'
import { verifyConsistency } from './merkle'
import { checkNoteSignature, decodeBase64Strict, NoteError, parseNote, parseVerifierKey, signerFromSeed, validKeyName, type NoteVerifier } from './note'

/**
 * Witness cosignatures, C2SP tlog-cosignature (cosignature/v1, Ed25519, key type 0x04), and the
 * witness's rule from C2SP tlog-witness: cosign a checkpoint only if it is consistent with the
 * largest one already cosigned for that log (ADR 084). The signature is key id ‖ u64 timestamp ‖
 * Ed25519 over "cosignature/v1\ntime <t>\n" followed by the checkpoint body.
 */

const COSIGNATURE = 0x04
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

export const cosignerKeyId = (name: string, publicKey: Buffer) =>
  createHash('sha256').update(name).update(Buffer.from([0x0a, COSIGNATURE])).update(publicKey).digest().subarray(0, 4)

export function cosignerFromSeed(name: string, seed: Buffer) {
  const base = signerFromSeed(name, seed)
  const keyId = cosignerKeyId(name, base.publicKey)
  return { ...base, keyId, verifierKey: `${name}+${keyId.toString('hex')}+${Buffer.concat([Buffer.from([COSIGNATURE]), base.publicKey]).toString('base64')}` }
}
export type Cosigner = ReturnType<typeof cosignerFromSeed>

export interface CosignerVerifier {
  name: string
  keyId: Buffer
  publicKey: Buffer
  verifierKey: string
}

export function parseCosignerKey(vkey: string): CosignerVerifier {
  const parts = vkey.split('+')
  if (parts.length < 3 || !validKeyName(parts[0]) || !/^[0-9a-f]{8}$/.test(parts[1])) throw new NoteError('a witness key is name+id+key')
  const raw = decodeBase64Strict(parts.slice(2).join('+'), 'the witness key')
  if (raw.length !== 33 || raw[0] !== COSIGNATURE) throw new NoteError('not an Ed25519 cosignature key (type 0x04)')
  const publicKey = Buffer.from(raw.subarray(1))
  if (cosignerKeyId(parts[0], publicKey).toString('hex') !== parts[1]) throw new NoteError('the witness key’s id does not match its name and key')
  return { name: parts[0], keyId: Buffer.from(parts[1], 'hex'), publicKey, verifierKey: vkey }
}

const message = (body: string, time: number) => Buffer.from(`cosignature/v1\ntime ${time}\n${body}`)

/** The signature line a witness adds to a checkpoint. */
export function cosignLine(body: string, cosigner: Cosigner, time: number): string {
  if (!Number.isSafeInteger(time) || time < 0) throw new NoteError('a cosignature time is a non-negative integer')
  const ts = Buffer.alloc(8)
  ts.writeBigUInt64BE(BigInt(time))
  const sig = sign(null, message(body, time), cosigner.privateKey)
  return `\u2014 ${cosigner.name} ${Buffer.concat([cosigner.keyId, ts, sig]).toString('base64')}\n`
}

/** The time of `witness`'s valid cosignature on `note`, or null when it has none that verifies. */
export function cosignatureTime(note: string, witness: CosignerVerifier): number | null {
  const parsed = parseNote(note)
  for (const s of parsed.signatures) {
    if (s.name !== witness.name || !s.keyId.equals(witness.keyId) || s.signature.length !== 72) continue
    const time = Number(s.signature.readBigUInt64BE(0))
    const key = { key: Buffer.concat([SPKI_ED25519_PREFIX, witness.publicKey]), format: 'der' as const, type: 'spki' as const }
    if (verify(null, message(parsed.text, time), key, s.signature.subarray(8))) return time
  }
  return null
}

export interface WitnessState {
  origin: string
  size: number
  /** base64 */
  root: string
}

export type WitnessOutcome =
  | { ok: true; line: string; state: WitnessState }
  | { ok: false; reason: string }

/**
 * The witness's decision. It verifies the log's signature with the log key it was configured with,
 * then cosigns only a checkpoint that extends (or equals) the largest it has cosigned, with a
 * consistency proof from that one; a smaller size, another root at the same size or a failing
 * proof is refused, and its state stays as it was.
 */
export function witness(note: string, logKey: NoteVerifier | string, state: WitnessState | null, proof: Buffer[], cosigner: Cosigner, time: number): WitnessOutcome {
  const verifier = typeof logKey === 'string' ? parseVerifierKey(logKey) : logKey
  let cp: Checkpoint
  try {
    const parsed = parseNote(note)
    if (checkNoteSignature(parsed, verifier) !== 'valid') return { ok: false, reason: 'the checkpoint is not signed by the log’s key' }
    cp = parseCheckpoint(parsed.text)
  } catch (e) {
    return { ok: false, reason: `the checkpoint is malformed: ${(e as Error).message}` }
  }
  if (cp.origin !== verifier.name) return { ok: false, reason: `the checkpoint is of ${cp.origin}, not of ${verifier.name}` }
  if (state && state.origin !== cp.origin) return { ok: false, reason: 'the state is of another log' }
  if (state) {
    if (cp.size < state.size) return { ok: false, reason: `refused: the log rolled back from size ${state.size} to ${cp.size}` }
    if (!verifyConsistency(state.size, cp.size, proof, Buffer.from(state.root, 'base64'), cp.root))
      return { ok: false, reason: `refused: the checkpoint at size ${cp.size} is not consistent with the one cosigned at size ${state.size} (a split view or a rewrite)` }
  }
  const body = parseNote(note).text
  return { ok: true, line: cosignLine(body, cosigner, time), state: { origin: cp.origin, size: cp.size, root: cp.root.toString('base64') } }
}

/**
 * Checks the cosignatures of the witnesses a verifier chose (their keys, never the log's word) on
 * the given notes, each of which must be one of the already verified checkpoints in `bodies`
 * (body text → tree size). A witness passes with one valid cosignature; a line bearing its name
 * and key id that fails is refused, and so is a witness that cosigned none (ADR 092).
 */
export function checkCosignatures(witnessKeys: string[], notes: { label: string; note: string }[], bodies: Map<string, number>): { ok: string[]; problems: string[] } {
  const ok: string[] = []
  const problems: string[] = []
  const parsed: { text: string; signatures: ReturnType<typeof parseNote>['signatures'] }[] = []
  for (const n of notes) {
    let p: ReturnType<typeof parseNote>
    try {
      p = parseNote(n.note)
    } catch (e) {
      problems.push(`the cosigned checkpoint ${n.label} is malformed: ${(e as Error).message}`)
      continue
    }
    if (!bodies.has(p.text)) problems.push(`the cosigned checkpoint ${n.label} is neither the one this letter cites nor the latest`)
    else parsed.push(p)
  }
  for (const vkey of witnessKeys) {
    let w: CosignerVerifier
    try {
      w = parseCosignerKey(vkey)
    } catch (e) {
      problems.push(`the witness key ${vkey} is malformed: ${(e as Error).message}`)
      continue
    }
    const good = new Set<number>()
    const bad = new Set<number>()
    const key = { key: Buffer.concat([SPKI_ED25519_PREFIX, w.publicKey]), format: 'der' as const, type: 'spki' as const }
    for (const p of parsed) {
      for (const s of p.signatures) {
        if (s.name !== w.name || !s.keyId.equals(w.keyId)) continue
        const valid = s.signature.length === 72 && verify(null, message(p.text, Number(s.signature.readBigUInt64BE(0))), key, s.signature.subarray(8))
        ;(valid ? good : bad).add(bodies.get(p.text)!)
      }
    }
    for (const size of [...bad].sort((a, b) => a - b)) problems.push(`the cosignature of witness ${w.name} on the checkpoint at size ${size} does not verify`)
    if (good.size) ok.push(`witness ${w.name} cosigned the checkpoint at size ${[...good].sort((a, b) => a - b).join(', ')}`)
    else if (!bad.size) problems.push(`witness ${w.name} did not cosign the checkpoint this letter cites nor the latest one`)
  }
  return { ok, problems }
}
