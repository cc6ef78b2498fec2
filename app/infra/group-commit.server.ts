import type { Transaction } from 'kysely'
import type { Database, DB } from '~/db.server'

export type Work<T> = (trx: Transaction<Database>) => Promise<T>

/** Runs units of work each in a transaction; with group commit, several share one. */
export interface Writes {
  run<T>(work: Work<T>): Promise<T>
}

/** One transaction per unit of work: what every caller without a group commit gets. */
export const eachInOwnTransaction = (db: DB): Writes => ({ run: (work) => db.transaction().execute(work) })

interface Job {
  work: Work<unknown>
  resolve(value: unknown): void
  reject(error: unknown): void
}

/**
 * Group commit (docs/decisions/064-direct-sign-and-confirm.md): the signs and confirmations that
 * arrive while the server is busy are written together, in one transaction, once the current turn
 * of the event loop is over. A commit costs far more than the rows of one sign, so under load this
 * is most of the difference; alone, a unit of work waits for nothing but the end of its turn.
 *
 * Each caller is answered only after the commit that holds its work, so nothing is acknowledged
 * that is not stored. Units of work must only touch the database: if one fails, the batch's
 * transaction is rolled back and every unit is run again in a transaction of its own, so one bad
 * unit costs the others nothing but time.
 */
export function createGroupCommit(db: DB, { maxBatch = 100 }: { maxBatch?: number } = {}): Writes & { pending(): number } {
  const queue: Job[] = []
  let scheduled = false

  async function runAlone(job: Job) {
    try {
      job.resolve(await db.transaction().execute(job.work))
    } catch (error) {
      job.reject(error)
    }
  }

  async function flush() {
    scheduled = false
    const jobs = queue.splice(0, maxBatch)
    if (queue.length) schedule()
    if (jobs.length === 1) return runAlone(jobs[0])
    let results: unknown[]
    try {
      results = await db.transaction().execute(async (trx) => {
        const out: unknown[] = []
        for (const job of jobs) out.push(await job.work(trx))
        return out
      })
    } catch {
      for (const job of jobs) await runAlone(job)
      return
    }
    jobs.forEach((job, i) => job.resolve(results[i]))
  }

  function schedule() {
    if (scheduled) return
    scheduled = true
    setImmediate(() => void flush())
  }

  return {
    run<T>(work: Work<T>) {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject })
        schedule()
      })
    },
    pending: () => queue.length,
  }
}
