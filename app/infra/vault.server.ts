import { createCipheriv, createDecipheriv, createHash, createHmac, createSecretKey } from 'node:crypto'
import { signerSecret } from '~/transparency/leaf'
import { linkKeyring, type LinkKeyring } from './link-token.server'
import { secureRandomBytes } from './random.server'

/**
 * Personal data at rest: AES-256-GCM for what must be read back (names, emails), keyed HMAC-SHA-256
 * for what only has to be matched (canonical emails, client IPs). Ciphertext is `v1.<iv>.<tag>.<data>`
 * in base64url so a later key can be told apart by its prefix.
 */
export interface Vault {
  encrypt(plain: string): string
  decrypt(sealed: string): string
  emailHash(canonicalEmail: string): string
  ipHash(ip: string): string
  /** Keyed hash of an email's domain (lower case), so signatures can be found by domain. */
  domainHash(domain: string): string
  /** Keyed hash of an attribution label (a referring host, utm tags), so signatures can be counted by it. */
  labelHash(label: string): string
  /** AES-256-GCM for documents (letter PDFs): `SEALED_PREFIX`, then iv, tag and ciphertext, as bytes. */
  sealBytes(plain: Uint8Array): Buffer
  openBytes(sealed: Uint8Array): Buffer
  /** A signer's secret for the campaign log, hex (ADR 081): derived, so never stored. */
  logSecret(signatureId: string): string
  /** A keyed MAC of a constant: what HMAC_KEY gives, stored to catch a process started with another key (ADR 098). */
  hmacKeyCheck(): string
  /** A 256-bit key derived from HMAC_KEY for one purpose (e.g. a partner's opaque person ids, ADR 133): never stored. */
  subkey(purpose: string): Buffer
  /** Keys of the withdraw, unsubscribe and inclusion links, by version, derived from HMAC_KEY (ADR 120). */
  linkKeys: LinkKeyring
}

/** The first bytes of a sealed document; a PDF in clear starts with `%PDF` instead. */
export const SEALED_PREFIX = Buffer.from('PV1\0', 'latin1')
export const isSealed = (bytes: Uint8Array) => bytes.length >= SEALED_PREFIX.length + 28 && SEALED_PREFIX.equals(Buffer.from(bytes.subarray(0, SEALED_PREFIX.length)))

export function createVault(keys: { encryptionKey: Buffer; hmacKey: Buffer }): Vault {
  // Key objects, made once: each cipher or HMAC made from one skips importing the raw key again.
  const encKey = createSecretKey(keys.encryptionKey.subarray(0, 32))
  const macKey = createSecretKey(keys.hmacKey)
  const mac = (domain: string, value: string) =>
    createHmac('sha256', macKey).update(domain).update('\0').update(value).digest('base64url')
  return {
    encrypt(plain) {
      const iv = secureRandomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', encKey, iv)
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${data.toString('base64url')}`
    },
    decrypt(sealed) {
      const [version, iv, tag, data] = sealed.split('.')
      if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('Unknown ciphertext format')
      const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64url'))
      decipher.setAuthTag(Buffer.from(tag, 'base64url'))
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8')
    },
    sealBytes(plain) {
      const iv = secureRandomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', encKey, iv)
      cipher.setAAD(SEALED_PREFIX)
      const data = Buffer.concat([cipher.update(plain), cipher.final()])
      return Buffer.concat([SEALED_PREFIX, iv, cipher.getAuthTag(), data])
    },
    openBytes(sealed) {
      if (!isSealed(sealed)) throw new Error('Unknown sealed document format')
      const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength)
      const at = SEALED_PREFIX.length
      const decipher = createDecipheriv('aes-256-gcm', encKey, bytes.subarray(at, at + 12))
      decipher.setAAD(SEALED_PREFIX)
      decipher.setAuthTag(bytes.subarray(at + 12, at + 28))
      return Buffer.concat([decipher.update(bytes.subarray(at + 28)), decipher.final()])
    },
    emailHash: (canonicalEmail) => mac('email', canonicalEmail),
    ipHash: (ip) => mac('ip', ip).slice(0, 22),
    domainHash: (domain) => mac('email-domain', domain.trim().toLowerCase()).slice(0, 22),
    labelHash: (label) => mac('attribution', label).slice(0, 22),
    hmacKeyCheck: () => mac('key-check', 'v1'),
    logSecret: (signatureId) => signerSecret(macKey, signatureId).toString('hex'),
    subkey: (purpose) => createHmac('sha256', macKey).update('subkey').update('\0').update(purpose).digest(),
    linkKeys: linkKeyring(keys.hmacKey),
  }
}

/** A stored PDF in clear: sealed ones are opened; one stored before sealing is read as it is until sealed. */
export function openPdf(vault: Vault, stored: Uint8Array): Buffer {
  return isSealed(stored) ? vault.openBytes(stored) : Buffer.from(stored)
}

/** A fresh URL-safe token of 256 random bits. */
export function newToken(): string {
  return secureRandomBytes(32).toString('base64url')
}

/** Tokens are random and long, so a plain SHA-256 is enough to store them safely. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}
