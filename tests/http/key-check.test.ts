import { randomBytes } from 'node:crypto'
import { afterEach, expect, it } from 'vitest'
import { freshDatabaseUrl, queryDatabase, type FreshDatabase } from '../support/database'
import { startTestServer, testSecrets, type TestServer } from '../support/server'
import { signAndConfirm } from '../support/signing'

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
  expect(recorded.find((r) => r.name === 'encryption')!.value).toMatch(/^v1\./)

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
