import { describe, expect, it } from 'vitest'
import { nextTurn, pacer } from './next-turn.server'

/** Holds the thread as a slice of SQLite work does: synchronously. */
const busy = (ms: number) => {
  const end = performance.now() + ms
  while (performance.now() < end);
}

/**
 * How many slices of `sliceMs` a job runs, pausing with `pause`, before a request that needs `hops`
 * turns of the event loop (its read, its compression, its write) is done.
 */
async function slicesBeforeRequestDone(pause: () => Promise<void>, sliceMs: number, hops: number): Promise<number> {
  let done = false
  const request = async () => {
    for (let i = 0; i < hops; i++) await new Promise<void>((resolve) => setImmediate(resolve))
    done = true
  }
  let slices = 0
  void request()
  while (!done && slices < 50) {
    busy(sliceMs)
    slices++
    await pause()
  }
  return slices
}

describe('pacer (ADR 140)', () => {
  it('lets a request that needs several turns finish within a slice or two, where one turn a slice made it wait one slice a turn', async () => {
    expect(await slicesBeforeRequestDone(nextTurn, 10, 5)).toBeGreaterThanOrEqual(5)
    expect(await slicesBeforeRequestDone(pacer(), 10, 5)).toBeLessThanOrEqual(2)
  })

  it('after long work, waits as long as it took, up to maxMs', async () => {
    const pause = pacer(20)
    busy(60)
    const t = performance.now()
    await pause()
    // Timers may fire a fraction of a millisecond early; never later than asked is not promised.
    expect(performance.now() - t).toBeGreaterThanOrEqual(19)
  })
})
