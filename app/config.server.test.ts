import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, isLoopbackOrigin, loadConfig } from './config.server'

const secrets = {
  ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  HMAC_KEY: randomBytes(32).toString('base64'),
  SESSION_SECRET: randomBytes(32).toString('base64'),
  ED25519_PRIVATE_KEY: randomBytes(32).toString('base64'),
}
const quiet = () => {}

describe('configuration', () => {
  it('defaults to port 3000, data/app.db and a loopback APP_URL with the dev mailbox', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cfg-'))
    const config = loadConfig({ DATABASE_URL: path.join(dir, 'app.db') }, quiet)
    expect(config.port).toBe(3000)
    expect(config.appUrl).toBe('http://localhost:3000')
    expect(config.isLoopback).toBe(true)
    expect(config.email.mode).toBe('dev-mailbox')
    expect(loadConfig({}, quiet).databasePath).toBe('data/app.db')
  })

  it('generates missing secrets once on loopback, into a private file, and says so', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cfg-'))
    const said: string[] = []
    const first = loadConfig({ DATABASE_URL: path.join(dir, 'app.db') }, (l) => said.push(l))
    const file = path.join(dir, 'secrets.json')
    expect(existsSync(file)).toBe(true)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(said.join()).toMatch(/Generated development secrets/)
    const second = loadConfig({ DATABASE_URL: path.join(dir, 'app.db') }, (l) => said.push(l))
    expect(second.secrets.ENCRYPTION_KEY.equals(first.secrets.ENCRYPTION_KEY)).toBe(true)
    expect(said).toHaveLength(1)
    expect(JSON.parse(readFileSync(file, 'utf8')).HMAC_KEY).toBe(first.secrets.HMAC_KEY.toString('base64'))
  })

  it('refuses a public APP_URL without secrets, naming them', () => {
    expect(() => loadConfig({ APP_URL: 'https://petition.example.org', RESEND_API_KEY: 're_x' }, quiet)).toThrow(
      /Missing secrets.*ENCRYPTION_KEY, HMAC_KEY, SESSION_SECRET/,
    )
  })

  it('refuses a public APP_URL without a Resend key: there is no dev mailbox there', () => {
    expect(() => loadConfig({ APP_URL: 'https://petition.example.org', ...secrets }, quiet)).toThrow(/RESEND_API_KEY is required/)
  })

  it('accepts a public APP_URL with everything given', () => {
    const config = loadConfig({ APP_URL: 'https://petition.example.org/', RESEND_API_KEY: 're_x', ...secrets }, quiet)
    expect(config.appUrl).toBe('https://petition.example.org')
    expect(config.email.mode).toBe('resend')
    expect(config.isLoopback).toBe(false)
  })

  it('explains each invalid value', () => {
    try {
      loadConfig({ PORT: 'eighty', APP_URL: 'not a url', HMAC_KEY: 'short' }, quiet)
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError)
      const message = (e as Error).message
      expect(message).toMatch(/PORT/)
      expect(message).toMatch(/APP_URL/)
      expect(message).toMatch(/HMAC_KEY: must be at least 32 bytes/)
    }
  })

  it('reads earlier encryption keys for a rotation, and explains a bad one without showing it', () => {
    const previous = [randomBytes(32).toString('base64'), randomBytes(32).toString('base64')]
    const config = loadConfig({ ...secrets, ENCRYPTION_KEY_PREVIOUS: previous.join(', ') }, quiet)
    expect(config.previousEncryptionKeys.map((k) => k.toString('base64'))).toEqual(previous)
    expect(loadConfig(secrets, quiet).previousEncryptionKeys).toEqual([])
    expect(() => loadConfig({ ...secrets, ENCRYPTION_KEY_PREVIOUS: `${previous[0]},tooShort` }, quiet)).toThrow(
      /ENCRYPTION_KEY_PREVIOUS: must be keys of at least 32 bytes, base64-encoded, comma-separated$/m,
    )
    try {
      loadConfig({ ...secrets, ENCRYPTION_KEY_PREVIOUS: `${previous[0]},tooShort` }, quiet)
    } catch (e) {
      expect((e as Error).message).not.toContain(previous[0])
    }
  })

  it('knows loopback origins', () => {
    for (const url of ['http://localhost:3000', 'http://127.0.0.1', 'http://[::1]:8080', 'http://app.localhost']) expect(isLoopbackOrigin(url)).toBe(true)
    for (const url of ['https://example.org', 'http://10.0.0.1', 'http://localhost.evil.org']) expect(isLoopbackOrigin(url)).toBe(false)
  })
})
