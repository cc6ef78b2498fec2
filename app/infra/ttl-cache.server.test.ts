import { afterEach, describe, expect, it, vi } from 'vitest'
import { ttlCache } from './ttl-cache.server'

describe('ttlCache', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('keeps a value for its maximum age, then reads again', async () => {
    const get = ttlCache<number>()
    const owner = {}
    let reads = 0
    const read = async () => ++reads
    expect(await get(owner, 'k', 50, read)).toBe(1)
    expect(await get(owner, 'k', 50, read)).toBe(1)
    await new Promise((r) => setTimeout(r, 70))
    expect(await get(owner, 'k', 50, read)).toBe(2)
  })

  it('is not frozen by a wall clock stepped back an hour', async () => {
    // Only the wall clock is faked: the monotonic clock goes on.
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-12-02T12:00:00Z'))
    const get = ttlCache<number>()
    const owner = {}
    let reads = 0
    const read = async () => ++reads
    expect(await get(owner, 'k', 50, read)).toBe(1)
    vi.setSystemTime(new Date('2026-12-02T11:00:00Z'))
    await new Promise((r) => setTimeout(r, 70))
    expect(await get(owner, 'k', 50, read)).toBe(2)
  })
})
