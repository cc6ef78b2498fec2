import { describe, expect, it } from 'vitest'
import { commitmentOf, countryCommitmentOf, countryFigure, countryOpening, countryTotalRange, encodeLeaf, parseLeaf, tally, type Leaf } from './leaf'

// ADR 129: version 2 entries name no country; a letter opens its own country's and no other's.
const key = Buffer.alloc(32, 9)
const c = (n: number) => commitmentOf(Buffer.alloc(32, n))
const opening = (id: string) => countryOpening(key, id)
const add = (id: string, country: string, kind: 'confirm' | 'restore' = 'confirm'): Leaf => ({ kind, countryCommitment: countryCommitmentOf(country, opening(id)), commitment: c(id.length) })
const open = (i: number, id: string): [number, string] => [i, opening(id).toString('hex')]

describe('log entries, versions 1 and 2', () => {
  it('writes version 2 with no country code, and reads both versions back exactly', () => {
    const cc = countryCommitmentOf('IR', opening('s1'))
    const v2: Leaf[] = [
      { kind: 'confirm', countryCommitment: cc, commitment: c(1) },
      { kind: 'restore', countryCommitment: cc, commitment: c(1) },
      { kind: 'withdraw', removes: 0 },
      { kind: 'invalidate', removes: 12 },
    ]
    expect(v2.map(encodeLeaf)).toEqual([`confirm ${cc} ${c(1)}\n`, `restore ${cc} ${c(1)}\n`, 'withdraw 0\n', 'invalidate 12\n'])
    for (const text of v2.map(encodeLeaf)) expect(text).not.toMatch(/ [A-Z]{2} /)
    const v1: Leaf[] = [
      { kind: 'confirm', country: 'IR', commitment: c(1) },
      { kind: 'invalidate', country: 'FR', removes: 3 },
    ]
    for (const l of [...v2, ...v1]) expect(parseLeaf(encodeLeaf(l))).toEqual(l)
    for (const bad of [
      `confirm ${cc}\n`,
      `confirm ${cc} ${c(1)}`,
      `confirm ${cc.toUpperCase()} ${c(1)}\n`,
      `withdraw ${cc}\n`,
      'withdraw 01\n',
      'withdraw -1\n',
      `confirm 7 ${c(1)}\n`,
      `withdraw IR ${cc} 3\n`,
      `confirm ${cc.slice(2)} ${c(1)}\n`,
      'withdraw 12345678901234567\n',
    ])
      expect(() => parseLeaf(bad), bad).toThrow()
  })

  it('derives the opening from the key and the signature id, and the commitment binds the country', () => {
    expect(opening('s1')).toHaveLength(16)
    expect(opening('s1').equals(opening('s2'))).toBe(false)
    expect(countryOpening(Buffer.alloc(32, 8), 's1').equals(opening('s1'))).toBe(false)
    expect(countryCommitmentOf('IR', opening('s1'))).not.toBe(countryCommitmentOf('FR', opening('s1')))
    expect(countryCommitmentOf('IR', opening('s1'))).toMatch(/^[0-9a-f]{64}$/)
  })
})

describe('the recount of a log mixing versions 1 and 2', () => {
  // 0-2 version 1 (IR, IR, FR); 3-6 version 2 (IR, FR, IR, IR); then removals of both kinds.
  const log: Leaf[] = [
    { kind: 'confirm', country: 'IR', commitment: c(1) },
    { kind: 'confirm', country: 'IR', commitment: c(2) },
    { kind: 'confirm', country: 'FR', commitment: c(3) },
    { kind: 'withdraw', country: 'IR', removes: 0 },
    add('a', 'IR'),
    add('bb', 'FR'),
    add('ccc', 'IR'),
    { kind: 'invalidate', removes: 1 },
    { kind: 'withdraw', removes: 6 },
    add('dddd', 'IR', 'restore'),
  ]
  const t = tally(log)

  it('counts version 1 adds for their country, version 2 adds in the total only, and a version 2 removal of a version 1 add against its country', () => {
    expect(t.total).toBe(4)
    expect(Object.fromEntries(t.counts)).toEqual({ IR: 0, FR: 1 })
    expect([...t.hidden].sort((a, b) => a - b)).toEqual([4, 5, 9])
    expect(t.removed).toEqual(
      new Map([
        [0, 3],
        [1, 7],
        [6, 8],
      ]),
    )
  })

  it('refuses a removal of what comes later, of a removal, twice, or (version 1) across countries or of a version 2 add', () => {
    expect(() => tally([{ kind: 'withdraw', removes: 0 }])).toThrow(/comes after/)
    expect(() => tally([add('a', 'IR'), { kind: 'withdraw', removes: 0 }, { kind: 'invalidate', removes: 1 }])).toThrow(/not a signature/)
    expect(() => tally([add('a', 'IR'), { kind: 'withdraw', removes: 0 }, { kind: 'invalidate', removes: 0 }])).toThrow(/second time/)
    expect(() => tally([{ kind: 'confirm', country: 'IR', commitment: c(1) }, { kind: 'withdraw', country: 'IR', removes: 0 }, { kind: 'withdraw', removes: 0 }])).toThrow(/second time/)
    expect(() => tally([{ kind: 'confirm', country: 'IR', commitment: c(1) }, { kind: 'withdraw', country: 'FR', removes: 0 }])).toThrow(/another country/)
    expect(() => tally([add('a', 'IR'), { kind: 'withdraw', country: 'IR', removes: 0 }])).toThrow(/another country/)
  })

  it('gives a country’s figure from its version 1 count and its openings, and refuses any other opening', () => {
    expect(countryFigure(log, t, 'IR', [open(4, 'a'), open(9, 'dddd')])).toBe(2)
    expect(countryFigure(log, t, 'FR', [open(5, 'bb')])).toBe(2)
    expect(countryFigure(log, t, 'DE', [])).toBe(0)
    // Opened to the wrong country.
    expect(() => countryFigure(log, t, 'FR', [open(4, 'a')])).toThrow(/does not open it to FR/)
    // Another signature's opening.
    expect(() => countryFigure(log, t, 'IR', [[4, opening('dddd').toString('hex')]])).toThrow(/does not open it to IR/)
    // The same index twice, to inflate the figure.
    expect(() => countryFigure(log, t, 'IR', [open(4, 'a'), open(4, 'a')])).toThrow(/opened twice/)
    // An add removed before the cited size (6 was withdrawn at 8).
    expect(() => countryFigure(log, t, 'IR', [open(6, 'ccc')])).toThrow(/not a counted version 2 signature/)
    // A version 1 entry, a removal, and an index beyond the log.
    expect(() => countryFigure(log, t, 'IR', [open(1, 'a')])).toThrow(/not a counted version 2 signature/)
    expect(() => countryFigure(log, t, 'IR', [open(7, 'a')])).toThrow(/not a counted version 2 signature/)
    expect(() => countryFigure(log, t, 'IR', [open(40, 'a')])).toThrow(/not a counted version 2 signature/)
    // Malformed: short, upper case, negative.
    for (const bad of [[4, opening('a').toString('hex').slice(2)], [4, opening('a').toString('hex').toUpperCase()], [-1, opening('a').toString('hex')]] as [number, string][])
      expect(() => countryFigure(log, t, 'IR', [bad])).toThrow(/malformed/)
    // Counted at a size before the withdrawal at 8, entry 6 is live and opens.
    const early = log.slice(0, 8)
    expect(countryFigure(early, tally(early), 'IR', [open(4, 'a'), open(6, 'ccc')])).toBe(2)
  })

  it('bounds the number of countries between those known and those plus the adds left unopened', () => {
    // Known: FR (version 1); IR's letter adds IR and opens 2 of the 3 hidden adds.
    expect(countryTotalRange(t, { country: 'IR', figure: 2, opened: 2 })).toEqual({ min: 2, max: 3 })
    // A country with no signer adds nothing to the known ones.
    expect(countryTotalRange(t, { country: 'DE', figure: 0, opened: 0 })).toEqual({ min: 1, max: 4 })
    // Elsewhere (ZZ) is never a country; a UN letter opens nothing.
    expect(countryTotalRange(t, { country: 'ZZ', figure: 1, opened: 1 })).toEqual({ min: 1, max: 3 })
    expect(countryTotalRange(t, null)).toEqual({ min: 1, max: 4 })
    // A version 1 log alone: the range is exact.
    expect(countryTotalRange(tally(log.slice(0, 4)), null)).toEqual({ min: 2, max: 2 })
  })
})
