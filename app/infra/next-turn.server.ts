/**
 * Waits for the next turn of the event loop, after the I/O and timers already due. Background work
 * calls it between its slices: on SQLite every query completes synchronously, so a loop of
 * `await`ed queries is only microtasks and would hold the thread (no request served, no signal
 * handled) until the whole loop ends (#10, ADR 111).
 */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))
