import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { afterEach, expect, it } from 'vitest'
import { freshDatabaseUrl, queryDatabase, type FreshDatabase } from '../support/database'
import { startTestServer, testSecrets, type TestServer } from '../support/server'
import { signAndConfirm } from '../support/signing'
import { signedInAs } from '../support/organisers'
import { encryptionKeyId } from '../../app/infra/vault.server'
import { seedSignatures, SLUG } from '../support/signatures'

/**
 * A process started with other keys than its database was written with refuses to start (ADR 098),
 * instead of failing every pending email and letting an address that signed count twice.
 */
let database: FreshDatabase
const started: TestServer[] = []
afterEach(async () => {
  for (const s of started.splice(0)) await s.stop()
  await database?.drop()
})

const otherKey = () => randomBytes(32).toString('base64')
async function start(env: Record<string, string>) {
  const server = await startTestServer({ DATABASE_URL: database.url, ...env })
  started.push(server)
  return server
}
async function stopAll() {
  for (const s of started.splice(0)) await s.stop()
}

it('records the keys at the first start, starts again with them, and refuses either key changed, naming it', async () => {
  database = await freshDatabaseUrl()
  const secrets = testSecrets()
  const first = await start(secrets)
  await signAndConfirm(first, { email: 'keys@example.org' })
  await stopAll()
  const recorded = await queryDatabase<{ name: string; value: string }>(database.url, 'select name, value from key_checks order by name')
  expect(recorded.map((r) => r.name)).toEqual(['encryption', 'hmac'])
  // Nothing about the keys or any signer in clear: a MAC of a constant, and a sealed constant.
  expect(recorded.find((r) => r.name === 'encryption')!.value).toMatch(/^v2\.[A-Za-z0-9_-]{8}\./)

  await start(secrets)
  await stopAll()
  await expect(start({ ...secrets, ENCRYPTION_KEY: otherKey() })).rejects.toThrow(/ENCRYPTION_KEY is not the key this database was written with/)
  await expect(start({ ...secrets, HMAC_KEY: otherKey() })).rejects.toThrow(/HMAC_KEY is not the key this database was written with.*count twice/)
})

it('checks a database from before the record against a stored signature', async () => {
  database = await freshDatabaseUrl()
  const secrets = testSecrets()
  const first = await start(secrets)
  await signAndConfirm(first, { email: 'older@example.org' })
  await first.db.deleteFrom('key_checks').execute()
  await stopAll()

  await expect(start({ ...secrets, HMAC_KEY: otherKey() })).rejects.toThrow(/HMAC_KEY is not the key/)
  await expect(start({ ...secrets, ENCRYPTION_KEY: otherKey() })).rejects.toThrow(/ENCRYPTION_KEY is not the key/)
  // Refused starts recorded nothing; the right keys record them.
  expect(await queryDatabase(database.url, 'select name from key_checks')).toEqual([])
  await start(secrets)
  expect(await queryDatabase(database.url, 'select name from key_checks')).toHaveLength(2)
})

it('rotates ENCRYPTION_KEY: with the old key as previous it starts and reads, `npm run rekey` moves everything, then the new key alone starts', async () => {
  database = await freshDatabaseUrl()
  const secrets = testSecrets()
  const first = await start(secrets)
  await seedSignatures(first, [{ email: 'before@example.org', name: 'Before Rotation', showName: true, newsOptIn: true }])
  await stopAll()

  const rotated = { ...secrets, ENCRYPTION_KEY: otherKey() }
  const withPrevious = { ...rotated, ENCRYPTION_KEY_PREVIOUS: secrets.ENCRYPTION_KEY }
  // The old key forgotten: refused, as any other key.
  await expect(start(rotated)).rejects.toThrow(/ENCRYPTION_KEY is not the key this database was written with/)
  const exported = async (server: TestServer) => {
    const { client } = await signedInAs(server, 'organiser')
    return (await client.get(`/admin/campaigns/${SLUG}/export.csv`)).text()
  }
  const during = await start(withPrevious)
  expect(await exported(during)).toContain('Before Rotation,before@example.org')
  await stopAll()
  // Once the rotation has begun, the new key alone is refused until the re-key has run, and so is the old key alone.
  await expect(start(rotated)).rejects.toThrow(/ENCRYPTION_KEY_PREVIOUS must hold the key with id .* until `npm run rekey` has finished/)
  await expect(start(secrets)).rejects.toThrow(/ENCRYPTION_KEY is not the key/)

  const cli = spawnSync(process.execPath, ['build/cli.js', 'rekey'], { env: { ...process.env, DATABASE_URL: database.url, ...withPrevious }, encoding: 'utf8' })
  expect(cli.stderr).toBe('')
  expect(cli.status).toBe(0)
  expect(cli.stdout).toContain('signatures.email_enc: 1 sealed again')
  expect(cli.stdout).toContain('remove ENCRYPTION_KEY_PREVIOUS')
  // The old key appears nowhere in what is stored: every sealed value names the new key.
  const names = await queryDatabase<{ name_enc: string }>(database.url, 'select name_enc from signatures')
  const newId = encryptionKeyId(Buffer.from(rotated.ENCRYPTION_KEY, 'base64')).toString('base64url')
  expect(names.map((r) => r.name_enc.split('.').slice(0, 2).join('.'))).toEqual([`v2.${newId}`])

  const after = await start(rotated)
  expect(await exported(after)).toContain('Before Rotation,before@example.org')
  await stopAll()
  const again = spawnSync(process.execPath, ['build/cli.js', 'rekey'], { env: { ...process.env, DATABASE_URL: database.url, ...rotated }, encoding: 'utf8' })
  expect(again.stdout).toContain('Nothing to re-key')
})
