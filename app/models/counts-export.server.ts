import type { DB } from '~/db.server'
import { getCampaign, getCampaignStats } from '~/models/campaign.server'
import { maskSmallCounts } from '~/models/campaign-story.server'
import { countryName, type UiLocale } from '~/utils/countries'

/**
 * Public counts in the field names of the UK Parliament petitions API. A withheld country's
 * `signature_count` is null: fewer than 5, or held back so that no small figure can be worked out
 * from the exact total (ADR 107, ADR 113), by the same function as the public map.
 */
export async function publicCounts(db: DB, slug: string, locale: UiLocale, cacheMs: number) {
  const found = await getCampaign(db, slug, locale)
  if (!found) return null
  const stats = await getCampaignStats(db, found.campaign.id, cacheMs)
  return {
    slug: found.campaign.slug,
    title: found.copy.title,
    signature_count: stats.verified,
    signatures_by_country: maskSmallCounts(stats.byCountry).map((c) => ({ code: c.code, name: countryName(c.code, locale), signature_count: c.count })),
  }
}

// A spreadsheet may read a formula after leading spaces, and some read the full-width signs as ASCII.
export const FORMULA_START = /^[\s\u00A0]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r\n]/

/** A CSV cell that a spreadsheet shows as text, never runs as a formula. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return ''
  let s = String(value)
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`
  return /[",\r\n']/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s
}
