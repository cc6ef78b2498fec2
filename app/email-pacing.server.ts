import { sql } from 'kysely'
import { performance } from 'node:perf_hooks'
import { engineOf, type DB } from './db.server'

/** How far behind the pacing may fall and still catch up: the provider's window. */
const CATCH_UP_MS = 1000
/** The longest a 429 may hold sending, whatever Retry-After says (or a stepped clock makes of it). */
export const MAX_PAUSE_MS = 10 * 60_000

/** Monotonic milliseconds: immune to the wall clock being stepped (ADR 097). */
export const monotonic = () => performance.now()

export interface Pacer {
  /**
   * Reserves the next send slot and answers when it starts, in monotonic() milliseconds (`at`), and as
   * the pacer reserved it on its own clock (`reserved`: monotonic in one process, the shared row's
   * wall-clock milliseconds on PostgreSQL, which `at` approximates by a database round trip).
   */
  slot(): Promise<{ at: number; reserved: number }>
  /** Holds every send for this long from now (the provider answered 429 with Retry-After). */
  pause(ms: number): Promise<void>
  /** The end of the latest pause this process knows of (monotonic): a slot reserved before it began waits again. */
  pausedUntil(): number
}

/**
 * Spaces provider requests at `ratePerSecond`. Timers fire late, the more so while emails are being
 * rendered: slots keep to a grid so lateness does not add up and cost throughput, catching up on
 * slots missed within the last second (a provider's limit counts per second, and those slots went
 * unused in it); after a longer pause, the grid starts afresh so no burst of banked slots goes out.
 *
 * On SQLite one process sends, and the grid lives in memory on the monotonic clock. On PostgreSQL
 * any number of processes send to one provider account, so the grid and the 429 pause live in one
 * row that each slot moves in a single statement (ADR 065): the rate holds across all of them. That
 * row holds wall-clock times (processes share no other clock), so a value further ahead than the
 * pacing could ever have put it is taken for a clock stepped back and started afresh.
 */
export function createPacer(db: DB, ratePerSecond: number): Pacer {
  return engineOf(db) === 'postgres' ? sharedPacer(db, ratePerSecond) : localPacer(ratePerSecond)
}

function localPacer(ratePerSecond: number): Pacer {
  const gapMs = 1000 / ratePerSecond
  let nextSlot = -Infinity
  let pausedUntil = -Infinity
  return {
    async slot() {
      const now = monotonic()
      const at = Math.max(nextSlot, pausedUntil)
      const start = at <= now ? (now - at < CATCH_UP_MS ? at : now) : at
      nextSlot = start + gapMs
      return { at: start, reserved: start }
    },
    async pause(ms) {
      pausedUntil = Math.max(pausedUntil, monotonic() + Math.min(ms, MAX_PAUSE_MS))
    },
    pausedUntil: () => pausedUntil,
  }
}

const PACING_ROW = 'provider'

function sharedPacer(db: DB, ratePerSecond: number): Pacer {
  // Whole milliseconds in the shared row; rounding up keeps under the rate.
  const gapMs = Math.max(1, Math.ceil(1000 / ratePerSecond))
  // Slots reserved ahead by every process together never reach this far (16 in flight each).
  const aheadMs = Math.max(60_000, 500 * gapMs)
  let ready: Promise<unknown> | null = null
  let pausedUntil = -Infinity
  const ensureRow = () =>
    (ready ??= db
      .insertInto('email_pacing')
      .values({ id: PACING_ROW, next_slot_at: 0, paused_until: 0 })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute())
  /** A wall-clock time from the row, as monotonic time, never further ahead than `bound`. */
  const toMonotonic = (wall: number, wallNow: number, bound: number) => monotonic() + Math.min(bound, wall - wallNow)
  return {
    async slot() {
      await ensureRow()
      const now = Date.now()
      const paused = sql<number>`case when paused_until > ${now + MAX_PAUSE_MS}::bigint then 0 else paused_until end`
      const row = await db
        .updateTable('email_pacing')
        .set({
          next_slot_at: sql`greatest(${paused}, case when next_slot_at < ${now - CATCH_UP_MS}::bigint or next_slot_at > ${now + aheadMs}::bigint then ${now}::bigint else next_slot_at end) + ${gapMs}::bigint`,
          paused_until: paused,
        })
        .where('id', '=', PACING_ROW)
        .returning(['next_slot_at', 'paused_until'])
        .executeTakeFirstOrThrow()
      pausedUntil = Math.max(pausedUntil, toMonotonic(Number(row.paused_until), now, MAX_PAUSE_MS))
      const reserved = Number(row.next_slot_at) - gapMs
      return { at: toMonotonic(reserved, now, aheadMs + MAX_PAUSE_MS), reserved }
    },
    async pause(ms) {
      const bounded = Math.min(ms, MAX_PAUSE_MS)
      pausedUntil = Math.max(pausedUntil, monotonic() + bounded)
      await ensureRow()
      const until = Date.now() + bounded
      await db.updateTable('email_pacing').set({ paused_until: sql`greatest(paused_until, ${until}::bigint)` }).where('id', '=', PACING_ROW).execute()
    },
    pausedUntil: () => pausedUntil,
  }
}
