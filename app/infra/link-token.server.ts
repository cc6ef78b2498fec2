import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * Withdraw, unsubscribe and inclusion links as a keyed MAC instead of a stored row (ADR 120):
 * `m<version>.<data>.<mac>`, base64url, where data is the signature's id, the news update whose email
 * carried the link (unsubscribe) and an expiry (inclusion), and the MAC covers the key version, the
 * purpose and the data. A stored-token link is 43 base64url characters with no `.`, so the prefix
 * tells the two apart. The purpose is not written in the link: the route supplies it, so a link
 * for one purpose fails the MAC on every other route.
 */
export type LinkPurpose = 'withdraw' | 'unsubscribe' | 'inclusion'

export interface LinkKeyring {
  /** The version new links are made with. */
  current: number
  /** Every version that still verifies; a version dropped from here stops its links working. */
  keys: ReadonlyMap<number, Buffer>
}

/** MAC bytes kept: 128 bits, the usual floor for a truncated HMAC-SHA-256. */
const MAC_BYTES = 16
const SHAPE = /^m([1-9][0-9]{0,2})\.([A-Za-z0-9_-]{1,160})\.([A-Za-z0-9_-]{22})$/

/** Version 1's key, derived from HMAC_KEY under its own label, so it MACs nothing else's data. */
export function linkKeyring(hmacKey: Buffer): LinkKeyring {
  const v1 = createHmac('sha256', hmacKey).update('link-token\0v1').digest()
  return { current: 1, keys: new Map([[1, v1]]) }
}

export const isLinkMac = (token: string) => token.startsWith('m') && token.includes('.')

const macOf = (key: Buffer, version: number, purpose: LinkPurpose, data: Buffer) =>
  createHmac('sha256', key).update(`v${version}\0${purpose}\0`).update(data).digest().subarray(0, MAC_BYTES)

export interface LinkClaims {
  signatureId: string
  newsUpdateId: string | null
  /** ms since the epoch; null: the link lasts as long as the signature. */
  expiresAt: number | null
}

export function makeLinkToken(ring: LinkKeyring, purpose: LinkPurpose, claims: LinkClaims): string {
  const data = Buffer.from([claims.signatureId, claims.newsUpdateId ?? '', claims.expiresAt === null ? '' : claims.expiresAt.toString(36)].join('\n'), 'utf8')
  const key = ring.keys.get(ring.current)
  if (!key) throw new Error('The current link key version is not in the keyring')
  return `m${ring.current}.${data.toString('base64url')}.${macOf(key, ring.current, purpose, data).toString('base64url')}`
}

/** The claims of a link made for `purpose` under a listed key, unexpired; null for anything else, whatever the reason. */
export function readLinkToken(ring: LinkKeyring, token: string, purpose: LinkPurpose, now: number): LinkClaims | null {
  const m = SHAPE.exec(token)
  if (!m) return null
  const version = Number(m[1])
  const key = ring.keys.get(version)
  if (!key) return null
  const data = Buffer.from(m[2], 'base64url')
  const given = Buffer.from(m[3], 'base64url')
  // Base64url decoding ignores stray trailing bits: the link must be the one canonical spelling.
  if (data.toString('base64url') !== m[2] || given.toString('base64url') !== m[3]) return null
  if (!timingSafeEqual(given, macOf(key, version, purpose, data))) return null
  const [signatureId, newsUpdateId, expiry, ...rest] = data.toString('utf8').split('\n')
  if (rest.length || !signatureId || newsUpdateId === undefined || expiry === undefined) return null
  const expiresAt = expiry === '' ? null : parseInt(expiry, 36)
  if (expiresAt !== null && !(expiresAt > now)) return null
  return { signatureId, newsUpdateId: newsUpdateId || null, expiresAt }
}
