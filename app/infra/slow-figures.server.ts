/**
 * Organisers' aggregates that grow with the campaign (the dashboard's figures, fraud flags), read in
 * constant time once they are slow to compute (ADR 141). A figure computed in under `quickMs` is
 * computed again for every read: a small campaign's figures are always the latest. Once a computation
 * has taken longer, reads get the last result with its time, and a new one starts in the background,
 * one at a time per key, and no sooner after the last than `1 / share - 1` times what it took, so an
 * organiser's open tabs cost the read worker at most `share` of its time. A first read waits for the
 * computation up to `waitMs`, then gets null ("being computed"); the computation goes on.
 *
 * Time is `performance.now()` for the pacing (a clock stepped back changes nothing) and `Date.now()`
 * only for the time shown.
 */
export interface SlowFigure<T> {
  value: T
  /** When the computation that gave `value` started (ms since the epoch). */
  at: number
  /** Computed for this read (else the last result, from `at`). */
  fresh: boolean
  /** Whether a newer computation is under way. */
  refreshing: boolean
}

export interface SlowFiguresOptions {
  quickMs?: number
  share?: number
  /** Told of a background computation that failed; the next read starts another. */
  onError?: (error: unknown) => void
}

interface Entry<T> {
  last?: { value: T; at: number; tookMs: number }
  running?: Promise<void>
  /** performance.now() before which no new computation starts, once the last was slow. */
  notBefore: number
}

export function slowFigures<T>(options: SlowFiguresOptions = {}) {
  const quickMs = options.quickMs ?? 1000
  const share = options.share ?? 0.2
  const entries = new Map<string, Entry<T>>()

  function start(entry: Entry<T>, compute: () => Promise<T>) {
    const t0 = performance.now()
    const at = Date.now()
    entry.running = compute().then(
      (value) => {
        const tookMs = performance.now() - t0
        entry.last = { value, at, tookMs }
        entry.notBefore = performance.now() + tookMs * (1 / share - 1)
        entry.running = undefined
      },
      (error) => {
        entry.running = undefined
        entry.notBefore = performance.now() + (performance.now() - t0) * (1 / share - 1)
        throw error
      },
    )
    return entry.running
  }

  return {
    /** After a change the figures must show (a rule applied, signatures restored): the next read starts a computation. */
    renew(key: string) {
      const entry = entries.get(key)
      if (entry) entry.notBefore = 0
    },
    async read(key: string, compute: () => Promise<T>, waitMs = Infinity): Promise<SlowFigure<T> | null> {
      let entry = entries.get(key)
      if (!entry) entries.set(key, (entry = { notBefore: 0 }))
      const { last } = entry
      if (last && last.tookMs < quickMs) {
        // Quick: the latest, computed now (not joined to one already running, which may predate a write).
        const t0 = performance.now()
        const at = Date.now()
        const value = await compute()
        entry.last = { value, at, tookMs: performance.now() - t0 }
        return { value, at, fresh: true, refreshing: false }
      }
      if (last) {
        if (!entry.running && performance.now() >= entry.notBefore) start(entry, compute).catch((error) => options.onError?.(error))
        return { value: last.value, at: last.at, fresh: false, refreshing: entry.running !== undefined }
      }
      // Never computed: wait for it, up to waitMs.
      const running = entry.running ?? start(entry, compute)
      if (waitMs === Infinity) await running
      else {
        let timer: NodeJS.Timeout | undefined
        const waited = await Promise.race([running.then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), waitMs)))]).finally(() =>
          clearTimeout(timer),
        )
        // Left running: whoever reads next finds it done, and its failure is told rather than lost.
        if (!waited) {
          running.catch((error) => options.onError?.(error))
          return null
        }
      }
      const done = entry.last!
      return { value: done.value, at: done.at, fresh: true, refreshing: false }
    },
  }
}

export type SlowFigures<T> = ReturnType<typeof slowFigures<T>>
