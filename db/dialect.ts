import { PostgresAdapter, sql, type ColumnDataType, type Expression, type Kysely, type RawBuilder } from 'kysely'

/**
 * Every difference between SQLite and PostgreSQL that a migration or a query needs, in one place
 * (ADR 065). Migrations may import this module: it holds no app code.
 */
export type Engine = 'sqlite' | 'postgres'

export function engineOf(db: Kysely<any>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite'
}

/** Bytes: `blob` on SQLite, `bytea` on PostgreSQL; both read back as a Buffer. */
export function binary(db: Kysely<any>): ColumnDataType {
  return engineOf(db) === 'postgres' ? 'bytea' : 'blob'
}

/**
 * An integer primary key the database numbers itself: SQLite's `integer primary key autoincrement`,
 * PostgreSQL's identity column. Use it as `addColumn('id', autoIdType(db), autoId(db))`.
 */
export function autoIdType(db: Kysely<any>): ColumnDataType {
  return engineOf(db) === 'postgres' ? 'bigint' : 'integer'
}
export function autoId(db: Kysely<any>) {
  const postgres = engineOf(db) === 'postgres'
  return (c: any) => (postgres ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement())
}

/** Case-insensitive match of a pattern: SQLite's `like` is already case-insensitive for ASCII. */
export function ilike(db: Kysely<any>, left: Expression<any>, pattern: string): RawBuilder<boolean> {
  return engineOf(db) === 'postgres' ? sql<boolean>`${left} ilike ${pattern}` : sql<boolean>`${left} like ${pattern}`
}

/**
 * Locks the rows a select reads until the transaction ends, where the engine has row locks
 * (PostgreSQL); SQLite's one writer already serialises every writing transaction.
 */
export function forUpdate<Q extends { forUpdate(): Q }>(db: Kysely<any>, qb: Q): Q {
  return engineOf(db) === 'postgres' ? qb.forUpdate() : qb
}
