import Sqlite from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { inject } from 'vitest'
import { migrateToLatest, openDatabase, type DB, type Engine } from '../../db'
import { PG_TYPES } from '../../db/pg-types'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's own PostgreSQL database (tests/support/global-setup.ts), or '' on SQLite. */
    postgresRunUrl: string
  }
}

/**
 * The engine the suite runs on: SQLite files by default, PostgreSQL when the run was started with
 * TEST_DATABASE_URL (`npm run test:postgres`). Every test that stores anything gets a database of
 * its own: a fresh SQLite file, or a fresh schema in the run's PostgreSQL database.
 */
export const testEngine: Engine = process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite'

export interface FreshDatabase {
  /** DATABASE_URL for the server or the CLI. */
  url: string
  drop(): Promise<void>
}

export async function freshDatabaseUrl(dir?: string): Promise<FreshDatabase> {
  if (testEngine === 'sqlite') {
    const own = !dir
    const folder = dir ?? mkdtempSync(path.join(tmpdir(), 'petition-db-'))
    return { url: path.join(folder, 'app.db'), drop: async () => void (own && rmSync(folder, { recursive: true, force: true })) }
  }
  const base = inject('postgresRunUrl')
  const schema = `t_${randomBytes(6).toString('hex')}`
  await withClient(base, (c) => c.query(`create schema ${schema}`))
  const url = new URL(base)
  url.searchParams.set('options', `-c search_path=${schema}`)
  return { url: url.toString(), drop: () => withClient(base, (c) => c.query(`drop schema ${schema} cascade`)).then(() => {}) }
}

/** A migrated database of its own, opened: the unit tests' fixture. */
export async function openTestDatabase(): Promise<{ db: DB; url: string; close(): Promise<void> }> {
  const fresh = await freshDatabaseUrl()
  const { db } = openDatabase(fresh.url, { poolSize: 4 })
  await migrateToLatest(db)
  return {
    db,
    url: fresh.url,
    async close() {
      await db.destroy()
      await fresh.drop()
    },
  }
}

async function withClient<T>(url: string, run: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, types: PG_TYPES })
  await client.connect()
  try {
    return await run(client)
  } finally {
    await client.end()
  }
}

/**
 * A read of the database behind a server under test, in plain SQL with `?` placeholders, as the
 * tests' witness of what was stored, whichever the engine.
 */
export async function queryDatabase<T>(url: string, text: string, ...params: unknown[]): Promise<T[]> {
  if (testEngine === 'sqlite') {
    const sqlite = new Sqlite(url, { readonly: true, fileMustExist: true })
    sqlite.pragma('busy_timeout = 5000')
    try {
      return sqlite.prepare(text).all(...params) as T[]
    } finally {
      sqlite.close()
    }
  }
  let n = 0
  const numbered = text.replace(/\?/g, () => `$${++n}`)
  return withClient(url, async (c) => (await c.query(numbered, params)).rows as T[])
}
