import type Sqlite from 'better-sqlite3'
import { createRequire } from 'node:module'
import path from 'node:path'
import { Worker } from 'node:worker_threads'

/** Pages the write-ahead log may reach before the serving connection checkpoints it itself. */
const BACKSTOP_PAGES = 20_000
const JOURNAL_LIMIT_BYTES = 64 * 1024 * 1024

// Runs in the worker thread: its own connection to the same file, copying the log back into the
// database (PASSIVE: it never waits on, nor blocks, readers and writers) whenever told to or every
// `everyMs`, and emptying the log file's length once it is all copied.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Sqlite = require(workerData.driver)
const db = new Sqlite(workerData.file)
db.pragma('busy_timeout = 1000')
db.pragma('journal_size_limit = ' + workerData.journalLimit)
let busy = false
function checkpoint() {
  if (busy) return
  busy = true
  try { db.pragma('wal_checkpoint(PASSIVE)') } catch {}
  busy = false
}
const timer = setInterval(checkpoint, workerData.everyMs)
parentPort.on('message', (m) => {
  if (m === 'stop') { clearInterval(timer); checkpoint(); db.close(); parentPort.close() }
})
`

export interface Checkpointer {
  stop(): Promise<void>
}

/**
 * Moves SQLite's WAL checkpoints off the serving thread (docs/decisions/064-direct-sign-and-confirm.md).
 * By default the connection that commits checkpoints the log itself when it passes 1,000 pages,
 * copying pages and syncing the file while every request waits; under a stream of signs that was
 * a large share of each one's cost. A worker thread with its own connection does it instead, which
 * SQLite documents as the way for busy writers; the serving connection keeps a far higher
 * threshold of its own as a backstop, should the worker ever fall behind.
 */
export function startCheckpointer(sqlite: Sqlite.Database, file: string, { everyMs = 250 }: { everyMs?: number } = {}): Checkpointer {
  sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`)
  // Whichever connection restarts the log trims the file back to this once it is all copied.
  sqlite.pragma(`journal_size_limit = ${JOURNAL_LIMIT_BYTES}`)
  const driver = createRequire(import.meta.url).resolve('better-sqlite3')
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file: path.resolve(file), everyMs, journalLimit: JOURNAL_LIMIT_BYTES } })
  worker.unref()
  // Should the worker fail, the serving connection's own backstop checkpoints the log.
  worker.on('error', () => {})
  let stopped: Promise<void> | null = null
  return {
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        if (worker.threadId < 0) return resolve()
        worker.once('exit', () => resolve())
        worker.postMessage('stop')
        // A checkpoint stuck on a lock must not hold up the stop: the log is checkpointed on close anyway.
        setTimeout(() => void worker.terminate(), 2_000).unref()
      })
      return stopped
    },
  }
}
