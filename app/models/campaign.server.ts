import type { Campaign, CampaignTranslation, DB } from '~/db.server'
import { effectiveStatus } from '~/models/campaign-story.server'
import { atRiskSubquery } from '~/models/risk-policy.server'
import { ttlCache } from '~/infra/ttl-cache.server'
import type { Vault } from '~/infra/vault.server'

export interface CampaignSource {
  title: string
  publisher: string
  date: string
  url: string
}

export interface LocalizedCampaign {
  campaign: Campaign
  copy: CampaignTranslation
  /** True when the reader's language has no translation and the default language is shown. */
  fallback: boolean
  sources: CampaignSource[]
}

export interface CampaignStats {
  verified: number
  byCountry: { code: string; count: number }[]
}

async function pickTranslation(db: DB, campaign: Campaign, locale: string) {
  const rows = await db
    .selectFrom('campaign_translations')
    .selectAll()
    .where('campaign_id', '=', campaign.id)
    .where('locale', 'in', [locale, campaign.default_locale])
    .execute()
  const own = rows.find((r) => r.locale === locale)
  const copy = own ?? rows.find((r) => r.locale === campaign.default_locale)
  if (!copy) throw new Error(`Campaign ${campaign.slug} has no copy in its default language`)
  return { copy, fallback: !own }
}

/**
 * A campaign's title in one language, or in its default one when it has no copy in that language:
 * an email goes out in the signer's language, whatever page asked for it (issue 15).
 */
export async function campaignTitleIn(db: DB, campaignId: string, locale: string): Promise<string | null> {
  const rows = await db
    .selectFrom('campaign_translations')
    .innerJoin('campaigns', 'campaigns.id', 'campaign_translations.campaign_id')
    .select(['campaign_translations.locale', 'campaign_translations.title', 'campaigns.default_locale'])
    .where('campaign_translations.campaign_id', '=', campaignId)
    .execute()
  const own = rows.find((r) => r.locale === locale) ?? rows.find((r) => r.locale === r.default_locale)
  return own?.title ?? null
}

/** A campaign as the public sees it; drafts only for an organiser's preview (`includeDrafts`). */
export async function getCampaign(
  db: DB,
  slug: string,
  locale: string,
  { includeDrafts = false }: { includeDrafts?: boolean } = {},
): Promise<LocalizedCampaign | null> {
  const campaign = await db.selectFrom('campaigns').selectAll().where('slug', '=', slug).executeTakeFirst()
  if (!campaign || (campaign.status === 'draft' && !includeDrafts)) return null
  const { copy, fallback } = await pickTranslation(db, campaign, locale)
  return { campaign, copy, fallback, sources: JSON.parse(campaign.sources_json) as CampaignSource[] }
}

/**
 * What signing needs of a public campaign, in one query: its id, status and title in the reader's
 * language (or its default one), without the story and sources a page shows. Like the page itself
 * (ADR 061), it may be up to `maxAgeMs` old: a campaign closed a moment ago may still take a
 * signature, which its confirmation link will then refuse (confirmation reads the status afresh).
 */
export async function getCampaignForSigning(db: DB, slug: string, locale: string, maxAgeMs = 0) {
  const found = await signingCache(db, `${slug}\n${locale}`, maxAgeMs, () => readCampaignForSigning(db, slug, locale), (f) => f !== null)
  if (!found) return null
  // The end date is checked at each call, so a cached row never lets a signature in after it (ADR 108).
  const { ends_at, victory_at, ...campaign } = found.campaign
  return { campaign: { ...campaign, status: effectiveStatus({ status: campaign.status, ends_at, victory_at }) }, title: found.title }
}

const signingCache = ttlCache<{
  campaign: { id: string; slug: string; status: string; ends_at: number | null; victory_at: number | null }
  title: string
} | null>()

async function readCampaignForSigning(db: DB, slug: string, locale: string) {
  const rows = await db
    .selectFrom('campaigns')
    .innerJoin('campaign_translations as t', (join) =>
      join
        .onRef('t.campaign_id', '=', 'campaigns.id')
        .on((eb) => eb.or([eb('t.locale', '=', locale), eb('t.locale', '=', eb.ref('campaigns.default_locale'))])),
    )
    .select(['campaigns.id', 'campaigns.slug', 'campaigns.status', 'campaigns.ends_at', 'campaigns.victory_at', 't.locale', 't.title'])
    .where('campaigns.slug', '=', slug)
    .where('campaigns.status', '!=', 'draft')
    .execute()
  const row = rows.find((r) => r.locale === locale) ?? rows[0]
  return row
    ? {
        campaign: { id: row.id, slug: row.slug, status: row.status, ends_at: row.ends_at === null ? null : Number(row.ends_at), victory_at: row.victory_at === null ? null : Number(row.victory_at) },
        title: row.title,
      }
    : null
}

export async function listPublicCampaigns(db: DB, locale: string) {
  const campaigns = await db
    .selectFrom('campaigns')
    .selectAll()
    .where('status', 'in', ['open', 'closed'])
    .orderBy('sort_order')
    .orderBy('created_at')
    .execute()
  return Promise.all(
    campaigns.map(async (campaign) => {
      const { copy, fallback } = await pickTranslation(db, campaign, locale)
      return { campaign, copy, fallback }
    }),
  )
}

async function readStats(db: DB, campaignId: string): Promise<CampaignStats> {
  const [total, byCountry] = await Promise.all([
    db.selectFrom('campaign_counts').select('verified_count').where('campaign_id', '=', campaignId).executeTakeFirst(),
    db
      .selectFrom('country_counts')
      .select(['country_code as code', 'verified_count as count'])
      .where('campaign_id', '=', campaignId)
      .where('verified_count', '>', 0)
      .orderBy('verified_count', 'desc')
      .orderBy('country_code')
      .execute(),
  ])
  return { verified: total?.verified_count ?? 0, byCountry }
}

// Public pages read counts that may lag by up to STATS_CACHE_MS: a viral campaign's readers should
// not each cost a query.
const statsCache = ttlCache<CampaignStats>()
const recentCache = ttlCache<RecentSigner[]>()

export function getCampaignStats(db: DB, campaignId: string, maxAgeMs = 0): Promise<CampaignStats> {
  return statsCache(db, campaignId, maxAgeMs, () => readStats(db, campaignId))
}

export interface RecentSigner {
  firstName: string
  country: string
}

/** Signers who chose to show their name: first name and country only, never from an at-risk state (ADR 085). */
export function recentSigners(db: DB, vault: Vault, campaignId: string, limit = 8, maxAgeMs = 0): Promise<RecentSigner[]> {
  const read = async () => {
    const rows = await db
      .selectFrom('signatures')
      .select(['name_enc', 'country_code'])
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'verified')
      .where('show_name', '=', 1)
      .where('country_code', 'not in', atRiskSubquery(db, campaignId))
      .orderBy('confirmed_at', 'desc')
      .limit(limit)
      .execute()
    return rows.map((r) => ({ firstName: firstName(vault.decrypt(r.name_enc)), country: r.country_code }))
  }
  return recentCache(db, campaignId, maxAgeMs, read)
}

export function firstName(fullName: string): string {
  return fullName.trim().split(/\s+/u)[0] ?? ''
}
