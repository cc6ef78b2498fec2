import { createCipheriv, createDecipheriv, createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto'
import { signerSecret } from '~/transparency/leaf'
import { linkKeyring, type LinkKeyring } from './link-token.server'
import { secureRandomBytes } from './random.server'

/**
 * Personal data at rest: AES-256-GCM for what must be read back (names, emails), keyed HMAC-SHA-256
 * for what only has to be matched (canonical emails, client IPs). Ciphertext is
 * `v2.<key id>.<iv>.<tag>.<data>` in base64url; `v1.<iv>.<tag>.<data>`, from before keys could be
 * rotated, names no key and is opened by whichever configured key authenticates it (ADR 135).
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
  /** AES-256-GCM for documents (letter PDFs): `SEALED_PREFIX_V2` and the key id (`SEALED_PREFIX` before key ids), then iv, tag and ciphertext, as bytes. */
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
  /** The id of the key new values are sealed with (ENCRYPTION_KEY): 8 base64url characters that say nothing of the key. */
  encryptionKeyId: string
  /** Ids of the earlier keys this process can still open (ENCRYPTION_KEY_PREVIOUS), for a rotation (ADR 135). */
  previousKeyIds: string[]
  /** Whether a stored value is sealed with the current key, so a re-key can pass it by. */
  sealedWithCurrent(sealed: string | Uint8Array): boolean
  /** The id of the configured key that opens a sealed text, or null when none does. */
  openingKeyId(sealed: string): string | null
}

/** The first bytes of a document sealed before key ids; a PDF in clear starts with `%PDF` instead. */
export const SEALED_PREFIX = Buffer.from('PV1\0', 'latin1')
/** The same for a document sealed since keys can be rotated: six bytes of key id follow it. */
export const SEALED_PREFIX_V2 = Buffer.from('PV2\0', 'latin1')
const KEY_ID_BYTES = 6
const startsWith = (bytes: Uint8Array, prefix: Buffer) => bytes.length >= prefix.length && prefix.equals(Buffer.from(bytes.subarray(0, prefix.length)))
export const isSealed = (bytes: Uint8Array) =>
  (startsWith(bytes, SEALED_PREFIX) && bytes.length >= SEALED_PREFIX.length + 28) ||
  (startsWith(bytes, SEALED_PREFIX_V2) && bytes.length >= SEALED_PREFIX_V2.length + KEY_ID_BYTES + 28)

/** A key's id: a hash of it under its own label, so the id can be stored beside what it sealed. */
export function encryptionKeyId(key: Buffer): Buffer {
  return createHash('sha256').update('petition-encryption-key-id\0').update(key.subarray(0, 32)).digest().subarray(0, KEY_ID_BYTES)
}

/** A stored value sealed with a key this process was not given. */
export class UnknownKeyError extends Error {
  constructor(readonly keyId: string) {
    super(`Sealed with encryption key ${keyId}, which this process does not have (ENCRYPTION_KEY, ENCRYPTION_KEY_PREVIOUS)`)
    this.name = 'UnknownKeyError'
  }
}

export function createVault(keys: { encryptionKey: Buffer; hmacKey: Buffer; previousEncryptionKeys?: Buffer[] }): Vault {
  // Key objects, made once: each cipher or HMAC made from one skips importing the raw key again.
  const ring = [keys.encryptionKey, ...(keys.previousEncryptionKeys ?? [])].map((raw) => {
    const id = encryptionKeyId(raw)
    return { id, name: id.toString('base64url'), key: createSecretKey(raw.subarray(0, 32)) }
  })
  const current = ring[0]
  const currentHead = Buffer.concat([SEALED_PREFIX_V2, current.id])
  const byName = new Map(ring.map((k) => [k.name, k]))
  const macKey = createSecretKey(keys.hmacKey)
  const mac = (domain: string, value: string) =>
    createHmac('sha256', macKey).update(domain).update('\0').update(value).digest('base64url')
  const open = (key: KeyObject, iv: Buffer, tag: Buffer, data: Buffer, aad?: Buffer) => {
    const decipher = createDecipheriv('aes-256-gcm', key, iv)
    if (aad) decipher.setAAD(aad)
    decipher.setAuthTag(tag)
    return Buffer.concat([decipher.update(data), decipher.final()])
  }
  // A value from before key ids names no key: the first configured key whose tag authenticates it opens it.
  const openWithAny = (iv: Buffer, tag: Buffer, data: Buffer, aad?: Buffer) => {
    let failure: unknown
    for (const k of ring) {
      try {
        return { plain: open(k.key, iv, tag, data, aad), by: k.name }
      } catch (error) {
        failure = error
      }
    }
    throw failure
  }
  const keyNamed = (name: string) => {
    const k = byName.get(name)
    if (!k) throw new UnknownKeyError(name)
    return k
  }
  const b64 = (s: string) => Buffer.from(s, 'base64url')
  const openText = (sealed: string) => {
    const parts = sealed.split('.')
    if (parts[0] === 'v2' && parts.length === 5 && parts[2] && parts[3]) {
      const k = keyNamed(parts[1])
      return { plain: open(k.key, b64(parts[2]), b64(parts[3]), b64(parts[4])), by: k.name }
    }
    if (parts[0] === 'v1' && parts.length === 4 && parts[1] && parts[2]) return openWithAny(b64(parts[1]), b64(parts[2]), b64(parts[3]))
    throw new Error('Unknown ciphertext format')
  }
  return {
    encrypt(plain) {
      const iv = secureRandomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', current.key, iv)
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return `v2.${current.name}.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${data.toString('base64url')}`
    },
    decrypt: (sealed) => openText(sealed).plain.toString('utf8'),
    sealBytes(plain) {
      const iv = secureRandomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', current.key, iv)
      cipher.setAAD(currentHead)
      const data = Buffer.concat([cipher.update(plain), cipher.final()])
      return Buffer.concat([currentHead, iv, cipher.getAuthTag(), data])
    },
    openBytes(sealed) {
      if (!isSealed(sealed)) throw new Error('Unknown sealed document format')
      const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength)
      if (startsWith(bytes, SEALED_PREFIX)) {
        const at = SEALED_PREFIX.length
        return openWithAny(bytes.subarray(at, at + 12), bytes.subarray(at + 12, at + 28), bytes.subarray(at + 28), SEALED_PREFIX).plain
      }
      // The key id is part of the authenticated header: changed, the document does not open.
      const at = SEALED_PREFIX_V2.length + KEY_ID_BYTES
      const k = keyNamed(bytes.subarray(SEALED_PREFIX_V2.length, at).toString('base64url'))
      return open(k.key, bytes.subarray(at, at + 12), bytes.subarray(at + 12, at + 28), bytes.subarray(at + 28), bytes.subarray(0, at))
    },
    emailHash: (canonicalEmail) => mac('email', canonicalEmail),
    ipHash: (ip) => mac('ip', ip).slice(0, 22),
    domainHash: (domain) => mac('email-domain', domain.trim().toLowerCase()).slice(0, 22),
    labelHash: (label) => mac('attribution', label).slice(0, 22),
    hmacKeyCheck: () => mac('key-check', 'v1'),
    logSecret: (signatureId) => signerSecret(macKey, signatureId).toString('hex'),
    subkey: (purpose) => createHmac('sha256', macKey).update('subkey').update('\0').update(purpose).digest(),
    linkKeys: linkKeyring(keys.hmacKey),
    encryptionKeyId: current.name,
    previousKeyIds: ring.slice(1).map((k) => k.name),
    sealedWithCurrent(sealed) {
      if (typeof sealed === 'string') return sealed.startsWith(`v2.${current.name}.`)
      return startsWith(Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength), currentHead)
    },
    openingKeyId(sealed) {
      try {
        return openText(sealed).by
      } catch {
        return null
      }
    },
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

/** The vault of a configuration: its current key seals, the earlier ones only open (ADR 135). */
export function vaultFor(config: { secrets: { ENCRYPTION_KEY: Buffer; HMAC_KEY: Buffer }; previousEncryptionKeys?: Buffer[] }): Vault {
  return createVault({ encryptionKey: config.secrets.ENCRYPTION_KEY, hmacKey: config.secrets.HMAC_KEY, previousEncryptionKeys: config.previousEncryptionKeys })
}
