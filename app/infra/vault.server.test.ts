import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createVault, hashToken, newToken } from './vault.server'

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
