import { createHash, createHmac, type KeyObject } from 'node:crypto'
import { NoteError } from './note'

/**
 * The entries of a campaign's log (ADR 081, ADR 129): one ASCII line each, holding no personal data.
 *
 * Version 2, written since ADR 129, names no country:
 *   confirm <country-commitment> <commitment>   a signature was confirmed
 *   restore <country-commitment> <commitment>   an invalidated signature counts again
 *   withdraw <index>                            the signer withdrew the signature added at leaf <index>
 *   invalidate <index>                          organisers invalidated the signature added at leaf <index>
 *
 * Version 1, written before, named it (`confirm <CC> <commitment>`, `withdraw <CC> <index>`, …); a
 * log is append-only, so its old entries stay and every reader parses both.
 *
 * The commitment is SHA-256 of the signer's 32-byte secret, in lowercase hex; only the signer (and
 * the platform, which derives it) can open it. The country commitment hides the country behind a
 * 128-bit opening only the platform can derive; a state's letter publishes the openings of its own
 * country's entries, so its figure can be recounted and no other.
 */

export type LeafKind = 'confirm' | 'restore' | 'withdraw' | 'invalidate'
type AddKind = 'confirm' | 'restore'
type RemoveKind = 'withdraw' | 'invalidate'
export type Leaf =
  | { kind: AddKind; country: string; commitment: string }
  | { kind: RemoveKind; country: string; removes: number }
  | { kind: AddKind; countryCommitment: string; commitment: string }
  | { kind: RemoveKind; removes: number }

export const isAdd = (l: Leaf): l is Extract<Leaf, { commitment: string }> => l.kind === 'confirm' || l.kind === 'restore'
/** A version 1 entry, which names its country. */
export const namesCountry = (l: Leaf): l is Extract<Leaf, { country: string }> => 'country' in l

export function encodeLeaf(l: Leaf): string {
  if (namesCountry(l)) return isAdd(l) ? `${l.kind} ${l.country} ${l.commitment}\n` : `${l.kind} ${l.country} ${(l as { removes: number }).removes}\n`
  return isAdd(l) ? `${l.kind} ${l.countryCommitment} ${l.commitment}\n` : `${l.kind} ${l.removes}\n`
}

const V1 = /^(confirm|restore|withdraw|invalidate) ([A-Z]{2}) ([0-9a-f]{64}|0|[1-9][0-9]{0,15})\n$/
const V2_ADD = /^(confirm|restore) ([0-9a-f]{64}) ([0-9a-f]{64})\n$/
const V2_REMOVE = /^(withdraw|invalidate) (0|[1-9][0-9]{0,15})\n$/

const index = (value: string) => {
  const n = Number(value)
  if (!Number.isSafeInteger(n)) throw new NoteError('the removed index is too large')
  return n
}

export function parseLeaf(text: string): Leaf {
  const add = V2_ADD.exec(text)
  if (add) return { kind: add[1] as AddKind, countryCommitment: add[2], commitment: add[3] }
  const remove = V2_REMOVE.exec(text)
  if (remove) return { kind: remove[1] as RemoveKind, removes: index(remove[2]) }
  const m = V1.exec(text)
  if (!m) throw new NoteError(`not a log entry: ${JSON.stringify(text.slice(0, 80))}`)
  const [, kind, country, value] = m
  if (kind === 'confirm' || kind === 'restore') {
    if (value.length !== 64) throw new NoteError(`a ${kind} entry carries a 64-hex-digit commitment`)
    return { kind, country, commitment: value }
  }
  if (value.length === 64) throw new NoteError(`a ${kind} entry names the index of the leaf it removes`)
  return { kind: kind as RemoveKind, country, removes: index(value) }
}

/** A signer's secret: derived from the platform's key and the signature's id, so nothing is stored. */
export function signerSecret(hmacKey: Buffer | KeyObject, signatureId: string): Buffer {
  return createHmac('sha256', hmacKey).update(`petition-log-signer-secret-v1\0${signatureId}`).digest()
}

export const commitmentOf = (secret: Buffer) => createHash('sha256').update(secret).digest('hex')

/** The 16 bytes that open a version 2 entry's country commitment: derived like the secret, never stored. */
export function countryOpening(hmacKey: Buffer | KeyObject, signatureId: string): Buffer {
  return createHmac('sha256', hmacKey).update(`petition-log-country-opening-v2\0${signatureId}`).digest().subarray(0, 16)
}

/** hex SHA-256("petition-log-country-v2" ‖ 0x00 ‖ CC ‖ 0x00 ‖ opening) */
export function countryCommitmentOf(country: string, opening: Buffer): string {
  return createHash('sha256').update(`petition-log-country-v2\0${country}\0`).update(opening).digest('hex')
}

export interface Tally {
  /** country → counted signatures, from the entries that name it (version 1, and version 2 removals of those) */
  counts: Map<string, number>
  /** every counted signature, whatever its entry's version */
  total: number
  /** indexes of adds later removed, with the removal's index */
  removed: Map<number, number>
  /** indexes of version 2 adds still counted: their country is known only to whoever opens them */
  hidden: Set<number>
}

/**
 * Recounts the log from its entries in order, refusing a log that removes what was never added,
 * removes twice, or (in version 1) removes across countries: the checks any third party can make.
 */
export function tally(entries: Leaf[]): Tally {
  const counts = new Map<string, number>()
  const removed = new Map<number, number>()
  const hidden = new Set<number>()
  let total = 0
  const move = (country: string, by: number) => counts.set(country, (counts.get(country) ?? 0) + by)
  entries.forEach((l, i) => {
    if (isAdd(l)) {
      total++
      if (namesCountry(l)) move(l.country, 1)
      else hidden.add(i)
      return
    }
    const target = entries[l.removes]
    if (l.removes >= i || !target) throw new NoteError(`entry ${i} removes leaf ${l.removes}, which comes after it`)
    if (!isAdd(target)) throw new NoteError(`entry ${i} removes leaf ${l.removes}, which is not a signature`)
    if (removed.has(l.removes)) throw new NoteError(`entry ${i} removes leaf ${l.removes} a second time`)
    if (namesCountry(l) && (!namesCountry(target) || target.country !== l.country)) throw new NoteError(`entry ${i} removes leaf ${l.removes} of another country`)
    removed.set(l.removes, i)
    total--
    if (namesCountry(target)) move(target.country, -1)
    else hidden.delete(l.removes)
  })
  return { counts, total, removed, hidden }
}

/** What a letter's certificate opens: `[index, opening hex]` for each version 2 add of its country. */
export type Openings = [number, string][]

/**
 * A country's figure at the tally's size: its counted version 1 adds, plus the openings, each of
 * which must open a counted version 2 add's country commitment to `country`, no index twice.
 */
export function countryFigure(entries: Leaf[], t: Tally, country: string, openings: Openings): number {
  const seen = new Set<number>()
  for (const [i, opening] of openings) {
    if (!Number.isSafeInteger(i) || i < 0 || typeof opening !== 'string' || !/^[0-9a-f]{32}$/.test(opening)) throw new NoteError('an opening is malformed')
    if (seen.has(i)) throw new NoteError(`entry ${i} is opened twice`)
    seen.add(i)
    const l = entries[i]
    if (!t.hidden.has(i) || !l || !isAdd(l) || namesCountry(l)) throw new NoteError(`entry ${i} is not a counted version 2 signature`)
    if (countryCommitmentOf(country, Buffer.from(opening, 'hex')) !== l.countryCommitment) throw new NoteError(`the opening of entry ${i} does not open it to ${country}`)
  }
  return (t.counts.get(country) ?? 0) + openings.length
}

/**
 * The number of countries (other than ZZ, elsewhere) a letter may certify: at least those the log
 * shows counted (version 1 counts above zero, and the letter's own), at most that plus every
 * counted version 2 add nobody opened.
 */
export function countryTotalRange(t: Tally, own: { country: string; figure: number; opened: number } | null): { min: number; max: number } {
  const known = new Set([...t.counts].filter(([cc, n]) => cc !== 'ZZ' && n > 0).map(([cc]) => cc))
  if (own && own.figure > 0 && own.country !== 'ZZ') known.add(own.country)
  return { min: known.size, max: known.size + t.hidden.size - (own?.opened ?? 0) }
}
