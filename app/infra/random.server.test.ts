import { describe, expect, it } from 'vitest'
import { secureRandomBytes, timeOrderedId } from './random.server'

describe('secureRandomBytes', () => {
  it('hands out the sizes asked for, never the same bytes twice, across refills of the pool', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 2_000; i++) {
      const size = [12, 16, 32][i % 3]
      const bytes = secureRandomBytes(size)
      expect(bytes.length).toBe(size)
      seen.add(bytes.toString('hex'))
    }
    expect(seen.size).toBe(2_000)
  })

  it('gives each caller its own buffer: changing one leaves the next untouched', () => {
    const a = secureRandomBytes(32)
    a.fill(0)
    expect(secureRandomBytes(32).equals(Buffer.alloc(32))).toBe(false)
  })

  it('serves large requests straight from the system generator', () => {
    const big = secureRandomBytes(64 * 1024)
    expect(big.length).toBe(64 * 1024)
    // 64 KB of zeros from a working generator would be astonishing.
    expect(big.some((b) => b !== 0)).toBe(true)
  })

  it('looks random: every byte value turns up in 64 KB, none far more often than the rest', () => {
    const counts = new Array(256).fill(0)
    for (let i = 0; i < 2048; i++) for (const b of secureRandomBytes(32)) counts[b]++
    expect(Math.min(...counts)).toBeGreaterThan(150)
    expect(Math.max(...counts)).toBeLessThan(370)
  })
})

describe('timeOrderedId', () => {
  it('is a version 7 UUID, unique, and sorts in the order made across milliseconds', async () => {
    const first = timeOrderedId()
    await new Promise((r) => setTimeout(r, 5))
    const ids = Array.from({ length: 1_000 }, () => timeOrderedId())
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(new Set(ids).size).toBe(1_000)
    expect(ids.every((id) => id > first)).toBe(true)
    expect([...ids].sort()).toEqual(ids)
    expect(parseInt(first.replace(/-/g, '').slice(0, 12), 16)).toBeGreaterThan(Date.now() - 60_000)
  })
})
