import Sqlite from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { migrateToLatest, openDatabase } from '../app/db.server'
import { reconcileCounts } from '../app/models/counts.server'
import { describeDatabase, parseDatabaseUrl } from '../db/url'
import { migrations } from '../db/migrations'

const BATCH = 1000

export interface TableCopy {
  table: string
  rows: number
}

/**
 * Copies a SQLite deployment into an empty PostgreSQL database (ADR 065): a consistent snapshot of
 * the file is taken first (VACUUM INTO, so a running server may keep writing, though what it writes
 * after the snapshot stays behind), the target is migrated to the same version, each table is copied
 * in foreign-key order in batches, the target's own row numbering is moved past the copied rows, and
 * then every table's row count is compared and the counters reconciled on the target. Refuses a
 * target that already holds data, and a source whose migrations differ from this build's.
 */
export async function migrateToPostgres(from: string, to: string, say: (line: string) => void = console.log): Promise<TableCopy[]> {
  if (parseDatabaseUrl(from).engine !== 'sqlite') throw new Error('--from takes the SQLite file of the deployment (DATABASE_URL as it is now).')
  if (parseDatabaseUrl(to).engine !== 'postgres') throw new Error('--to takes a postgres:// URL.')
  const dir = mkdtempSync(path.join(tmpdir(), 'migrate-'))
  const snapshotFile = path.join(dir, 'snapshot.db')
  const live = new Sqlite(from, { fileMustExist: true })
  try {
    live.pragma('busy_timeout = 5000')
    live.prepare('vacuum into ?').run(snapshotFile)
  } finally {
    live.close()
  }
  const source = new Sqlite(snapshotFile, { readonly: true })
  const target = openDatabase(to, { poolSize: 4 })
  try {
    const applied = (source.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((r) => r.name)
    const known = Object.keys(migrations).sort()
    if (applied.join() !== known.join()) {
      throw new Error(`The SQLite database is at migrations [${applied.at(-1) ?? 'none'}], this build at [${known.at(-1)}]: start this build's server on it once (it migrates), then copy.`)
    }
    await migrateToLatest(target.db)
    const tables = tablesInOrder(source)
    for (const table of tables) {
      const { n } = (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(target.db)).rows[0]
      if (Number(n) > 0) throw new Error(`The PostgreSQL database already holds rows in ${table}: copy into an empty database.`)
    }
    say(`Copying ${from} to ${describeDatabase(parseDatabaseUrl(to) as { engine: 'postgres'; url: string })}`)
    const copies: TableCopy[] = []
    for (const table of tables) {
      const rows = await copyTable(source, target.db, table)
      copies.push({ table, rows })
      say(`  ${table}: ${rows} rows`)
    }
    await moveSequencesPast(target.db)
    // The check: every table holds what the snapshot held, and the counters match the signatures.
    for (const { table, rows } of copies) {
      const { n } = (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(target.db)).rows[0]
      if (Number(n) !== rows) throw new Error(`${table}: copied ${rows} rows, the target holds ${n}`)
    }
    const drift = await reconcileCounts(target.db, { repair: false })
    if (drift.length > 0) throw new Error(`The counts on the target drift from its signatures in ${drift.length} places: nothing to switch to yet.`)
    say(`Every table's row count matches, and the counts match a recount (no drift).`)
    return copies
  } finally {
    source.close()
    await target.db.destroy()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The app's tables, each after the tables its foreign keys name. */
function tablesInOrder(source: Sqlite.Database): string[] {
  const names = (source.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name").all() as { name: string }[]).map((r) => r.name)
  const deps = new Map(names.map((n) => [n, (source.pragma(`foreign_key_list("${n}")`) as { table: string }[]).map((f) => f.table).filter((t) => t !== n)]))
  const ordered: string[] = []
  const visit = (n: string, seen: Set<string>) => {
    if (ordered.includes(n) || seen.has(n)) return
    seen.add(n)
    for (const d of deps.get(n) ?? []) visit(d, seen)
    ordered.push(n)
  }
  for (const n of names) visit(n, new Set())
  return ordered
}

async function copyTable(source: Sqlite.Database, target: ReturnType<typeof openDatabase>['db'], table: string): Promise<number> {
  const read = source.prepare(`select rowid as "__rowid", * from "${table}" where rowid > ? order by rowid limit ${BATCH}`)
  let after = 0
  let copied = 0
  for (;;) {
    const rows = read.all(after) as Record<string, unknown>[]
    if (rows.length === 0) return copied
    after = rows.at(-1)!.__rowid as number
    const values = rows.map(({ __rowid, ...row }) => row)
    await (target as any).insertInto(table).values(values).execute()
    copied += rows.length
  }
}

/** Identity columns start after the highest copied id, so the next row numbered there is new. */
async function moveSequencesPast(db: ReturnType<typeof openDatabase>['db']) {
  const identities = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and is_identity = 'YES'`.execute(db)
  for (const { table_name, column_name } of identities.rows) {
    await sql`select setval(pg_get_serial_sequence(${table_name}, ${column_name}), greatest(1, (select coalesce(max(${sql.ref(column_name)}), 0) from ${sql.table(table_name)})))`.execute(db)
  }
}
