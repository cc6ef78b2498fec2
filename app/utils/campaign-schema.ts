import { z } from 'zod'
import { LOCALE_NAMES, LOCALES, type Locale } from '~/i18n/locales'
import { countryName, isCountryCode } from '~/utils/countries'

export const CAMPAIGN_STATUSES = ['draft', 'open', 'closed', 'archived'] as const
/** Paths under /admin/campaigns/ that a slug may not take. */
const RESERVED_SLUGS = new Set(['new'])
const COPY_FIELDS = ['title', 'summary', 'story', 'ask'] as const
const COPY_LABELS: Record<(typeof COPY_FIELDS)[number], string> = { title: 'a title', summary: 'a summary', story: 'the story', ask: 'the ask' }

const text = (max: number) => z.string().trim().max(max, `Keep this under ${max.toLocaleString('en')} characters.`).optional()

const CopySchema = z
  .object({ title: text(200), summary: text(600), story: text(50_000), ask: text(10_000), milestones: text(5_000), victory: text(300) })
  .optional()

export interface CountryGoal {
  country: string
  goal: number
}

/** "SE 1000" per line (a comma or colon may separate them); blank lines are ignored. */
export function parseCountryGoals(source: string): { goals: CountryGoal[]; errors: string[] } {
  const goals: CountryGoal[] = []
  const errors: string[] = []
  const seen = new Set<string>()
  source.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim()
    if (!line) return
    const match = /^([A-Za-z]{2})\s*[:,]?\s*(\d{1,9})$/.exec(line)
    if (!match) return void errors.push(`Line ${i + 1}: write a country code and a number, like “SE 1000”.`)
    const country = match[1].toUpperCase()
    const goal = Number(match[2])
    if (!isCountryCode(country)) return void errors.push(`Line ${i + 1}: “${match[1]}” is not the code of a UN member or observer state.`)
    if (goal < 1) return void errors.push(`Line ${i + 1}: a goal must be at least 1.`)
    if (seen.has(country)) return void errors.push(`Line ${i + 1}: ${countryName(country, 'en')} already has a goal.`)
    seen.add(country)
    goals.push({ country, goal })
  })
  return { goals, errors }
}

export interface Milestone {
  threshold: number
  text: string
}

/**
 * One language's milestones as organisers type them, one a line: "10000: we deliver the letters"
 * (a number, a colon, the text; blank lines ignored). The milestones, or the first bad line.
 */
export function parseMilestones(source: string): { ok: true; milestones: Milestone[] } | { ok: false; line: number } {
  const milestones: Milestone[] = []
  const seen = new Set<number>()
  const lines = source.split(/\r?\n/u)
  for (let i = 0; i < lines.length; i++) {
    // Persian and Arabic-Indic digits read as the same numbers.
    const line = lines[i]!.trim().replace(/[۰-۹٠-٩]/gu, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d) >= 0 ? '۰۱۲۳۴۵۶۷۸۹'.indexOf(d) : '٠١٢٣٤٥٦٧٨٩'.indexOf(d)))
    if (!line) continue
    const m = /^(\d[\d ,.\u202f\u00a0]*?)\s*[:：]\s*(\S.{0,199})$/u.exec(line)
    const threshold = m ? Number(m[1]!.replace(/[ ,.\u202f\u00a0]/gu, '')) : NaN
    if (!m || !Number.isSafeInteger(threshold) || threshold < 1 || threshold > 1_000_000_000 || seen.has(threshold) || milestones.length >= 20)
      return { ok: false, line: i + 1 }
    seen.add(threshold)
    milestones.push({ threshold, text: m[2]!.trim() })
  }
  return { ok: true, milestones: milestones.sort((a, b) => a.threshold - b.threshold) }
}

export const formatMilestones = (milestones: Milestone[] | undefined) => (milestones ?? []).map((m) => `${m.threshold}: ${m.text}`).join('\n')

/** The end date as the instant signing stops: the end of that day, UTC. */
export const endsAtOf = (endsOn: string | undefined) => (endsOn ? Date.parse(`${endsOn}T00:00:00Z`) + 86_400_000 : null)
export const endsOnOf = (endsAt: number | null) => (endsAt === null ? '' : new Date(Number(endsAt) - 86_400_000).toISOString().slice(0, 10))

export const formatCountryGoals = (goals: CountryGoal[]) => goals.map((g) => `${g.country} ${g.goal}`).join('\n')

/** The campaign form, checked the same way in the browser and on the server. */
export const CampaignSchema = z
  .object({
    slug: z
      .string({ error: 'Enter the address (slug) of the campaign.' })
      .trim()
      .toLowerCase()
      .min(3, 'Use at least 3 characters.')
      .max(80, 'Use at most 80 characters.')
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lower-case letters, digits and single hyphens only, like “justice-for-1988”.')
      .refine((s) => !RESERVED_SLUGS.has(s), 'This address is reserved; choose another.'),
    status: z.enum(CAMPAIGN_STATUSES, { error: 'Choose a status.' }),
    defaultLocale: z.enum(LOCALES, { error: 'Choose the default language.' }),
    goal: z
      .number({ error: 'Enter the overall goal as a whole number.' })
      .int('Enter the overall goal as a whole number.')
      .min(1, 'The goal must be at least 1.')
      .max(1_000_000_000, 'The goal is too large.'),
    countryGoals: z.string().max(20_000, 'Too many country goals.').optional(),
    /** The last day signatures are taken (UTC), YYYY-MM-DD; empty for no end date (ADR 108). */
    endsOn: z
      .string()
      .trim()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the end date as a date, like 2027-03-31.')
      .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'Enter a real date, like 2027-03-31.')
      .optional(),
    victory: z.boolean().optional(),
    copy: z.object(Object.fromEntries(LOCALES.map((l) => [l, CopySchema])) as Record<Locale, typeof CopySchema>).optional(),
  })
  .superRefine((value, ctx) => {
    for (const locale of LOCALES) {
      const copy = value.copy?.[locale]
      const given = COPY_FIELDS.filter((f) => copy?.[f])
      const required = locale === value.defaultLocale || given.length > 0
      if (!required) continue
      for (const field of COPY_FIELDS) {
        if (!copy?.[field]) {
          const why = locale === value.defaultLocale ? 'the default language' : 'a language you started'
          ctx.addIssue({ code: 'custom', path: ['copy', locale, field], message: `Enter ${COPY_LABELS[field]} in ${LOCALE_NAMES[locale]} (${why}).` })
        }
      }
    }
    for (const locale of LOCALES) {
      const parsed = parseMilestones(value.copy?.[locale]?.milestones ?? '')
      if (!parsed.ok) {
        ctx.addIssue({
          code: 'custom',
          path: ['copy', locale, 'milestones'],
          message: `Milestones in ${LOCALE_NAMES[locale]}, line ${parsed.line}: write a number of signatures, a colon and the text, like “10000: we deliver the letters” (each number once, at most 20).`,
        })
      }
    }
    if (value.victory && !value.copy?.[value.defaultLocale]?.victory) {
      ctx.addIssue({ code: 'custom', path: ['copy', value.defaultLocale, 'victory'], message: `Say what was won, in ${LOCALE_NAMES[value.defaultLocale]} (the default language).` })
    }
    const { errors } = parseCountryGoals(value.countryGoals ?? '')
    for (const message of errors) ctx.addIssue({ code: 'custom', path: ['countryGoals'], message })
  })

export type CampaignFormValue = z.infer<typeof CampaignSchema>
