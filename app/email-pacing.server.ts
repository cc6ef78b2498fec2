import { sql } from 'kysely'
import { engineOf, type DB } from './db.server'

/** How far behind the pacing may fall and still catch up: the provider's window. */
const CATCH_UP_MS = 1000

export interface Pacer {
  /** Reserves the next send slot and answers when (epoch ms) it starts. */
  slot(): Promise<number>
  /** Holds every send until then (the provider answered 429 with Retry-After). */
  pause(until: number): Promise<void>
  /** The end of the latest pause this process knows of: a slot reserved before it began waits again. */
  pausedUntil(): number
}

/**
 * Spaces provider requests at `ratePerSecond`. Timers fire late, the more so while emails are being
 * rendered: slots keep to a grid so lateness does not add up and cost throughput, catching up on
 * slots missed within the last second (a provider's limit counts per second, and those slots went
 * unused in it); after a longer pause, the grid starts afresh so no burst of banked slots goes out.
 *
 * On SQLite one process sends, and the grid lives in memory. On PostgreSQL any number of processes
 * send to one provider account, so the grid and the 429 pause live in one row that each slot moves
 * in a single statement (ADR 065): the rate holds across all of them.
 */
export function createPacer(db: DB, ratePerSecond: number): Pacer {
  return engineOf(db) === 'postgres' ? sharedPacer(db, ratePerSecond) : localPacer(ratePerSecond)
}

function localPacer(ratePerSecond: number): Pacer {
  const gapMs = 1000 / ratePerSecond
  let nextSlot = 0
  let pausedUntil = 0
  return {
    async slot() {
      const now = Date.now()
      const at = Math.max(nextSlot, pausedUntil)
      const start = at <= now ? (now - at < CATCH_UP_MS ? at : now) : at
      nextSlot = start + gapMs
      return start
    },
    async pause(until) {
      pausedUntil = Math.max(pausedUntil, until)
    },
    pausedUntil: () => pausedUntil,
  }
}

const PACING_ROW = 'provider'

function sharedPacer(db: DB, ratePerSecond: number): Pacer {
  // Whole milliseconds in the shared row; rounding up keeps under the rate.
  const gapMs = Math.max(1, Math.ceil(1000 / ratePerSecond))
  let ready: Promise<unknown> | null = null
  let pausedUntil = 0
  const ensureRow = () =>
    (ready ??= db
      .insertInto('email_pacing')
      .values({ id: PACING_ROW, next_slot_at: 0, paused_until: 0 })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute())
  return {
    async slot() {
      await ensureRow()
      const now = Date.now()
      const row = await db
        .updateTable('email_pacing')
        .set({ next_slot_at: sql`greatest(paused_until, case when next_slot_at < ${now - CATCH_UP_MS}::bigint then ${now}::bigint else next_slot_at end) + ${gapMs}::bigint` })
        .where('id', '=', PACING_ROW)
        .returning(['next_slot_at', 'paused_until'])
        .executeTakeFirstOrThrow()
      pausedUntil = Math.max(pausedUntil, row.paused_until)
      return row.next_slot_at - gapMs
    },
    async pause(until) {
      pausedUntil = Math.max(pausedUntil, until)
      await ensureRow()
      await db.updateTable('email_pacing').set({ paused_until: sql`greatest(paused_until, ${until}::bigint)` }).where('id', '=', PACING_ROW).execute()
    },
    pausedUntil: () => pausedUntil,
  }
}
