// `npx vite-node --config vitest.config.ts bench/sign-bytes.ts -- --signs N` (default 5,000): signs N times through the model code
// (signCampaign) on a temp SQLite file, marks every message sent as the worker does once the
// provider accepts it, and prints the bytes per signature in each table and index from SQLite's dbstat (bytes in use: page size less unused space, so
// space freed inside a page by trimming a row counts as freed, as it is for the next insert).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { randomBytes } from 'node:crypto'
import { openSqliteDatabase, migrateToLatest } from '../db'
import { seedFirstCampaign, FIRST_CAMPAIGN_SLUG } from '../db/seed'
import { signCampaign } from '../app/models/signature.server'
import { createVault } from '../app/infra/vault.server'

const i = process.argv.indexOf('--signs')
const SIGNS = i >= 0 ? Number(process.argv[i + 1]) : 5_000
const dir = mkdtempSync(path.join(tmpdir(), 'sign-bytes-'))
const { db, sqlite } = openSqliteDatabase(path.join(dir, 'db.sqlite'))
await migrateToLatest(db)
await seedFirstCampaign(db)
const vault = createVault({ encryptionKey: randomBytes(32), hmacKey: randomBytes(32) })
const campaign = await db.selectFrom('campaigns').select(['id', 'slug', 'status']).where('slug', '=', FIRST_CAMPAIGN_SLUG).executeTakeFirstOrThrow()
const deps = { db, vault, appUrl: 'https://petition.example', retentionDays: 30 }
const tables = ['signatures', 'tokens', 'outbox', 'signature_log_queue', 'campaign_log_queue']
const sizes = () => {
  const rows = sqlite.prepare("select name, sum(pgsize - unused) as bytes from dbstat group by name").all() as { name: string; bytes: number }[]
  return new Map(rows.map((r) => [r.name, r.bytes]))
}
const before = sizes()
for (let n = 0; n < SIGNS; n++) {
  await signCampaign(deps, {
    campaign,
    title: 'Bench',
    locale: n % 5 === 0 ? 'fa' : 'en',
    ipHash: vault.ipHash(`10.0.${n >> 8}.${n & 255}`),
    input: { name: `Bench Signer ${n}`, email: `bench.${n}@example.org`, country: 'DE', showName: n % 2 === 0, newsOptIn: n % 3 !== 0 },
  })
}
// Every message the provider accepted: what the worker leaves behind once a send succeeds.
await markSent()
const after = sizes()
let total = 0
const lines: string[] = []
for (const [name, bytes] of after) {
  const grew = bytes - (before.get(name) ?? 0)
  if (grew <= 0) continue
  total += grew
  if (tables.includes(name) || grew / SIGNS >= 8) lines.push(`  ${name.padEnd(44)} ${(grew / SIGNS).toFixed(0).padStart(6)} B`)
}
console.log(`${SIGNS} signs through signCampaign on SQLite, messages marked sent (bytes per signature, tables and indexes, from dbstat):`)
console.log(lines.sort().join('\n'))
console.log(`  ${'total'.padEnd(44)} ${(total / SIGNS).toFixed(0).padStart(6)} B`)
await db.destroy()
rmSync(dir, { recursive: true, force: true })

async function markSent() {
  // As the worker's success step does (app/email-worker.server.ts): the payload cleared, the provider's id kept.
  await sql`update outbox set status = 'sent', payload_enc = null, sent_at = created_at, attempts = 1, provider_id = 're_' || substr(id, 1, 36)`.execute(db)
}
