import { describe, expect, it } from 'vitest'
import { isOfficeHours, newYorkTime, nextOfficeSlot } from './office-hours'

const iso = (ms: number) => new Date(ms).toISOString()

describe('New York office hours', () => {
  it('keeps a time inside office hours', () => {
    // Wednesday 14:00 in New York (EDT, UTC-4).
    const t = Date.parse('2026-07-15T18:00:00Z')
    expect(isOfficeHours(t)).toBe(true)
    expect(nextOfficeSlot(t)).toBe(t)
  })

  it('moves an early morning to 9:00 the same day, in summer and in winter time', () => {
    expect(iso(nextOfficeSlot(Date.parse('2026-07-15T10:00:00Z')))).toBe('2026-07-15T13:00:00.000Z')
    expect(iso(nextOfficeSlot(Date.parse('2026-01-14T10:00:00Z')))).toBe('2026-01-14T14:00:00.000Z')
  })

  it('moves an evening, a Friday night and a weekend to the next working morning', () => {
    // Wednesday 17:30 EDT -> Thursday 9:00.
    expect(iso(nextOfficeSlot(Date.parse('2026-07-15T21:30:00Z')))).toBe('2026-07-16T13:00:00.000Z')
    // Friday 18:00 EDT -> Monday 9:00.
    expect(iso(nextOfficeSlot(Date.parse('2026-07-17T22:00:00Z')))).toBe('2026-07-20T13:00:00.000Z')
    // Saturday -> Monday.
    expect(iso(nextOfficeSlot(Date.parse('2026-07-18T15:00:00Z')))).toBe('2026-07-20T13:00:00.000Z')
  })

  it('crosses the change to winter time on the right hour', () => {
    // Daylight saving ends Sunday 1 November 2026: Monday opens at 14:00 UTC.
    const slot = nextOfficeSlot(Date.parse('2026-10-31T12:00:00Z'))
    expect(iso(slot)).toBe('2026-11-02T14:00:00.000Z')
    expect(newYorkTime(slot)).toMatchObject({ hour: 9, minute: 0, weekday: 'Mon' })
  })
})
