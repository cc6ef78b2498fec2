import { z } from 'zod'

/** `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM` (a date-time input), read as UTC; empty means no bound. */
const instant = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined
    const ms = Date.parse(/T\d\d:\d\d(:\d\d)?$/.test(v) ? `${v}Z` : v)
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: 'custom', message: 'Enter a date as YYYY-MM-DD, or a date and time.' })
      return z.NEVER
    }
    return ms
  })

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => v || undefined)

const country = z
  .string()
  .trim()
  .toUpperCase()
  .optional()
  .transform((v) => v || undefined)
  .refine((v) => v === undefined || /^[A-Z]{2}$/.test(v), 'Choose a country.')

export const SearchSchema = z.object({
  email: text(254),
  name: text(100),
  country,
  domain: text(253),
  ip: text(64),
  from: instant,
  to: instant,
  status: z.enum(['pending', 'verified', 'invalidated']).optional().or(z.literal('').transform(() => undefined)),
  mismatch: z
    .string()
    .optional()
    .transform((v) => v === '1' || v === 'on'),
})

/** A rule's fields carry an r_ prefix so a rule and a search can share one page address. */
export const RuleSchema = z.object({
  r_domain: text(253),
  r_ip: text(64),
  r_country: country,
  r_from: instant,
  r_to: instant,
})

export type SearchParams = z.infer<typeof SearchSchema>
export type RuleParams = z.infer<typeof RuleSchema>

export const ruleFromParams = (r: RuleParams) => ({ domain: r.r_domain, ipHash: r.r_ip, country: r.r_country, from: r.r_from, to: r.r_to })

/** Epoch ms as the value of a datetime-local input, in UTC. */
export const toInputValue = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString().slice(0, 16))

export const formatUtc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`
