import { describe, expect, it } from 'vitest'
import { linkKeyring, makeLinkToken, readLinkToken, type LinkClaims } from './link-token.server'

const ring = linkKeyring(Buffer.alloc(32, 9))
const NOW = 1_800_000_000_000
const claims: LinkClaims = { signatureId: '0190a5b2-7c1d-7e3f-8a9b-0c1d2e3f4a5b', newsUpdateId: null, expiresAt: NOW + 1000 }

describe('link MACs (ADR 120)', () => {
  it('reads back what it made, for its own purpose only', () => {
    const token = makeLinkToken(ring, 'inclusion', claims)
    expect(token).toMatch(/^m1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/)
    expect(readLinkToken(ring, token, 'inclusion', NOW)).toEqual(claims)
    expect(readLinkToken(ring, token, 'withdraw', NOW)).toBeNull()
    expect(readLinkToken(ring, token, 'unsubscribe', NOW)).toBeNull()
  })

  it('refuses an inclusion link at and after its expiry, and keeps a link without one for good', () => {
    const token = makeLinkToken(ring, 'inclusion', claims)
    expect(readLinkToken(ring, token, 'inclusion', NOW + 999)).not.toBeNull()
    expect(readLinkToken(ring, token, 'inclusion', NOW + 1000)).toBeNull()
    expect(readLinkToken(ring, token, 'inclusion', NOW + 10_000)).toBeNull()
    const forever = makeLinkToken(ring, 'withdraw', { ...claims, expiresAt: null })
    expect(readLinkToken(ring, forever, 'withdraw', NOW + 100 * 365 * 86_400_000)).toMatchObject({ expiresAt: null })
  })

  it('carries the news update of an unsubscribe link', () => {
    const token = makeLinkToken(ring, 'unsubscribe', { ...claims, newsUpdateId: 'update-1', expiresAt: null })
    expect(readLinkToken(ring, token, 'unsubscribe', NOW)).toEqual({ ...claims, newsUpdateId: 'update-1', expiresAt: null })
  })

  it('refuses another key, a key version not listed, and any other spelling of the same bytes', () => {
    const token = makeLinkToken(ring, 'withdraw', claims)
    expect(readLinkToken(linkKeyring(Buffer.alloc(32, 8)), token, 'withdraw', NOW)).toBeNull()
    expect(readLinkToken(ring, token.replace(/^m1\./, 'm2.'), 'withdraw', NOW)).toBeNull()
    const [v, data, mac] = token.split('.')
    // The last base64url character of 22 carries 2 spare bits: a different letter decoding to the same bytes.
    const last = mac.at(-1)!
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const twin = alphabet[alphabet.indexOf(last) ^ 1]
    expect(readLinkToken(ring, `${v}.${data}.${mac.slice(0, -1)}${twin}`, 'withdraw', NOW)).toBeNull()
    expect(readLinkToken(ring, `${v}.${data}.${mac}`, 'withdraw', NOW)).not.toBeNull()
  })
})
