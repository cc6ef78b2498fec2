import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import {
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from 'kysely'
import type { Database } from './schema'

/**
 * A second, read-only SQLite connection that runs in a worker thread (#10, ADR 111): better-sqlite3
 * is synchronous, so an organiser's aggregate over a million rows on the serving connection stops
 * every reader of the public site until it ends. Queries sent here run on the worker while the event
 * loop goes on serving; a stream (an export) is read in the chunks the caller asks for, so memory
 * stays bounded and other queries are answered between its chunks.
 *
 * It only reads: the connection is opened read-only and transactions are refused. On PostgreSQL
 * queries already leave the event loop, and the serving `db` is used for these reads as well.
 */

// The worker's code, run as CommonJS from a string so the bundled server and the tests share it.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const main = new Database(workerData.file, { readonly: true, fileMustExist: true })
main.pragma('busy_timeout = 5000')
const statements = new Map()
const cursors = new Map()
const asBuffer = (v) => (v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v)
function prepared(sql) {
  let st = statements.get(sql)
  if (!st) {
    st = main.prepare(sql)
    if (statements.size >= 200) statements.delete(statements.keys().next().value)
    statements.set(sql, st)
  }
  return st
}
function take(cursor, n) {
  const rows = []
  while (rows.length < n) {
    const next = cursor.rows.next()
    if (next.done) return { rows, done: true }
    rows.push(next.value)
  }
  return { rows, done: false }
}
function closeCursor(id) {
  const cursor = cursors.get(id)
  if (!cursor) return
  cursors.delete(id)
  try { cursor.rows.return() } catch {}
}
parentPort.on('message', (m) => {
  try {
    if (m.op === 'query') {
      const st = prepared(m.sql)
      if (!st.reader) throw Object.assign(new Error('the read connection does not write'), { code: 'READ_ONLY' })
      parentPort.postMessage({ id: m.id, rows: st.all(m.params.map(asBuffer)) })
    } else if (m.op === 'open') {
      // A statement of its own (one being iterated cannot serve another query); other reads run between chunks.
      const st = main.prepare(m.sql)
      if (!st.reader) throw Object.assign(new Error('the read connection does not write'), { code: 'READ_ONLY' })
      cursors.set(m.id, { rows: st.iterate(m.params.map(asBuffer)) })
      const chunk = take(cursors.get(m.id), m.size)
      if (chunk.done) closeCursor(m.id)
      parentPort.postMessage({ id: m.id, ...chunk })
    } else if (m.op === 'next') {
      const chunk = take(cursors.get(m.id), m.size)
      if (chunk.done) closeCursor(m.id)
      parentPort.postMessage({ id: m.id, ...chunk })
    } else if (m.op === 'close') {
      closeCursor(m.id)
      parentPort.postMessage({ id: m.id, rows: [] })
    }
  } catch (error) {
    if (m.op !== 'query') closeCursor(m.id)
    parentPort.postMessage({ id: m.id, error: { message: String(error && error.message), code: error && error.code } })
  }
})
`

interface Reply {
  id: number
  rows?: Record<string, unknown>[]
  done?: boolean
  error?: { message: string; code?: string }
}

/** Structured cloning turns a Buffer into a plain Uint8Array: the app's code expects Buffers for blobs. */
function withBuffers(row: Record<string, unknown>) {
  for (const key in row) {
    const v = row[key]
    if (v instanceof Uint8Array && !Buffer.isBuffer(v)) row[key] = Buffer.from(v.buffer, v.byteOffset, v.byteLength)
  }
  return row
}

class ReadWorker {
  private worker: Worker
  private nextId = 1
  private pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>()
  /** The worker's thread id, so a test can tell a query ran there. */
  readonly threadId: number

  constructor(file: string) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3')
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver } })
    this.threadId = this.worker.threadId
    this.worker.unref()
    this.worker.on('message', (reply: Reply) => this.settle(reply))
    this.worker.on('error', (error) => this.failAll(error))
    this.worker.on('exit', () => this.failAll(new Error('the read worker stopped')))
  }

  private settle(reply: Reply) {
    const waiting = this.pending.get(reply.id)
    if (!waiting) return
    this.pending.delete(reply.id)
    if (this.pending.size === 0) this.worker.unref()
    if (reply.error) waiting.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }))
    else waiting.resolve(reply)
  }

  private failAll(error: Error) {
    for (const waiting of this.pending.values()) waiting.reject(error)
    this.pending.clear()
  }

  /** Sends one message and waits for its answer; the worker keeps the process alive only while answers are due. */
  call(message: { op: string; id?: number; sql?: string; params?: readonly unknown[]; size?: number }): Promise<Reply> {
    const id = message.id ?? this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.worker.ref()
      this.worker.postMessage({ ...message, id })
    })
  }

  newId() {
    return this.nextId++
  }

  async stop() {
    await this.worker.terminate()
  }
}

class ReadConnection implements DatabaseConnection {
  constructor(private readonly worker: ReadWorker) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const reply = await this.worker.call({ op: 'query', sql: query.sql, params: query.parameters })
    return { rows: (reply.rows ?? []).map(withBuffers) as R[] }
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize = 1000): AsyncIterableIterator<QueryResult<R>> {
    const id = this.worker.newId()
    let reply = await this.worker.call({ op: 'open', id, sql: query.sql, params: query.parameters, size: chunkSize })
    let finished = false
    try {
      for (;;) {
        for (const row of reply.rows ?? []) yield { rows: [withBuffers(row) as R] }
        if (reply.done) {
          finished = true
          return
        }
        reply = await this.worker.call({ op: 'next', id, size: chunkSize })
      }
    } finally {
      // A reader that stopped early (a closed download) frees the worker's connection.
      if (!finished) await this.worker.call({ op: 'close', id }).catch(() => {})
    }
  }
}

class ReadDriver implements Driver {
  private worker: ReadWorker | null = null
  constructor(private readonly file: string) {}

  async init() {
    this.worker = new ReadWorker(this.file)
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    // One connection object serves every caller: the worker answers in order, and nothing here is a transaction.
    return new ReadConnection(this.worker!)
  }

  async beginTransaction(): Promise<void> {
    throw new Error('The read connection takes no transactions: write through the serving db.')
  }
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}

  async destroy() {
    await this.worker?.stop()
    this.worker = null
  }

  threadId() {
    return this.worker?.threadId ?? null
  }
}

class ReadWorkerDialect implements Dialect {
  readonly driver: ReadDriver
  constructor(file: string) {
    this.driver = new ReadDriver(file)
  }
  createAdapter() {
    return new SqliteAdapter()
  }
  createDriver() {
    return this.driver
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler()
  }
  createIntrospector(db: Kysely<unknown>) {
    return new SqliteIntrospector(db)
  }
}

/** A Kysely that reads the SQLite file on a worker thread; `threadId()` is the worker's once a query has run. */
export function openReadWorker(file: string): { db: Kysely<Database>; threadId: () => number | null } {
  const dialect = new ReadWorkerDialect(file)
  return { db: new Kysely<Database>({ dialect }), threadId: () => dialect.driver.threadId() }
}
