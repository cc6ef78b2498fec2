import type { DB } from '~/db.server'
import type { Locale } from '~/i18n/locales'
import type { Milestone } from '~/utils/campaign-schema'
import { renderMarkdown } from '~/infra/markdown.server'

/**
 * What a campaign is now, for signing and for its page: an open campaign past its end date, or one
 * whose organisers declared a victory, takes no signature and no confirmation (ADR 108).
 */
export function effectiveStatus(c: { status: string; ends_at?: number | null; victory_at?: number | null }, now = Date.now()): string {
  if (c.status !== 'open') return c.status
  if (c.victory_at != null) return 'closed'
  if (c.ends_at != null && Number(c.ends_at) <= now) return 'closed'
  return 'open'
}

export type { Milestone } from '~/utils/campaign-schema'

/** The milestones in the reader's language, else in the campaign's default language; lowest first. */
export async function milestonesFor(db: DB, campaignId: string, locale: string, defaultLocale: string): Promise<Milestone[]> {
  const rows = await db
    .selectFrom('campaign_milestones')
    .select(['locale', 'threshold', 'text'])
    .where('campaign_id', '=', campaignId)
    .where('locale', 'in', [locale, defaultLocale])
    .orderBy('threshold')
    .execute()
  const own = rows.filter((r) => r.locale === locale)
  return (own.length ? own : rows.filter((r) => r.locale === defaultLocale)).map((r) => ({ threshold: Number(r.threshold), text: r.text }))
}

/** Every language's milestones, for the edit form. */
export async function allMilestones(db: DB, campaignId: string): Promise<Record<string, Milestone[]>> {
  const rows = await db.selectFrom('campaign_milestones').select(['locale', 'threshold', 'text']).where('campaign_id', '=', campaignId).orderBy('threshold').execute()
  const out: Record<string, Milestone[]> = {}
  for (const r of rows) (out[r.locale] ??= []).push({ threshold: Number(r.threshold), text: r.text })
  return out
}

/** Replaces one language's milestones, in the caller's transaction. */
export async function replaceMilestones(db: DB, campaignId: string, locale: Locale, milestones: Milestone[]) {
  await db.deleteFrom('campaign_milestones').where('campaign_id', '=', campaignId).where('locale', '=', locale).execute()
  if (milestones.length === 0) return
  await db
    .insertInto('campaign_milestones')
    .values(milestones.map((m) => ({ campaign_id: campaignId, locale, threshold: m.threshold, text: m.text })))
    .execute()
}

/** Sent updates an organiser chose to publish, newest first, each in the reader's language where it has one. */
export async function publicUpdates(db: DB, campaignId: string, locale: string, limit = 50) {
  const updates = await db
    .selectFrom('news_updates')
    .select(['id', 'default_locale', 'send_started_at', 'updated_at'])
    .where('campaign_id', '=', campaignId)
    .where('is_public', '=', 1)
    .where('status', '!=', 'draft')
    .orderBy('send_started_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute()
  if (updates.length === 0) return []
  const copies = await db
    .selectFrom('news_update_translations')
    .select(['update_id', 'locale', 'subject', 'body_md'])
    .where('update_id', 'in', updates.map((u) => u.id))
    .execute()
  return updates.map((u) => {
    const mine = copies.filter((c) => c.update_id === u.id)
    const copy = mine.find((c) => c.locale === locale) ?? mine.find((c) => c.locale === u.default_locale)!
    return {
      id: u.id,
      sentAt: Number(u.send_started_at),
      locale: copy.locale,
      title: copy.subject,
      bodyHtml: renderMarkdown(copy.body_md),
    }
  })
}

export type PublicUpdate = Awaited<ReturnType<typeof publicUpdates>>[number]

export async function publicUpdate(db: DB, campaignId: string, updateId: string, locale: string): Promise<PublicUpdate | null> {
  const found = await db
    .selectFrom('news_updates')
    .select(['id', 'default_locale', 'send_started_at'])
    .where('id', '=', updateId)
    .where('campaign_id', '=', campaignId)
    .where('is_public', '=', 1)
    .where('status', '!=', 'draft')
    .executeTakeFirst()
  if (!found) return null
  const copies = await db.selectFrom('news_update_translations').select(['locale', 'subject', 'body_md']).where('update_id', '=', updateId).execute()
  const copy = copies.find((c) => c.locale === locale) ?? copies.find((c) => c.locale === found.default_locale)!
  return { id: found.id, sentAt: Number(found.send_started_at), locale: copy.locale, title: copy.subject, bodyHtml: renderMarkdown(copy.body_md) }
}

/** Publishes or withdraws an update from the public list; a draft can be marked ahead of sending. */
export async function setUpdatePublic(db: DB, campaignId: string, updateId: string, isPublic: boolean, now = Date.now()) {
  const res = await db
    .updateTable('news_updates')
    .set({ is_public: isPublic ? 1 : 0, updated_at: now })
    .where('id', '=', updateId)
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}

/**
 * The public map and the public counts never show a country's figure below this: one to four
 * signers in a small state could point at people (ADR 107). The organisers' dashboard and their
 * CSV show exact figures.
 */
export const PUBLIC_MAP_MIN = 5

/**
 * Per-country counts as the public may see them (ADR 107, ADR 113), most first: a country with
 * fewer than `min` verified signers is withheld (count null), and so is the next smallest country,
 * then the next, for as long as the exact total would let a reader work out a withheld figure.
 * The map, the page's list of countries and `/campaigns/:slug.json`/`.csv` all read this one function.
 */
export function maskSmallCounts<T extends { code: string; count: number }>(byCountry: T[], min = PUBLIC_MAP_MIN) {
  const rows = byCountry.filter((c) => c.count > 0).sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
  // Rows are most first, so the withheld ones are always the last `held` rows.
  let held = rows.filter((c) => c.count < min).length
  while (held > 0 && held < rows.length && figureWorkedOut(rows, held)) held++
  return rows.map((c, i) => ({ code: c.code, count: i < rows.length - held ? c.count : null }))
}

/**
 * Whether a reader who has the exact total and the published figures could pin a withheld one down.
 * They know the withheld figures' sum, that each is at least 1, and (knowing this rule) that none is
 * above the smallest published figure; every withheld figure then lies in [lo, hi], the same bounds
 * for each, and one is known exactly when lo = hi: one withheld country, all withheld at 1, or all
 * at that smallest published figure.
 */
function figureWorkedOut(rows: { count: number }[], held: number): boolean {
  if (held === 1) return true
  const shown = rows.slice(0, rows.length - held)
  const sum = rows.slice(rows.length - held).reduce((n, c) => n + c.count, 0)
  const ceiling = shown.length ? shown[shown.length - 1].count : Infinity
  const lo = Math.max(1, sum - (held - 1) * ceiling)
  const hi = Math.min(ceiling, sum - (held - 1))
  return lo >= hi
}

/** Root-relative links and images in a body, made absolute: a feed reader has no page to resolve them against. */
export function absoluteLinks(html: string, appUrl: string): string {
  return html.replace(/\b(href|src)="\/(?!\/)/gu, `$1="${appUrl}/`)
}

/** The Atom document of a campaign's public updates in the reader's language. */
export async function updatesFeed(
  db: DB,
  c: { campaign: { id: string; slug: string; created_at: number }; title: string; summary: string },
  locale: Locale,
  appUrl: string,
): Promise<string> {
  const { Feed } = await import('feed')
  const updates = await publicUpdates(db, c.campaign.id, locale)
  const page = `${appUrl}/campaigns/${c.campaign.slug}`
  const feed = new Feed({
    id: `${page}/updates`,
    title: c.title,
    description: c.summary,
    link: `${page}/updates?lang=${locale}`,
    language: locale,
    updated: new Date(updates[0]?.sentAt ?? Number(c.campaign.created_at)),
    generator: false,
    copyright: '',
    feedLinks: { atom: `${page}/updates.atom?lang=${locale}` },
    author: { name: c.title, link: page },
  })
  for (const u of updates) {
    feed.addItem({
      // The id stays the same whatever the language the feed is read in.
      id: `${page}/updates/${u.id}`,
      title: u.title,
      link: `${page}/updates/${u.id}?lang=${u.locale}`,
      date: new Date(u.sentAt),
      published: new Date(u.sentAt),
      content: absoluteLinks(u.bodyHtml, appUrl),
    })
  }
  return feed.atom1()
}
