/**
 * New York office hours (Mon-Fri 9:00-17:00 America/New_York), computed with Intl alone: the
 * offset of New York at a given instant comes from the formatter, so daylight saving is handled
 * without a time zone package. Public holidays are not known here.
 */
const ZONE = 'America/New_York'
const OPEN_HOUR = 9
const CLOSE_HOUR = 17

const parts = new Intl.DateTimeFormat('en-US', {
  timeZone: ZONE,
  hourCycle: 'h23',
  weekday: 'short',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
})

interface WallTime {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  weekday: string
}

export function newYorkTime(ms: number): WallTime {
  const p = Object.fromEntries(parts.formatToParts(ms).map((x) => [x.type, x.value]))
  return { year: +p.year, month: +p.month, day: +p.day, hour: +p.hour, minute: +p.minute, second: +p.second, weekday: p.weekday }
}

/** The instant at which New York's clocks show this date at this hour. */
function newYorkInstant(year: number, month: number, day: number, hour: number): number {
  let guess = Date.UTC(year, month - 1, day, hour)
  // Two corrections settle it, across a daylight saving change too.
  for (let i = 0; i < 2; i++) {
    const w = newYorkTime(guess)
    const shown = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second)
    guess += Date.UTC(year, month - 1, day, hour) - shown
  }
  return guess
}

const WORKDAYS = new Set(['Mon', 'Tue', 'Wed', 'Thu', 'Fri'])

export function isOfficeHours(ms: number): boolean {
  const w = newYorkTime(ms)
  return WORKDAYS.has(w.weekday) && w.hour >= OPEN_HOUR && w.hour < CLOSE_HOUR
}

/** `ms` itself if New York's offices are open then, otherwise the next opening. */
export function nextOfficeSlot(ms: number): number {
  let t = ms
  for (let i = 0; i < 8; i++) {
    if (isOfficeHours(t)) return t
    const w = newYorkTime(t)
    if (WORKDAYS.has(w.weekday) && w.hour < OPEN_HOUR) return newYorkInstant(w.year, w.month, w.day, OPEN_HOUR)
    // After closing or on a weekend: the next day's opening, checked again on the next turn.
    const nextDay = new Date(Date.UTC(w.year, w.month - 1, w.day + 1))
    t = newYorkInstant(nextDay.getUTCFullYear(), nextDay.getUTCMonth() + 1, nextDay.getUTCDate(), OPEN_HOUR)
  }
  return t
}
