import { createHash, createHmac, type KeyObject } from 'node:crypto'
import { NoteError } from './note'

/**
 * The entries of a campaign's log (ADR 081): one ASCII line each, holding no personal data.
 *
 *   confirm <CC> <commitment>      a signature from country CC was confirmed
 *   restore <CC> <commitment>      an invalidated signature counts again
 *   withdraw <CC> <index>          the signer withdrew the signature added at leaf <index>
 *   invalidate <CC> <index>        organisers invalidated the signature added at leaf <index>
 *
 * The commitment is SHA-256 of the signer's 32-byte secret, in lowercase hex; only the signer (and
 * the platform, which derives it) can open it. A country's count at any tree size is its adds
 * minus its removals.
 */

export type LeafKind = 'confirm' | 'restore' | 'withdraw' | 'invalidate'
export type Leaf =
  | { kind: 'confirm' | 'restore'; country: string; commitment: string }
  | { kind: 'withdraw' | 'invalidate'; country: string; removes: number }

export const isAdd = (l: Leaf): l is Extract<Leaf, { commitment: string }> => l.kind === 'confirm' || l.kind === 'restore'

export function encodeLeaf(l: Leaf): string {
  return isAdd(l) ? `${l.kind} ${l.country} ${l.commitment}\n` : `${l.kind} ${l.country} ${l.removes}\n`
}

export function parseLeaf(text: string): Leaf {
  const m = /^(confirm|restore|withdraw|invalidate) ([A-Z]{2}) ([0-9a-f]{64}|0|[1-9][0-9]{0,15})\n$/.exec(text)
  if (!m) throw new NoteError(`not a log entry: ${JSON.stringify(text.slice(0, 80))}`)
  const [, kind, country, value] = m
  if (kind === 'confirm' || kind === 'restore') {
    if (value.length !== 64) throw new NoteError(`a ${kind} entry carries a 64-hex-digit commitment`)
    return { kind, country, commitment: value }
  }
  if (value.length === 64) throw new NoteError(`a ${kind} entry names the index of the leaf it removes`)
  const removes = Number(value)
  if (!Number.isSafeInteger(removes)) throw new NoteError('the removed index is too large')
  return { kind: kind as 'withdraw' | 'invalidate', country, removes }
}

/** A signer's secret: derived from the platform's key and the signature's id, so nothing is stored. */
export function signerSecret(hmacKey: Buffer | KeyObject, signatureId: string): Buffer {
  return createHmac('sha256', hmacKey).update(`petition-log-signer-secret-v1\0${signatureId}`).digest()
}

export const commitmentOf = (secret: Buffer) => createHash('sha256').update(secret).digest('hex')

export interface Tally {
  /** country → counted signatures */
  counts: Map<string, number>
  /** indexes of adds later removed, with the removal's index */
  removed: Map<number, number>
}

/**
 * Recounts every country from the entries in order, refusing a log that removes what was never
 * added, removes twice, or removes across countries: the checks any third party can make.
 */
export function tally(entries: Leaf[]): Tally {
  const counts = new Map<string, number>()
  const removed = new Map<number, number>()
  entries.forEach((l, i) => {
    if (isAdd(l)) counts.set(l.country, (counts.get(l.country) ?? 0) + 1)
    else {
      const target = entries[l.removes]
      if (l.removes >= i || !target) throw new NoteError(`entry ${i} removes leaf ${l.removes}, which comes after it`)
      if (!isAdd(target)) throw new NoteError(`entry ${i} removes leaf ${l.removes}, which is not a signature`)
      if (target.country !== l.country) throw new NoteError(`entry ${i} removes leaf ${l.removes} of another country`)
      if (removed.has(l.removes)) throw new NoteError(`entry ${i} removes leaf ${l.removes} a second time`)
      removed.set(l.removes, i)
      counts.set(l.country, (counts.get(l.country) ?? 0) - 1)
    }
  })
  return { counts, removed }
}
