import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely'

type Row = Record<string, unknown>

/**
 * An insert that Kysely builds and compiles once per shape (the columns, in order, and the number
 * of rows), then runs again with new values. For the few inserts every sign makes: building and
 * compiling the query cost more than SQLite's work of storing the row (docs/decisions/064-direct-sign-and-confirm.md).
 *
 * It checks itself: a shape is reused only if the first compilation's parameters are exactly the
 * rows' values, column by column, so the same SQL is known to take the values in that order.
 * Anything else (a value Kysely writes into the SQL, rows with different columns) is built afresh
 * every time, as without it.
 */
export function reusableInsert<DB, R extends Row>(build: (db: Kysely<DB>, rows: R[]) => Compilable) {
  const shapes = new Map<string, string | null>()
  return async function insert(db: Kysely<DB>, rows: R[]): Promise<QueryResult<unknown>> {
    const columns = Object.keys(rows[0])
    const alike = rows.every((row) => {
      const keys = Object.keys(row)
      return keys.length === columns.length && keys.every((k, i) => k === columns[i])
    })
    if (!alike) return db.executeQuery(build(db, rows).compile())
    const values: unknown[] = []
    for (const row of rows) for (const column of columns) values.push(row[column])
    const shape = `${rows.length}:${columns.join(',')}`
    const sql = shapes.get(shape)
    if (sql) return db.executeQuery(CompiledQuery.raw(sql, values))
    const compiled = build(db, rows).compile()
    if (sql === undefined) {
      const reusable = compiled.parameters.length === values.length && compiled.parameters.every((p, i) => p === values[i])
      shapes.set(shape, reusable ? compiled.sql : null)
    }
    return db.executeQuery(compiled)
  }
}
