import Sqlite from 'better-sqlite3'
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { loadConfig } from '../app/config.server'
import { migrateToLatest, openDatabase, openSqliteDatabase, restrictToOwner } from '../app/db.server'
import { ReconcileBusyError, reconcileCounts } from '../app/models/counts.server'
import { vaultFor } from '../app/infra/vault.server'
import { checkKeys } from '../app/models/key-check.server'
import { rekey } from '../app/models/rekey.server'
import { logCountDrift } from '../app/models/log-backfill.server'
import { organiserCommand } from './organiser-cli'
import { benchLetters } from './bench-letters'
import { verifyLetterCommand } from './verify-letter'
import { migrateToPostgres } from './migrate-to-postgres'
import { witnessCommand } from './witness'

const [command, ...args] = process.argv.slice(2)

async function reconcile() {
  const config = loadConfig(process.env, () => {})
  const { db } = openDatabase(config.databasePath)
  await migrateToLatest(db)
  const repair = !args.includes('--check')
  const drift = await reconcileCounts(db, { repair }).catch(async (error) => {
    if (!(error instanceof ReconcileBusyError)) throw error
    console.error(error.message)
    await db.destroy()
    process.exit(1)
  })
  if (drift.length === 0) console.log('Counts match the signatures: no drift.')
  for (const d of drift) {
    console.log(`${repair ? 'repaired' : 'drift'}: campaign ${d.campaignId} ${d.counter ? `${d.counter} ` : ''}${d.country ?? 'total'} stored ${d.stored}, recount ${d.actual}`)
  }
  // The public log must count what the database counts (ADR 093); it is never repaired from here.
  // While entries wait for the sequencer (a server stopped before it ran), a difference is a delay.
  const log = await logCountDrift(db)
  if (log.pending) console.log(`${log.pending} log entries still wait for the sequencer: the logs are compared once the server has sequenced them.`)
  else if (log.drift.length === 0) console.log('The transparency logs count what the database counts.')
  else for (const d of log.drift) console.log(`log drift: campaign ${d.campaignId} ${d.country} database ${d.database}, log ${d.log}`)
  await db.destroy()
  if ((!repair && drift.length > 0) || (!log.pending && log.drift.length > 0)) process.exitCode = 1
}

/**
 * An online copy of the SQLite database, safe while the server runs and signatures come in.
 * `VACUUM INTO` writes the copy from one read transaction: writers go on in the WAL meanwhile and,
 * unlike the page-by-page backup API, a write never makes it start again, so it completes under any
 * load (ADR 066). The copy is written under a temporary name, checked (integrity, and readable as
 * a database of signatures), then renamed into place; a failed run leaves no file. Backups in the default folder older than `--keep-days` (default 14) are then deleted.
 */
async function backup() {
  const config = loadConfig(process.env, () => {})
  if (config.database.engine !== 'sqlite') {
    console.error('DATABASE_URL names PostgreSQL: back it up with pg_dump (docs/operations.md, "PostgreSQL").')
    process.exitCode = 2
    return
  }
  const keepIndex = args.indexOf('--keep-days')
  const keepDays = keepIndex >= 0 ? Number(args[keepIndex + 1]) : 14
  if (!Number.isInteger(keepDays) || keepDays < 1) throw new Error('--keep-days takes a whole number of days, at least 1.')
  const folder = path.join(path.dirname(config.database.file), 'backups')
  const given = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--keep-days')
  const target = given ?? path.join(folder, `app-${new Date().toISOString().replace(/[:.]/g, '-')}.db`)
  if (existsSync(target)) throw new Error(`${target} exists already; choose a new file.`)
  mkdirSync(path.dirname(path.resolve(target)), { recursive: true })
  const partial = `${target}.partial`
  rmSync(partial, { force: true })
  const { sqlite } = openSqliteDatabase(config.database.file)
  const started = Date.now()
  // Created owner-only before a byte of it is written (ADR 089).
  restrictToOwner(partial)
  try {
    sqlite.prepare('vacuum into ?').run(partial)
    chmodSync(partial, 0o600)
    const copy = new Sqlite(partial, { readonly: true })
    const check = copy.pragma('integrity_check', { simple: true })
    const copied = (copy.prepare('select count(*) as n from signatures').get() as { n: number }).n
    copy.close()
    if (check !== 'ok') throw new Error(`the copy failed its integrity check: ${String(check)}`)
    renameSync(partial, target)
    console.log(`Backed up ${config.databasePath} to ${target} in ${Date.now() - started} ms: ${copied} signatures; integrity check ok.`)
  } catch (error) {
    rmSync(partial, { force: true })
    throw error
  } finally {
    sqlite.close()
  }
  if (!given) pruneBackups(folder, keepDays)
}

/** Deletes this command's own backups (app-<time>.db) older than `keepDays`, never the newest. */
function pruneBackups(folder: string, keepDays: number) {
  const cutoff = Date.now() - keepDays * 24 * 3600_000
  const ours = readdirSync(folder).filter((f) => /^app-\d{4}-\d{2}-\d{2}T[\d-]+Z\.db$/.test(f)).sort()
  for (const file of ours.slice(0, -1)) {
    const full = path.join(folder, file)
    if (statSync(full).mtimeMs < cutoff) {
      rmSync(full)
      console.log(`Deleted ${full}, older than ${keepDays} days.`)
    }
  }
}

/**
 * Seals again with ENCRYPTION_KEY everything sealed with a key of ENCRYPTION_KEY_PREVIOUS (ADR 135),
 * beside a running server. Run it after every process has been restarted with the new key.
 */
async function rekeyCommand() {
  const config = loadConfig(process.env, () => {})
  const { db, sqlite } = openDatabase(config.databasePath)
  await migrateToLatest(db)
  const vault = vaultFor(config)
  try {
    const state = await checkKeys(db, vault)
    if (state !== 'rotating') {
      console.log(`Nothing to re-key: no rotation is under way (every process uses key ${vault.encryptionKeyId}).`)
      return
    }
    // Old ciphertext overwritten in place, not left in the file's free pages (SQLite).
    sqlite?.pragma('secure_delete = on')
    const result = await rekey(db, vault, { onProgress: (line) => console.log(line) })
    if (sqlite) {
      // Not waited for: a TRUNCATE checkpoint that waits on a reader (Litestream holds one) holds every writer back meanwhile.
      sqlite.pragma('busy_timeout = 0')
      const [checkpoint] = sqlite.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[]
      if (checkpoint?.busy) console.log("The write-ahead log could not be emptied now (a reader, such as Litestream, holds it): the servers' checkpoints copy it back into the database.")
    }
    if (result.finished) console.log(`Every value is sealed with key ${vault.encryptionKeyId}: remove ENCRYPTION_KEY_PREVIOUS and restart.`)
    else {
      console.log('Some values are still sealed with an earlier key (written meanwhile, or opened by no configured key): keep ENCRYPTION_KEY_PREVIOUS and run `npm run rekey` again.')
      process.exitCode = 1
    }
  } finally {
    await db.destroy()
  }
}

const commands: Record<string, () => Promise<void>> = {
  reconcile,
  rekey: rekeyCommand,
  backup,
  organiser: () => organiserCommand(loadConfig(process.env, () => {}), args),
  'bench-letters': () => benchLetters(args),
  'migrate-to-postgres': async () => {
    const value = (flag: string) => args[args.indexOf(flag) + 1]
    if (!args.includes('--from') || !args.includes('--to')) throw new Error('Usage: migrate-to-postgres --from data/app.db --to postgres://user:password@host/database')
    await migrateToPostgres(value('--from'), value('--to'))
  },
  'verify-letter': async () => {
    process.exitCode = await verifyLetterCommand(args)
  },
  witness: async () => {
    process.exitCode = await witnessCommand(args)
  },
}
const run = command ? commands[command] : undefined
if (!run) {
  console.error(`Usage: node build/cli.js reconcile [--check] | rekey | backup [file] [--keep-days N] | organiser add EMAIL --role ROLE | verify-letter FILE|CODE | witness --url BASE --slug SLUG ... | bench-letters [N] [--named N] | migrate-to-postgres --from FILE --to URL`)
  process.exit(64)
}
run().catch((error: Error) => {
  console.error(error.message)
  process.exit(1)
})
