import Sqlite from 'better-sqlite3'
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs'
import { Agent } from 'node:http'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { checkKeys } from '../../app/models/key-check.server'
import { migrateToLatest, openDatabase } from '../../db'
import { seedFirstCampaign } from '../../db/seed'
import { ChildServer } from '../support/child-server'
import { testEngine } from '../support/database'
import { FORM, NO_RATE_LIMITS, send, signForm } from '../support/load'
import { insertSignatures, markLogBackfillDone, recount } from '../support/rows'

const SLUG = 'justice-for-1988'
const ROWS = 1_000_000
const DAY = 86_400_000
const LOAD_ENV = NO_RATE_LIMITS

const servers: ChildServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.cleanup()))
})

/** A server's database file made before its first start: migrated, the first campaign, `rows` verified signatures. */
async function seededServer(rows: number): Promise<ChildServer> {
  const s = new ChildServer(LOAD_ENV)
  servers.push(s)
  const { db } = openDatabase(s.onOwnFile())
  await migrateToLatest(db)
  // Recorded before the rows: they share a pool of sealed addresses, which the start's check from a sample would refuse.
  await checkKeys(db, s.vault)
  await seedFirstCampaign(db)
  const campaign = await db.selectFrom('campaigns').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()
  await db.destroy()
  const sqlite = new Sqlite(s.dbFile)
  // A file made for the drill and nothing else: loaded the fast way, then synced by the checkpoint.
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = OFF')
  sqlite.pragma('cache_size = -200000')
  const now = Date.now()
  // In chunks with a turn between them, so the test worker still answers its runner while a million rows go in.
  const CHUNK = 100_000
  for (let from = 0; from < rows; from += CHUNK) {
    const at = (i: number) => now - 28 * DAY + Math.floor(((from + i) * 28 * DAY) / rows)
    insertSignatures(sqlite, s.vault, { campaignId: campaign.id, count: Math.min(CHUNK, rows - from), status: 'verified', prefix: `drill${from / CHUNK}-`, addresses: 20_000, signedAt: at })
    await new Promise((r) => setImmediate(r))
  }
  recount(sqlite, campaign.id)
  markLogBackfillDone(sqlite, now)
  sqlite.pragma('wal_checkpoint(TRUNCATE)')
  sqlite.close()
  return s
}

// The drill of docs/operations.md ("Restore") at the size the issue names; PostgreSQL is backed up with pg_dump.
describe.skipIf(testEngine === 'postgres')('restore drill at 1,000,000 signatures', () => {
  it('backs up while signatures come in, prunes copies past their age, and the copy restores with every signature and no drift', async () => {
    const s = await seededServer(ROWS)
    await s.start()
    const backups = path.join(s.dir, 'backups')
    mkdirSync(backups, { recursive: true })
    // An hourly job's copies: one three weeks old (pruned), one a day old (kept), one not of this command's naming (never touched).
    const old = path.join(backups, 'app-2026-11-01T00-00-00-000Z.db')
    const recent = path.join(backups, 'app-2026-11-30T00-00-00-000Z.db')
    const foreign = path.join(backups, 'keep-me.db')
    for (const [file, age] of [[old, 21], [recent, 1], [foreign, 40]] as const) {
      writeFileSync(file, 'a copy')
      const at = new Date(Date.now() - age * DAY)
      utimesSync(file, at, at)
    }

    // Signing goes on, four at a time, for as long as the backup runs.
    let done = false
    const backup = s.cli('backup').finally(() => (done = true))
    const agent = new Agent({ keepAlive: true, maxSockets: 4 })
    let signed = 0
    let next = 0
    const statuses: number[] = []
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (!done) {
          const reply = await send(agent, `${s.url}/campaigns/${SLUG}?lang=en`, { method: 'POST', body: signForm(next++, 'during'), headers: FORM })
          if (reply.status === 303) signed++
          else statuses.push(reply.status)
        }
      }),
    )
    const result = await backup
    expect(result.output).toContain('integrity check ok')
    expect(result.code).toBe(0)
    expect(statuses).toEqual([])
    // Writes did come in while the copy was made, and none of them made it start again.
    expect(signed).toBeGreaterThan(20)

    const made = readdirSync(backups).filter((f) => /^app-.*\.db$/.test(f) && ![path.basename(old), path.basename(recent)].includes(f))
    expect(made).toHaveLength(1)
    expect(readdirSync(backups).some((f) => f.endsWith('.partial'))).toBe(false)
    expect(existsSync(old)).toBe(false)
    expect(result.output).toContain(`Deleted ${old}, older than 14 days.`)
    expect(existsSync(recent)).toBe(true)
    expect(existsSync(foreign)).toBe(true)
    const copy = path.join(backups, made[0])
    const copied = Number(/: (\d+) signatures; integrity check ok/.exec(result.output)![1])
    expect(copied).toBeGreaterThanOrEqual(ROWS)
    expect(copied).toBeLessThanOrEqual(ROWS + signed)

    // Restore, as docs/operations.md says: the copy becomes the database of a server with the same keys.
    const restored = new ChildServer(LOAD_ENV, s.secrets)
    servers.push(restored)
    restored.onOwnFile(copy)
    await restored.start()
    const check = await restored.cli('reconcile', '--check')
    expect(check.output).toContain('Counts match the signatures: no drift.')
    // The seeded rows have no leaves in the transparency log (markLogBackfillDone), so the check reports the
    // log's difference and exits 1: the copy must report the very one the original does, no more.
    const logLines = (output: string) => output.split('\n').filter((l) => l.startsWith('log drift:')).sort()
    const original = await s.cli('reconcile', '--check')
    expect(original.output).toContain('Counts match the signatures: no drift.')
    expect(logLines(original.output).length).toBeGreaterThan(0)
    expect(logLines(check.output)).toEqual(logLines(original.output))
    expect((await restored.query<{ n: number }>('select count(*) as n from signatures'))[0].n).toBe(copied)
    const counts = await send(agent, `${restored.url}/campaigns/${SLUG}.json`)
    agent.destroy()
    expect(counts.status).toBe(200)
    expect(JSON.parse(counts.body).signature_count).toBe(ROWS)
    // The copy opens with the same keys: a name and an address sealed by the first server read in the second.
    const row = (await restored.query<{ name_enc: string; email_enc: string }>("select name_enc, email_enc from signatures where status = 'verified' limit 1"))[0]
    expect(restored.vault.decrypt(row.name_enc)).toMatch(/^\p{L}+ \p{L}+$/u)
    expect(restored.vault.decrypt(row.email_enc)).toMatch(/^drill\d+-\d+@example\.org$/)
  }, 300_000)
})
