import Sqlite from 'better-sqlite3'
import { chmodSync, existsSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { loadConfig } from '../app/config.server'
import { migrateToLatest, openDatabase } from '../app/db.server'
import { reconcileCounts } from '../app/models/counts.server'
import { organiserCommand } from './organiser-cli'
import { benchLetters } from './bench-letters'
import { verifyLetterCommand } from './verify-letter'
import { witnessCommand } from './witness'

const [command, ...args] = process.argv.slice(2)

async function reconcile() {
  const config = loadConfig(process.env, () => {})
  const { db } = openDatabase(config.databasePath)
  await migrateToLatest(db)
  const repair = !args.includes('--check')
  const drift = await reconcileCounts(db, { repair })
  if (drift.length === 0) console.log('Counts match the signatures: no drift.')
  for (const d of drift) {
    console.log(`${repair ? 'repaired' : 'drift'}: campaign ${d.campaignId} ${d.counter ? `${d.counter} ` : ''}${d.country ?? 'total'} stored ${d.stored}, recount ${d.actual}`)
  }
  await db.destroy()
  if (!repair && drift.length > 0) process.exitCode = 1
}

/**
 * An online copy of the database, safe while the server runs and signatures come in: SQLite's
 * backup API copies a consistent snapshot page by page (docs/operations.md says how to restore).
 */
async function backup() {
  const config = loadConfig(process.env, () => {})
  const target = args.find((a) => !a.startsWith('--')) ?? path.join(path.dirname(config.databasePath), 'backups', `app-${new Date().toISOString().replace(/[:.]/g, '-')}.db`)
  if (existsSync(target)) throw new Error(`${target} exists already; choose a new file.`)
  mkdirSync(path.dirname(path.resolve(target)), { recursive: true })
  const { db, sqlite } = openDatabase(config.databasePath)
  const started = Date.now()
  await sqlite.backup(target)
  await db.destroy()
  const copy = new Sqlite(target)
  const check = copy.pragma('integrity_check', { simple: true })
  copy.close()
  if (check !== 'ok') throw new Error(`The copy at ${target} failed its integrity check: ${String(check)}`)
  chmodSync(target, 0o600)
  console.log(`Backed up ${config.databasePath} to ${target} in ${Date.now() - started} ms; integrity check ok.`)
}

const commands: Record<string, () => Promise<void>> = {
  reconcile,
  backup,
  organiser: () => organiserCommand(loadConfig(process.env, () => {}), args),
  'bench-letters': () => benchLetters(args),
  'verify-letter': async () => {
    process.exitCode = await verifyLetterCommand(args)
  },
  witness: async () => {
    process.exitCode = await witnessCommand(args)
  },
}
const run = command ? commands[command] : undefined
if (!run) {
  console.error(`Usage: node build/cli.js reconcile [--check] | backup [file] | organiser add EMAIL --role ROLE | verify-letter FILE|CODE | witness --url BASE --slug SLUG ... | bench-letters [N]`)
  process.exit(64)
}
run().catch((error: Error) => {
  console.error(error.message)
  process.exit(1)
})
