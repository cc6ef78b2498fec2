import { randomUUID } from 'node:crypto'
import type { DB } from '~/db.server'

/** This process, as the holder of leases and claims. */
export const PROCESS_ID = randomUUID()

/**
 * Takes (or renews) the named lease for `ttlMs` unless another process holds one that has not run
 * out; answers whether this process holds it now. One statement, so two processes racing for it
 * cannot both win, on SQLite or PostgreSQL.
 */
export async function acquireLease(db: DB, name: string, ttlMs: number, holder = PROCESS_ID, now = Date.now()): Promise<boolean> {
  const row = await db
    .insertInto('leases')
    .values({ name, holder, expires_at: now + ttlMs })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder, expires_at: now + ttlMs })
        .where((eb) => eb.or([eb('leases.expires_at', '<=', now), eb('leases.holder', '=', holder)])),
    )
    .returning('holder')
    .executeTakeFirst()
  return row?.holder === holder
}

export async function releaseLease(db: DB, name: string, holder = PROCESS_ID): Promise<void> {
  await db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute()
}

/**
 * Runs `work` if this process can take the lease, renewing it every third of `ttlMs` while the work
 * runs, and lets it go afterwards; answers false without running it when another process holds the
 * lease. Periodic work that another process may also start (the hourly purge, resumes after a
 * restart) so runs once at a time, and a holder that dies mid-work (SIGKILL, a lost machine) stops
 * renewing: its lease lapses within `ttlMs`, and the next process to try takes the work over.
 * `holder` other than this process's id: one run apart from others of the same process.
 */
export async function underLease(db: DB, name: string, ttlMs: number, work: () => Promise<unknown>, holder = PROCESS_ID): Promise<boolean> {
  if (!(await acquireLease(db, name, ttlMs, holder))) return false
  const renew = setInterval(() => void acquireLease(db, name, ttlMs, holder).catch(() => {}), Math.max(1, Math.floor(ttlMs / 3)))
  renew.unref()
  try {
    await work()
  } finally {
    clearInterval(renew)
    await releaseLease(db, name, holder)
  }
  return true
}
