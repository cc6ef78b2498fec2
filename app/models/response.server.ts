import { randomUUID } from 'node:crypto'
import type { DB } from '~/db.server'
import type { UnLang } from '~/data/un-states'
import { hashToken, newToken } from '~/infra/vault.server'

const DAY = 24 * 60 * 60_000
/** Diplomatic replies can take months. */
export const MISSION_LINK_TTL = 2 * 365 * DAY
export { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, MAX_RESPONSE_CHARS } from '~/utils/response-rules'
/** What one reply link may take in, text and documents together: a few replies, not a file store. */
export const MAX_LINK_BYTES = 20 * 1024 * 1024

/** A private reply link for one mission on one campaign: random, stored hashed. */
export async function issueMissionLink(db: DB, campaignId: string, country: string, now = Date.now()): Promise<string> {
  const token = newToken()
  await db
    .insertInto('mission_links')
    .values({ token_hash: hashToken(token), campaign_id: campaignId, country_code: country, created_at: now, expires_at: now + MISSION_LINK_TTL })
    .execute()
  return token
}

/**
 * The campaign a reply link opens, only if the link was issued to this very mission: a token
 * shown under any other country's address opens nothing.
 */
export async function checkMissionLink(db: DB, country: string, token: string, now = Date.now()) {
  if (!token || token.length > 128 || !/^[A-Z]{2}$/.test(country)) return null
  const row = await db
    .selectFrom('mission_links')
    .innerJoin('campaigns', 'campaigns.id', 'mission_links.campaign_id')
    .select(['mission_links.token_hash as tokenHash', 'mission_links.campaign_id as campaignId', 'mission_links.country_code as country', 'mission_links.expires_at', 'campaigns.slug'])
    .where('mission_links.token_hash', '=', hashToken(token))
    .executeTakeFirst()
  if (!row || row.country !== country || row.expires_at <= now) return null
  return { tokenHash: row.tokenHash, campaignId: row.campaignId, country: row.country, slug: row.slug }
}

/**
 * Takes `bytes` from a reply link's quota, if they fit: one conditional update, so two replies
 * sent at once cannot both pass a check made before either was counted.
 */
export async function reserveLinkBytes(db: DB, tokenHash: string, bytes: number, quota = MAX_LINK_BYTES): Promise<boolean> {
  const result = await db
    .updateTable('mission_links')
    .set((eb) => ({ bytes_used: eb('bytes_used', '+', bytes) }))
    .where('token_hash', '=', tokenHash)
    .where((eb) => eb(eb('bytes_used', '+', bytes), '<=', quota))
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/**
 * How the reply page speaks to a mission: in the language of the newest letter this campaign made
 * for it (else the mission's language), and to an observer mission as such.
 */
export async function replyContext(db: DB, campaignId: string, country: string): Promise<{ lang: UnLang; observer: boolean }> {
  const letter = await db
    .selectFrom('letter_versions')
    .select('language')
    .where('campaign_id', '=', campaignId)
    .where('country_code', '=', country)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst()
  const mission = await db.selectFrom('missions').select(['language', 'head_title']).where('country_code', '=', country).where('office', '=', 'new-york').executeTakeFirst()
  return { lang: ((letter?.language ?? mission?.language) as UnLang | undefined) ?? 'en', observer: mission?.head_title === 'observer' }
}

export interface NewResponse {
  campaignId: string
  country: string
  source: 'mission' | 'organiser'
  body: string
  attachment?: { name: string; type: string; bytes: Buffer } | null
  /**
   * From a mission: whether it allows publication (the reply stays private until an organiser
   * approves it). From an organiser: whether to publish it now.
   */
  isPublic: boolean
  recordedBy?: string | null
  receivedAt?: number
}

export async function recordResponse(db: DB, r: NewResponse, now = Date.now()) {
  const id = randomUUID()
  await db
    .insertInto('mission_responses')
    .values({
      id,
      campaign_id: r.campaignId,
      country_code: r.country,
      source: r.source,
      body: r.body,
      attachment_name: r.attachment?.name ?? null,
      attachment_type: r.attachment?.type ?? null,
      attachment: r.attachment?.bytes ?? null,
      // A mission's reply is never public on arrival, whatever it asks: an organiser approves it.
      is_public: r.source === 'organiser' && r.isPublic ? 1 : 0,
      mission_consents: r.source === 'mission' && r.isPublic ? 1 : 0,
      approved_by: r.source === 'organiser' && r.isPublic ? (r.recordedBy ?? null) : null,
      approved_at: r.source === 'organiser' && r.isPublic ? now : null,
      recorded_by: r.recordedBy ?? null,
      received_at: r.receivedAt ?? now,
      created_at: now,
    })
    .execute()
  return id
}

export function listResponses(db: DB, campaignId: string, publicOnly: boolean) {
  let q = db
    .selectFrom('mission_responses')
    .select(['id', 'country_code as country', 'source', 'body', 'attachment_name as attachmentName', 'is_public as isPublic', 'mission_consents as missionConsents', 'received_at as receivedAt'])
    .where('campaign_id', '=', campaignId)
  if (publicOnly) q = q.where('is_public', '=', 1)
  return q.orderBy('received_at', 'desc').execute()
}

export async function getPublicAttachment(db: DB, campaignId: string, responseId: string) {
  const row = await db
    .selectFrom('mission_responses')
    .select(['attachment', 'attachment_name', 'attachment_type'])
    .where('id', '=', responseId)
    .where('campaign_id', '=', campaignId)
    .where('is_public', '=', 1)
    .executeTakeFirst()
  if (!row?.attachment || !row.attachment_name || !row.attachment_type) return null
  return { bytes: Buffer.from(row.attachment), name: row.attachment_name, type: row.attachment_type }
}

/**
 * An organiser publishes or hides a reply. A mission's reply can be published only if the mission
 * allowed it: otherwise nothing changes and the answer says why.
 */
export async function setResponsePublic(db: DB, responseId: string, isPublic: boolean, organiserId: string | null, now = Date.now()): Promise<'done' | 'no-consent' | 'not-found'> {
  const row = await db.selectFrom('mission_responses').select(['source', 'mission_consents']).where('id', '=', responseId).executeTakeFirst()
  if (!row) return 'not-found'
  if (isPublic && row.source === 'mission' && row.mission_consents !== 1) return 'no-consent'
  await db
    .updateTable('mission_responses')
    .set(isPublic ? { is_public: 1, approved_by: organiserId, approved_at: now } : { is_public: 0, approved_by: null, approved_at: null })
    .where('id', '=', responseId)
    .execute()
  return 'done'
}

/**
 * Who was written to and when, and who answered: one row per country with a delivered, sent or
 * recorded letter, the first time it went out and whether a reply came.
 */
export async function correspondenceTable(db: DB, campaignId: string) {
  const deliveries = await db
    .selectFrom('letter_deliveries as d')
    .leftJoin('outbox as o', 'o.id', 'd.outbox_id')
    .select(['d.country_code as country', 'd.channel', 'd.status', 'd.status_at as statusAt', 'o.sent_at as sentAt'])
    .where('d.campaign_id', '=', campaignId)
    .where('d.status', 'in', ['sent', 'delivered', 'bounced', 'complained', 'delivered-by-hand', 'posted'])
    .execute()
  const responded = await db
    .selectFrom('mission_responses')
    .select(['country_code as country', (eb) => eb.fn.min('received_at').as('firstAt')])
    .where('campaign_id', '=', campaignId)
    .groupBy('country_code')
    .execute()
  const answered = new Map(responded.map((r) => [r.country, Number(r.firstAt)]))
  const byCountry = new Map<string, { country: string; writtenAt: number; status: string; respondedAt: number | null }>()
  for (const d of deliveries) {
    const writtenAt = d.sentAt ?? d.statusAt
    const prev = byCountry.get(d.country)
    if (!prev || writtenAt < prev.writtenAt) byCountry.set(d.country, { country: d.country, writtenAt, status: d.status, respondedAt: answered.get(d.country) ?? null })
  }
  return [...byCountry.values()].sort((a, b) => a.country.localeCompare(b.country))
}
