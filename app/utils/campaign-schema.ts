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
  .object({ title: text(200), summary: text(600), story: text(50_000), ask: text(10_000) })
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
    const { errors } = parseCountryGoals(value.countryGoals ?? '')
    for (const message of errors) ctx.addIssue({ code: 'custom', path: ['countryGoals'], message })
  })

export type CampaignFormValue = z.infer<typeof CampaignSchema>
