import { randomUUID } from 'node:crypto'
import { isUniqueViolation, type Campaign, type CampaignStatus, type DB } from '~/db.server'
import { openCounters } from '~/models/counters.server'
import type { Milestone } from '~/utils/campaign-schema'

export interface CampaignCopyInput {
  title: string
  summary: string
  story: string
  ask: string
  /** The short text of a victory, shown once one is declared (ADR 108). */
  victory?: string | null
}

export interface CampaignInput {
  slug: string
  status: CampaignStatus
  defaultLocale: string
  goal: number
  /** By locale; the default locale must be present. */
  copies: Record<string, CampaignCopyInput>
  countryGoals: { country: string; goal: number }[]
  /** By locale, lowest first (ADR 108). */
  milestones?: Record<string, Milestone[]>
  /** The instant signing stops; null for no end date. */
  endsAt?: number | null
  /** Declared won: the page says so and takes no signature. */
  victory?: boolean
}

export type SaveResult = { ok: true; campaign: Campaign; changed: string[] } | { ok: false; reason: 'slug-taken' | 'not-found' }

/** Every campaign, drafts and archived ones included, with its title in its default language. */
export async function listCampaignsForOrganisers(db: DB) {
  return db
    .selectFrom('campaigns')
    .leftJoin('campaign_translations', (j) =>
      j.onRef('campaign_translations.campaign_id', '=', 'campaigns.id').onRef('campaign_translations.locale', '=', 'campaigns.default_locale'),
    )
    .leftJoin('campaign_counts', 'campaign_counts.campaign_id', 'campaigns.id')
    .select(['campaigns.slug', 'campaigns.status', 'campaigns.goal', 'campaign_translations.title', 'campaign_counts.verified_count'])
    .orderBy('campaigns.sort_order')
    .orderBy('campaigns.created_at')
    .execute()
}

export async function findCampaignBySlug(db: DB, slug: string) {
  return db.selectFrom('campaigns').selectAll().where('slug', '=', slug).executeTakeFirst()
}

/** A campaign with all its copy and country goals, for the edit form. */
export async function getCampaignForEdit(db: DB, slug: string) {
  const campaign = await findCampaignBySlug(db, slug)
  if (!campaign) return null
  const [translations, countryGoals, milestones] = await Promise.all([
    db.selectFrom('campaign_translations').selectAll().where('campaign_id', '=', campaign.id).execute(),
    getCountryGoals(db, campaign.id),
    db.selectFrom('campaign_milestones').select(['locale', 'threshold', 'text']).where('campaign_id', '=', campaign.id).orderBy('threshold').execute(),
  ])
  const byLocale: Record<string, Milestone[]> = {}
  for (const m of milestones) (byLocale[m.locale] ??= []).push({ threshold: Number(m.threshold), text: m.text })
  return { campaign, translations, countryGoals, milestones: byLocale }
}

export async function getCountryGoals(db: DB, campaignId: string) {
  const rows = await db
    .selectFrom('campaign_country_goals')
    .select(['country_code', 'goal'])
    .where('campaign_id', '=', campaignId)
    .orderBy('country_code')
    .execute()
  return rows.map((r) => ({ country: r.country_code, goal: r.goal }))
}

async function writeCopiesAndGoals(trx: DB, campaignId: string, input: CampaignInput, now: number) {
  await trx.deleteFrom('campaign_translations').where('campaign_id', '=', campaignId).execute()
  for (const [locale, copy] of Object.entries(input.copies)) {
    await trx
      .insertInto('campaign_translations')
      .values({ campaign_id: campaignId, locale, title: copy.title, summary: copy.summary, story_md: copy.story, ask_md: copy.ask, victory_text: copy.victory ?? null, updated_at: now })
      .execute()
  }
  await trx.deleteFrom('campaign_milestones').where('campaign_id', '=', campaignId).execute()
  for (const [locale, list] of Object.entries(input.milestones ?? {})) {
    if (list.length) await trx.insertInto('campaign_milestones').values(list.map((m) => ({ campaign_id: campaignId, locale, threshold: m.threshold, text: m.text }))).execute()
  }
  await trx.deleteFrom('campaign_country_goals').where('campaign_id', '=', campaignId).execute()
  for (const g of input.countryGoals) {
    await trx.insertInto('campaign_country_goals').values({ campaign_id: campaignId, country_code: g.country, goal: g.goal }).execute()
  }
}

export async function createCampaign(db: DB, input: CampaignInput, now = Date.now()): Promise<SaveResult> {
  const campaign: Campaign = {
    id: randomUUID(),
    slug: input.slug,
    status: input.status,
    default_locale: input.defaultLocale,
    goal: input.goal,
    sources_json: '[]',
    sort_order: 0,
    created_at: now,
    updated_at: now,
    ends_at: input.endsAt ?? null,
    victory_at: input.victory ? now : null,
    embed_origins: null,
  }
  try {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('campaigns').values(campaign).execute()
      await openCounters(trx, campaign.id, now)
      await writeCopiesAndGoals(trx, campaign.id, input, now)
    })
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'slug-taken' }
    throw error
  }
  return { ok: true, campaign, changed: ['created'] }
}

/** Replaces a campaign's settings, copy and country goals; `changed` names what differs, for the audit log. */
export async function updateCampaign(db: DB, id: string, input: CampaignInput, now = Date.now()): Promise<SaveResult> {
  try {
    return await db.transaction().execute(async (trx): Promise<SaveResult> => {
      const before = await trx.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst()
      if (!before) return { ok: false, reason: 'not-found' }
      const oldCopies = await trx.selectFrom('campaign_translations').selectAll().where('campaign_id', '=', id).execute()
      const oldGoals = await getCountryGoals(trx, id)
      const oldMilestones = await trx.selectFrom('campaign_milestones').select(['locale', 'threshold', 'text']).where('campaign_id', '=', id).execute()

      const changed: string[] = []
      if (before.slug !== input.slug) changed.push('slug')
      if (before.status !== input.status) changed.push('status')
      if (before.default_locale !== input.defaultLocale) changed.push('default language')
      if (before.goal !== input.goal) changed.push('goal')
      for (const locale of new Set([...oldCopies.map((c) => c.locale), ...Object.keys(input.copies)])) {
        const o = oldCopies.find((c) => c.locale === locale)
        const n = input.copies[locale]
        if (!o || !n || o.title !== n.title || o.summary !== n.summary || o.story_md !== n.story || o.ask_md !== n.ask) {
          changed.push(`copy (${locale})`)
        }
        if ((o?.victory_text ?? null) !== (n?.victory ?? null)) changed.push(`victory text (${locale})`)
        const key = (ms: { threshold: number; text: string }[]) => ms.map((m) => `${Number(m.threshold)}:${m.text}`).join('\n')
        if (key(oldMilestones.filter((m) => m.locale === locale)) !== key(input.milestones?.[locale] ?? [])) changed.push(`milestones (${locale})`)
      }
      const goalKey = (gs: { country: string; goal: number }[]) => JSON.stringify([...gs].sort((a, b) => a.country.localeCompare(b.country)))
      if (goalKey(oldGoals) !== goalKey(input.countryGoals)) changed.push('country goals')

      const endsAt = input.endsAt ?? null
      const victoryAt = input.victory ? (before.victory_at ?? now) : null
      if ((before.ends_at === null ? null : Number(before.ends_at)) !== endsAt) changed.push('end date')
      if ((before.victory_at === null) !== (victoryAt === null)) changed.push(victoryAt === null ? 'victory withdrawn' : 'victory declared')
      const campaign: Campaign = {
        ...before,
        slug: input.slug,
        status: input.status,
        default_locale: input.defaultLocale,
        goal: input.goal,
        ends_at: endsAt,
        victory_at: victoryAt,
        updated_at: now,
      }
      await trx
        .updateTable('campaigns')
        .set({
          slug: campaign.slug,
          status: campaign.status,
          default_locale: campaign.default_locale,
          goal: campaign.goal,
          ends_at: campaign.ends_at,
          victory_at: campaign.victory_at,
          updated_at: now,
        })
        .where('id', '=', id)
        .execute()
      await writeCopiesAndGoals(trx, id, input, now)
      return { ok: true, campaign, changed }
    })
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'slug-taken' }
    throw error
  }
}
