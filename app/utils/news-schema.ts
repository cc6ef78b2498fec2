import { z } from 'zod'
import { LOCALES } from '~/i18n/locales'

export const UpdateCopySchema = z.object({
  locale: z.enum(LOCALES, { error: 'Choose a language.' }),
  subject: z.string({ error: 'Write a subject.' }).trim().min(1, 'Write a subject.').max(150, 'Keep the subject under 150 characters.'),
  body: z.string({ error: 'Write the update.' }).trim().min(1, 'Write the update.').max(10_000, 'Keep the update under 10,000 characters.'),
})

/** `YYYY-MM-DDTHH:MM` as a datetime-local field sends it, read as UTC (the organisers' pages show UTC). */
const UTC_MINUTE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/

export function parseUtcMinute(value: string): number | null {
  const m = UTC_MINUTE.exec(value.trim())
  if (!m) return null
  const [y, mo, d, h, mi] = m.slice(1).map(Number)
  const at = Date.UTC(y, mo - 1, d, h, mi)
  const back = new Date(at)
  // Refuses 2026-02-31 and 25:00, which Date.UTC would roll over.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || back.getUTCHours() !== h) return null
  return at
}

/** The schedule form: a time at least a minute ahead and at most `maxAheadMs` ahead of `now`. */
export const scheduleSchema = (now: number, maxAheadMs: number) =>
  z.object({
    sendAt: z
      .string({ error: 'Give the date and time to send it (UTC).' })
      .transform((value, ctx) => {
        const at = parseUtcMinute(value)
        if (at === null) {
          ctx.addIssue({ code: 'custom', message: 'Give the date and time as YYYY-MM-DD HH:MM (UTC).' })
          return z.NEVER
        }
        return at
      })
      .refine((at) => at >= now + 60_000, 'Choose a time at least a minute from now (UTC).')
      .refine((at) => at <= now + maxAheadMs, 'Choose a time within the next 90 days.'),
  })
