import { describe, expect, it, vi } from 'vitest'
import { ttlCache } from './ttl-cache.server'

const owner = {}

describe('ttlCache', () => {
  it('answers from memory within the maximum age, and reads again after it', async () => {
    vi.useFakeTimers({ now: 1_000_000 })
    try {
      const get = ttlCache<number>()
      const read = vi.fn(async () => read.mock.calls.length)
      expect(await get(owner, 'k', 2_000, read)).toBe(1)
      expect(await get(owner, 'k', 2_000, read)).toBe(1)
      vi.setSystemTime(1_002_500)
      expect(await get(owner, 'k', 2_000, read)).toBe(2)
      expect(read).toHaveBeenCalledTimes(2)
    } finally {
      vi.useRealTimers()
    }
  })

  it('shares one pending read between concurrent callers, and never keeps with a maximum age of 0', async () => {
    const get = ttlCache<string>()
    const read = vi.fn(async () => 'v')
    await Promise.all([get(owner, 'a', 5_000, read), get(owner, 'a', 5_000, read)])
    expect(read).toHaveBeenCalledTimes(1)
    await get(owner, 'b', 0, read)
    await get(owner, 'b', 0, read)
    expect(read).toHaveBeenCalledTimes(3)
  })

  it('drops what `keep` refuses and what failed, so unknown keys do not pile up', async () => {
    const get = ttlCache<string | null>()
    const missing = vi.fn(async () => null)
    await get(owner, 'no-such-slug', 5_000, missing, (v) => v !== null)
    await get(owner, 'no-such-slug', 5_000, missing, (v) => v !== null)
    expect(missing).toHaveBeenCalledTimes(2)
    const failing = vi.fn(async () => {
      throw new Error('down')
    })
    await expect(get(owner, 'x', 5_000, failing)).rejects.toThrow('down')
    await expect(get(owner, 'x', 5_000, failing)).rejects.toThrow('down')
    expect(failing).toHaveBeenCalledTimes(2)
    const found = vi.fn(async () => 'campaign')
    await get(owner, 'slug', 5_000, found, (v) => v !== null)
    await get(owner, 'slug', 5_000, found, (v) => v !== null)
    expect(found).toHaveBeenCalledTimes(1)
  })
})
