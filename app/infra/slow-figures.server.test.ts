import { describe, expect, it } from 'vitest'
import { slowFigures } from './slow-figures.server'

/** A computation the test finishes by hand, counting how many were started. */
function gated() {
  let started = 0
  const release: ((n: number) => void)[] = []
  return {
    compute: () => {
      started++
      return new Promise<number>((resolve) => release.push(resolve))
    },
    started: () => started,
    finish: (n: number) => release.shift()!(n),
  }
}

const settle = () => new Promise((r) => setImmediate(r))

describe('slowFigures', () => {
  it('computes quick figures again for every read', async () => {
    const cache = slowFigures<number>({ quickMs: Infinity })
    let n = 0
    const compute = async () => ++n
    expect((await cache.read('c', compute))?.value).toBe(1)
    expect((await cache.read('c', compute))?.value).toBe(2)
    expect(await cache.read('c', compute)).toMatchObject({ value: 3, fresh: true, refreshing: false })
  })

  it('answers slow figures from the last computation while one newer runs, one at a time', async () => {
    const cache = slowFigures<number>({ quickMs: 0, share: 1 })
    const g = gated()
    const first = cache.read('c', g.compute)
    g.finish(1)
    expect((await first)?.value).toBe(1)
    const second = await cache.read('c', g.compute)
    expect(second).toMatchObject({ value: 1, fresh: false, refreshing: true })
    expect(g.started()).toBe(2)
    // Another tab while it runs: the same answer, no second computation.
    expect(await cache.read('c', g.compute)).toMatchObject({ value: 1, refreshing: true })
    expect(g.started()).toBe(2)
    g.finish(2)
    await settle()
    expect((await cache.read('c', g.compute))?.value).toBe(2)
    // Each key apart.
    const other = cache.read('d', g.compute)
    g.finish(2)
    g.finish(7)
    expect((await other)?.value).toBe(7)
  })

  it('waits after a slow computation before the next, so polls cost a share of the worker', async () => {
    const cache = slowFigures<number>({ quickMs: 0, share: 0.01 })
    let n = 0
    const compute = () => new Promise<number>((resolve) => setTimeout(() => resolve(++n), 30))
    expect((await cache.read('c', compute))?.value).toBe(1)
    // 30 ms of work: none other for about 99 times that.
    for (let i = 0; i < 5; i++) expect(await cache.read('c', compute)).toMatchObject({ value: 1, refreshing: false })
    expect(n).toBe(1)
  })

  it('gives a first read null after waitMs and lets the computation go on', async () => {
    const cache = slowFigures<number>({ quickMs: 0, share: 1 })
    const g = gated()
    expect(await cache.read('c', g.compute, 10)).toBeNull()
    expect(await cache.read('c', g.compute, 10)).toBeNull()
    expect(g.started()).toBe(1)
    g.finish(5)
    await settle()
    expect((await cache.read('c', g.compute, 10))?.value).toBe(5)
  })

  it('tells of a background failure, keeps the last figures and tries again at the next read', async () => {
    const errors: unknown[] = []
    const cache = slowFigures<number>({ quickMs: 0, share: 1, onError: (e) => errors.push(e) })
    let fail = false
    let n = 0
    const compute = async () => {
      if (fail) throw new Error('worker gone')
      return ++n
    }
    await cache.read('c', compute)
    fail = true
    expect((await cache.read('c', compute))?.value).toBe(1)
    await settle()
    expect(errors).toHaveLength(1)
    fail = false
    expect((await cache.read('c', compute))?.value).toBe(1)
    await settle()
    expect((await cache.read('c', compute))?.value).toBe(2)
    // A first computation that fails fails its reader.
    await expect(slowFigures<number>().read('x', async () => Promise.reject(new Error('no')))).rejects.toThrow('no')
  })
})
