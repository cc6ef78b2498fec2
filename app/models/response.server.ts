import { randomUUID } from 'node:crypto'
import type { DB } from '~/db.server'
import { hashToken, newToken } from '~/utils/vault.server'

const DAY = 24 * 60 * 60_000
/** Diplomatic replies can take months. */
export const MISSION_LINK_TTL = 2 * 365 * DAY
export { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, MAX_RESPONSE_CHARS } from '~/utils/response-rules'

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
    .select(['mission_links.campaign_id as campaignId', 'mission_links.country_code as country', 'mission_links.expires_at', 'campaigns.slug'])
    .where('mission_links.token_hash', '=', hashToken(token))
    .executeTakeFirst()
  if (!row || row.country !== country || row.expires_at <= now) return null
  return { campaignId: row.campaignId, country: row.country, slug: row.slug }
}

export interface NewResponse {
  campaignId: string
  country: string
  source: 'mission' | 'organiser'
  body: string
  attachment?: { name: string; type: string; bytes: Buffer } | null
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
      is_public: r.isPublic ? 1 : 0,
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
    .select(['id', 'country_code as country', 'source', 'body', 'attachment_name as attachmentName', 'is_public as isPublic', 'received_at as receivedAt'])
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

export async function setResponsePublic(db: DB, responseId: string, isPublic: boolean) {
  await db.updateTable('mission_responses').set({ is_public: isPublic ? 1 : 0 }).where('id', '=', responseId).execute()
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
