import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { seedSignature } from '../support/campaigns'
import { freshDatabaseUrl, queryDatabase, testEngine, type FreshDatabase } from '../support/database'
import { startTestServer, testSecrets, type TestServer } from '../support/server'
import { counts, SLUG } from '../support/signing'

const run = promisify(execFile)

/** `npm run migrate-to-postgres`: a SQLite deployment moved onto PostgreSQL, checked on arrival. */
describe.skipIf(testEngine !== 'postgres')('moving a SQLite deployment to PostgreSQL', () => {
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  it('copies every table, checks row counts and a reconcile, and the copy serves the same campaign with the same keys', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'move-'))
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }))
    const file = path.join(dir, 'app.db')
    const secrets = testSecrets()
    const before: TestServer = await startTestServer({ ...secrets, DATABASE_URL: file })
    for (const [i, country] of ['IR', 'IR', 'FR', 'CA'].entries()) await seedSignature(before, SLUG, { email: `move-${i}@example.org`, country, name: `Mover ${i}` })
    await seedSignature(before, SLUG, { email: 'pending@example.org', country: 'DE', confirm: false })
    const expected = await counts(before)
    await before.stop()

    const target: FreshDatabase = await freshDatabaseUrl()
    cleanup.push(() => target.drop())
    const env = { ...process.env, ...secrets, DATABASE_URL: file, LOG_LEVEL: 'silent' }
    const moved = await run(process.execPath, ['build/cli.js', 'migrate-to-postgres', '--from', file, '--to', target.url], { env })
    expect(moved.stdout).toContain('signatures: 5 rows')
    expect(moved.stdout).toContain('no drift')

    const after = await startTestServer({ ...secrets, DATABASE_URL: target.url })
    cleanup.push(() => after.stop())
    expect(await counts(after)).toEqual(expected)
    const [row] = await queryDatabase<{ name_enc: string }>(target.url, "select name_enc from signatures where country_code = 'FR'")
    expect(after.vault.decrypt(row.name_enc)).toBe('Mover 2')

    // A second copy into a database that holds data is refused, and changes nothing.
    const again = await run(process.execPath, ['build/cli.js', 'migrate-to-postgres', '--from', file, '--to', target.url], { env }).catch((e) => e)
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('already holds rows')
    expect((await counts(after)).signature_count).toBe(expected.signature_count)
  })
})
