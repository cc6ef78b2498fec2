/**
 * Waits for the next turn of the event loop, after the I/O and timers already due. Background work
 * calls it between its slices: on SQLite every query completes synchronously, so a loop of
 * `await`ed queries is only microtasks and would hold the thread (no request served, no signal
 * handled) until the whole loop ends (#10, ADR 111).
 */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

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
