import { createCipheriv, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createVault, hashToken, newToken, SEALED_PREFIX, UnknownKeyError } from './vault.server'

const vault = createVault({ encryptionKey: randomBytes(32), hmacKey: randomBytes(32) })

describe('vault', () => {
  it('round-trips text in any script, with a fresh IV each time', () => {
    const name = 'مریم احمدی – 王小明 – Zoë'
    const a = vault.encrypt(name)
    const b = vault.encrypt(name)
    expect(a).not.toBe(b)
    expect(a).not.toContain('مریم')
    expect(vault.decrypt(a)).toBe(name)
  })
  it('refuses ciphertext that was tampered with', () => {
    const sealed = vault.encrypt('secret@example.org')
    const parts = sealed.split('.')
    const data = Buffer.from(parts[3], 'base64url')
    data[0] ^= 1
    parts[3] = data.toString('base64url')
    expect(() => vault.decrypt(parts.join('.'))).toThrow()
  })
  it('refuses ciphertext sealed with another key', () => {
    const other = createVault({ encryptionKey: randomBytes(32), hmacKey: randomBytes(32) })
    expect(() => other.decrypt(vault.encrypt('x'))).toThrow()
  })
  it('hashes emails and IPs with the key, separately', () => {
    expect(vault.emailHash('a@example.org')).toBe(vault.emailHash('a@example.org'))
    expect(vault.emailHash('a@example.org')).not.toBe(vault.emailHash('b@example.org'))
    expect(vault.ipHash('127.0.0.1')).not.toBe(vault.emailHash('127.0.0.1').slice(0, 22))
    const other = createVault({ encryptionKey: randomBytes(32), hmacKey: randomBytes(32) })
    expect(other.emailHash('a@example.org')).not.toBe(vault.emailHash('a@example.org'))
  })
  it('makes tokens of 256 random bits and stores only their hash', () => {
    const token = newToken()
    expect(Buffer.from(token, 'base64url')).toHaveLength(32)
    expect(newToken()).not.toBe(token)
    expect(hashToken(token)).not.toContain(token)
    expect(hashToken(token)).toBe(hashToken(token))
  })
})

/** What the vault sealed before keys had ids (format v1), made here as the old code made it. */
function sealedV1(key: Buffer, plain: string) {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${data.toString('base64url')}`
}
function sealedBytesV1(key: Buffer, plain: Buffer) {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(SEALED_PREFIX)
  const data = Buffer.concat([cipher.update(plain), cipher.final()])
  return Buffer.concat([SEALED_PREFIX, iv, cipher.getAuthTag(), data])
}

describe('vault keys and their rotation (ADR 135)', () => {
  const oldKey = randomBytes(32)
  const newKey = randomBytes(32)
  const hmacKey = randomBytes(32)
  const before = createVault({ encryptionKey: oldKey, hmacKey })
  const rotating = createVault({ encryptionKey: newKey, hmacKey, previousEncryptionKeys: [oldKey] })
  const after = createVault({ encryptionKey: newKey, hmacKey })

  it('names the sealing key by an id that says nothing of it, and seals only with the current key', () => {
    expect(before.encryptionKeyId).toMatch(/^[A-Za-z0-9_-]{8}$/)
    expect(rotating.encryptionKeyId).toBe(after.encryptionKeyId)
    expect(rotating.previousKeyIds).toEqual([before.encryptionKeyId])
    const sealed = rotating.encrypt('مریم')
    expect(sealed.startsWith(`v2.${after.encryptionKeyId}.`)).toBe(true)
    expect(after.decrypt(sealed)).toBe('مریم')
    expect(rotating.sealedWithCurrent(sealed)).toBe(true)
    expect(rotating.sealedWithCurrent(before.encrypt('x'))).toBe(false)
  })
  it('opens what an earlier key sealed while it is configured, and says which key is missing once it is not', () => {
    const old = before.encrypt('old@example.org')
    expect(rotating.decrypt(old)).toBe('old@example.org')
    expect(rotating.openingKeyId(old)).toBe(before.encryptionKeyId)
    expect(() => after.decrypt(old)).toThrow(UnknownKeyError)
    expect(() => after.decrypt(old)).toThrow(before.encryptionKeyId)
    expect(after.openingKeyId(old)).toBeNull()
  })
  it('opens values from before key ids with whichever configured key authenticates them', () => {
    const legacy = sealedV1(oldKey, 'Zoë')
    expect(before.decrypt(legacy)).toBe('Zoë')
    expect(rotating.decrypt(legacy)).toBe('Zoë')
    expect(rotating.openingKeyId(legacy)).toBe(before.encryptionKeyId)
    expect(rotating.sealedWithCurrent(legacy)).toBe(false)
    expect(() => after.decrypt(legacy)).toThrow()
  })
  it('seals documents with the key id in the authenticated header, and opens older ones', () => {
    const pdf = Buffer.from('%PDF-1.7 a letter')
    const sealed = before.sealBytes(pdf)
    expect(rotating.openBytes(sealed).equals(pdf)).toBe(true)
    expect(() => after.openBytes(sealed)).toThrow(UnknownKeyError)
    expect(rotating.sealedWithCurrent(sealed)).toBe(false)
    expect(rotating.sealedWithCurrent(rotating.sealBytes(pdf))).toBe(true)
    // A changed key id does not open it.
    const relabelled = Buffer.from(rotating.sealBytes(pdf))
    relabelled[4] ^= 1
    expect(() => rotating.openBytes(relabelled)).toThrow()
    const legacy = sealedBytesV1(oldKey, pdf)
    expect(rotating.openBytes(legacy).equals(pdf)).toBe(true)
    expect(() => after.openBytes(legacy)).toThrow()
  })
})
