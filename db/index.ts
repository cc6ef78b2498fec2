import Sqlite from 'better-sqlite3'
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import Cursor from 'pg-cursor'
import { Kysely, Migrator, PostgresDialect, sql, SqliteDialect, type MigrationResultSet, type SqliteDatabase } from 'kysely'
import { engineOf, type Engine } from './dialect'
import { PG_TYPES } from './pg-types'
import { parseDatabaseUrl } from './url'
import { migrations } from './migrations'
import type { Database } from './schema'

export type { Database } from './schema'
export { engineOf, forUpdate, type Engine } from './dialect'
export { DatabaseUrlError, describeDatabase, parseDatabaseUrl, type DatabaseTarget } from './url'
export type DB = Kysely<Database>

export interface OpenedDatabase {
  db: DB
  engine: Engine
  /** The SQLite handle, for what only SQLite has (checkpoints, the backup API); null on PostgreSQL. */
  sqlite: Sqlite.Database | null
  /** The PostgreSQL pool, for libraries that take one (the shared rate limits); null on SQLite. */
  pool: pg.Pool | null
}

export interface OpenOptions {
  /** PostgreSQL connections this process may hold (PG_POOL_SIZE). */
  poolSize?: number
}

/** Opens DATABASE_URL on its engine, with every connection setting the app relies on set here. */
export function openDatabase(url: string, options: OpenOptions = {}): OpenedDatabase {
  const target = parseDatabaseUrl(url)
  if (target.engine === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: options.poolSize ?? 10, types: PG_TYPES })
    // An idle client's error (the server restarted) must not bring the process down; the next query reconnects.
    pool.on('error', () => {})
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool, cursor: Cursor }) }), engine: 'postgres', sqlite: null, pool }
  }
  const { db, sqlite } = openSqliteDatabase(target.file)
  return { db, engine: 'sqlite', sqlite, pool: null }
}

/** Opens the SQLite file with the pragmas the app relies on, all set here and nowhere else. */
export function openSqliteDatabase(file: string): { db: DB; sqlite: Sqlite.Database } {
  if (file !== ':memory:') {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
    restrictToOwner(file)
  }
  const sqlite = new Sqlite(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  // 32 MiB of pages kept in the process (SQLite's default is 2 MiB): a write touches a dozen indexes of
  // a file of a gigabyte or more, and each page not kept is read again from the operating system (ADR 138).
  sqlite.pragma(`cache_size = ${-32 * 1024}`)
  if (file !== ':memory:') refreshPlannerStatistics(sqlite)
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) })
  return { db, sqlite }
}

/**
 * Keeps the statistics SQLite's query planner reads (sqlite_stat1) current, as its documentation asks
 * of long-lived connections: `PRAGMA optimize` at open and then every hour or so (the server's
 * hourly purge calls this). Without statistics the planner takes an equality on any indexed column
 * to match about ten rows, so `where id in (…500 ids…) and status = 'verified'` walked the index on
 * (campaign_id, status), every verified signature, instead of 500 key lookups: at 1,000,000
 * signatures a moderation rule's slice and the purge's deletes took most of a second each on the
 * serving thread (#10, ADR 138). A file never analysed is analysed at open.
 *
 * The analysis is whole, not sampled: a sample (`analysis_limit`, which a plain `PRAGMA optimize` sets
 * for itself, bit 0x10) is the first rows of each index, all of one status, and misled the planner the
 * same way. So `optimize` runs with 0x10002: every table checked, whole analyses. It analyses only a
 * table whose size has changed a great deal since its last analysis (SQLite's own rule), reading each
 * of its indexes once: 0.8 s at 330,000 signatures, on the serving thread, the few times a campaign
 * grows past such a step.
 */
export function refreshPlannerStatistics(sqlite: Sqlite.Database) {
  const analysed = sqlite.prepare("select 1 from sqlite_schema where name = 'sqlite_stat1'").get() !== undefined
  if (!analysed) return void sqlite.exec('ANALYZE')
  // An index made since its table's last analysis (by a migration) has no statistics, and `optimize` then
  // analyses the whole table again: 1.6 s at 1,000,000 signatures on the serving thread, for three empty
  // partial indexes (ADR 144). Each such index is analysed alone first, reading only itself. Tables never
  // analysed with rows (empty then) are left to `optimize`, or their indexes would be read every hour.
  const unanalysed = sqlite
    .prepare(
      `select name from sqlite_schema where type = 'index' and sql is not null
         and tbl_name in (select tbl from sqlite_stat1) and name not in (select idx from sqlite_stat1 where idx is not null)`,
    )
    .pluck()
    .all() as string[]
  for (const name of unanalysed) sqlite.exec(`ANALYZE "${name.replaceAll('"', '""')}"`)
  sqlite.pragma('optimize = 0x10002')
}

/**
 * The database file readable and writable by its owner only (0600), created so before SQLite opens
 * it; SQLite gives its -wal and -shm files the database file's permissions. Files made before this
 * are narrowed too.
 */
export function restrictToOwner(file: string) {
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600))
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600)
}

const STATEMENT_CACHE_SIZE = 500

/**
 * Kysely prepares every query afresh; a request runs the same few shapes of SQL again and again, and
 * preparing costs more than running them. Statements are kept by their SQL text (values are bound,
 * never inlined), the least recently used dropped past the limit; a statement still being iterated
 * is never handed out twice.
 */
function withStatementCache(sqlite: Sqlite.Database): SqliteDatabase {
  const cache = new Map<string, Sqlite.Statement>()
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      const cached = cache.get(sql)
      if (cached && !cached.busy) {
        cache.delete(sql)
        cache.set(sql, cached)
        return cached
      }
      const statement = sqlite.prepare(sql)
      cache.set(sql, statement)
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!)
      return statement
    },
  }
}

export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  // Kysely looks for its own tables in every schema of a PostgreSQL database; name the one in use,
  // so a database that holds other schemas (other deployments, the tests' own) is not mistaken for migrated.
  const migrationTableSchema =
    engineOf(db) === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0].schema : undefined
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema,
  })
  const result = await migrator.migrateToLatest()
  if (result.error) throw result.error
  return result
}

/** Recognises a unique-constraint violation on SQLite and on PostgreSQL. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string } | null
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e?.code === '23505'
}
