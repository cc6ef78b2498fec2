/**
 * Waits for the next turn of the event loop, after the I/O and timers already due. Background work
 * calls it between its slices: on SQLite every query completes synchronously, so a loop of
 * `await`ed queries is only microtasks and would hold the thread (no request served, no signal
 * handled) until the whole loop ends (#10, ADR 111).
 */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * A background job's pause between slices that leaves requests at least half the thread (ADR 140):
 * after a slice of work it waits as long as that slice took (up to `maxMs`); after short work only
 * for the next turn. A request needs several turns of the loop (its read on the read worker, its
 * compression, its write), and `nextTurn` alone let one slice run in each: at 1,000,000 signatures a
 * rule's 46 ms slices made the public page wait four of them at its 99th percentile. Measured on
 * monotonic time, so a clock stepped back changes nothing.
 */
export function pacer(maxMs = 100): () => Promise<void> {
  let since = performance.now()
  return async () => {
    const took = performance.now() - since
    if (took < 2) await nextTurn()
    else await new Promise<void>((resolve) => setTimeout(resolve, Math.min(took, maxMs)))
    since = performance.now()
  }
}

/**
 * A worker's pause between polls that `wake()` cuts short (new work queued, or a stop): the email
 * outbox's and the webhooks' workers share it.
 */
export function wakeableSleep() {
  let wakeUp: (() => void) | null = null
  return {
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms)
        function done() {
          clearTimeout(timer)
          wakeUp = null
          resolve()
        }
        wakeUp = done
      }),
    wake: () => wakeUp?.(),
  }
}
