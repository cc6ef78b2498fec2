import { createCipheriv, createDecipheriv } from 'node:crypto'
import { sql } from 'kysely'
import type { DB } from '~/db.server'
import { hashToken, type Vault } from '~/infra/vault.server'
import { secureRandomBytes, timeOrderedId } from '~/infra/random.server'
import { getCampaign, getCampaignStats } from '~/models/campaign.server'
import { maskSmallCounts, PUBLIC_MAP_MIN } from '~/models/campaign-story.server'

/**
 * Partners' read API (ADR 133): keys, the opaque ids a partner knows its supporters by, and the
 * resources in the OSDI shapes Action Network uses. Routes in app/routes/api.osdi.v1.*.
 */

export const API_SCOPES = ['campaign:read', 'people:read'] as const
export type ApiScope = (typeof API_SCOPES)[number]
export const isApiScope = (s: unknown): s is ApiScope => API_SCOPES.includes(s as ApiScope)

/** `pk_` and 256 random bits: the whole key is shown once; its first characters stay visible to tell keys apart. */
const KEY_FORMAT = /^pk_[A-Za-z0-9_-]{43}$/
const PREFIX_LENGTH = 10
/** last_used_at is written at most this often per key: not a write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000

export async function createApiKey(db: DB, partner: { id: string; campaignId: string }, scopes: ApiScope[], now = Date.now()) {
  const key = `pk_${secureRandomBytes(32).toString('base64url')}`
  const id = timeOrderedId()
  const prefix = key.slice(0, PREFIX_LENGTH)
  await db
    .insertInto('partner_api_keys')
    .values({ id, partner_id: partner.id, campaign_id: partner.campaignId, prefix, key_hash: hashToken(key), scopes: [...new Set(scopes)].join(' '), created_at: now, last_used_at: null, revoked_at: null })
    .execute()
  return { id, key, prefix }
}

export async function revokeApiKey(db: DB, campaignId: string, keyId: string, now = Date.now()) {
  const done = await db
    .updateTable('partner_api_keys')
    .set({ revoked_at: now })
    .where('id', '=', keyId)
    .where('campaign_id', '=', campaignId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(done.numUpdatedRows) > 0
}

export async function listApiKeys(db: DB, campaignId: string) {
  const rows = await db
    .selectFrom('partner_api_keys')
    .select(['id', 'partner_id', 'prefix', 'scopes', 'created_at', 'last_used_at', 'revoked_at'])
    .where('campaign_id', '=', campaignId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    partnerId: r.partner_id,
    prefix: r.prefix,
    scopes: r.scopes.split(' ').filter(isApiScope),
    createdAt: Number(r.created_at),
    lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
    revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
  }))
}

export interface ApiAuth {
  keyId: string
  partnerId: string
  campaignId: string
  campaignSlug: string
  scopes: ApiScope[]
}

/** The key's holder, if the key is current and its partner is still the campaign's; null otherwise. */
export async function authenticateApiKey(db: DB, key: string, now = Date.now()): Promise<ApiAuth | null> {
  if (!KEY_FORMAT.test(key)) return null
  const row = await db
    .selectFrom('partner_api_keys')
    .innerJoin('partners', 'partners.id', 'partner_api_keys.partner_id')
    .innerJoin('campaigns', 'campaigns.id', 'partner_api_keys.campaign_id')
    .select(['partner_api_keys.id', 'partner_api_keys.partner_id', 'partner_api_keys.campaign_id', 'partner_api_keys.scopes', 'partner_api_keys.last_used_at', 'campaigns.slug'])
    .where('partner_api_keys.key_hash', '=', hashToken(key))
    .where('partner_api_keys.revoked_at', 'is', null)
    .where('partners.removed_at', 'is', null)
    .executeTakeFirst()
  if (!row) return null
  if (row.last_used_at === null || now - Number(row.last_used_at) >= LAST_USED_RESOLUTION_MS) {
    await db.updateTable('partner_api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute()
  }
  return { keyId: row.id, partnerId: row.partner_id, campaignId: row.campaign_id, campaignSlug: row.slug, scopes: row.scopes.split(' ').filter(isApiScope) }
}

/**
 * The id a partner knows a supporter by: the signature's 128-bit id enciphered with a key of that
 * partner's own (one AES block, a permutation), so the same signer has unrelated ids at two partners
 * and neither can join its data with the other's, nor learn the signature id. Reversible, so
 * `/people/:id` needs no stored mapping.
 */
export function personId(vault: Vault, partnerId: string, signatureId: string): string {
  const cipher = createCipheriv('aes-256-ecb', vault.subkey(`osdi-person\0${partnerId}`), null).setAutoPadding(false)
  return Buffer.concat([cipher.update(Buffer.from(signatureId.replace(/-/g, ''), 'hex')), cipher.final()]).toString('base64url')
}

export function signatureOfPerson(vault: Vault, partnerId: string, id: string): string | null {
  if (!/^[A-Za-z0-9_-]{22}$/.test(id)) return null
  const bytes = Buffer.from(id, 'base64url')
  if (bytes.length !== 16) return null
  const decipher = createDecipheriv('aes-256-ecb', vault.subkey(`osdi-person\0${partnerId}`), null).setAutoPadding(false)
  const hex = Buffer.concat([decipher.update(bytes), decipher.final()]).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export const IDENTIFIER_PREFIX = 'petition-platform'
const iso = (ms: number | null | undefined) => new Date(Number(ms ?? 0)).toISOString()

export interface Pagination {
  page: number
  perPage: number
}
export const MAX_PER_PAGE = 100
const DEFAULT_PER_PAGE = 25

/** `page` and `per_page` from a query string, or the reason they are refused. */
export function parsePagination(params: URLSearchParams): Pagination | { error: string } {
  const read = (name: string, fallback: number) => {
    const v = params.get(name)
    if (v === null || v === '') return fallback
    return /^\d{1,9}$/.test(v) ? Number(v) : NaN
  }
  const page = read('page', 1)
  const perPage = read('per_page', DEFAULT_PER_PAGE)
  if (!(page >= 1)) return { error: 'page must be a whole number from 1.' }
  if (!(perPage >= 1 && perPage <= MAX_PER_PAGE)) return { error: `per_page must be a whole number from 1 to ${MAX_PER_PAGE}.` }
  return { page, perPage }
}

function collection(base: string, path: string, { page, perPage }: Pagination, total: number, key: string, items: unknown[], hrefs: string[]) {
  const totalPages = Math.max(1, Math.ceil(total / perPage))
  const at = (p: number) => ({ href: `${base}${path}?page=${p}&per_page=${perPage}` })
  return {
    total_pages: totalPages,
    per_page: perPage,
    page,
    total_records: total,
    _links: {
      self: at(page),
      ...(page < totalPages ? { next: at(page + 1) } : {}),
      ...(page > 1 ? { prev: at(Math.min(page - 1, totalPages)) } : {}),
      [key]: hrefs.map((href) => ({ href })),
      curies: [{ name: 'osdi', href: 'https://opensupporter.github.io/osdi-docs/{rel}', templated: true }],
    },
    _embedded: { [key]: items },
  }
}

export function entryPoint(base: string, auth: ApiAuth) {
  return {
    motd: 'Partner API of this petition platform (OSDI 1.1 shapes)',
    vendor_name: IDENTIFIER_PREFIX,
    product_name: IDENTIFIER_PREFIX,
    osdi_version: '1.1',
    _links: {
      self: { href: base },
      'osdi:petitions': { href: `${base}/petitions` },
      ...(auth.scopes.includes('people:read') ? { 'osdi:people': { href: `${base}/people` } } : {}),
      curies: [{ name: 'osdi', href: 'https://opensupporter.github.io/osdi-docs/{rel}', templated: true }],
    },
  }
}

/** The key's campaign as an osdi:petition, or null if it no longer exists. */
export async function petitionResource(db: DB, base: string, appUrl: string, auth: ApiAuth, cacheMs: number) {
  const found = await getCampaign(db, auth.campaignSlug, '', { includeDrafts: true })
  if (!found) return null
  const { campaign, copy } = found
  const stats = await getCampaignStats(db, campaign.id, cacheMs)
  const self = `${base}/petitions/${campaign.slug}`
  return {
    identifiers: [`${IDENTIFIER_PREFIX}:${campaign.slug}`],
    origin_system: IDENTIFIER_PREFIX,
    title: copy.title,
    description: copy.summary,
    total_signatures: stats.verified,
    created_date: iso(campaign.created_at),
    modified_date: iso(Math.max(Number(campaign.updated_at), Number(copy.updated_at ?? 0))),
    browser_url: `${appUrl}/campaigns/${campaign.slug}`,
    _links: {
      self: { href: self },
      'osdi:signatures': { href: `${self}/signatures` },
      'petition-platform:counts': { href: `${self}/counts` },
    },
  }
}

/**
 * Verified signatures by country, with the small figures the public pages withhold withheld here too
 * (null), by the same function (ADR 113): a partner can be a hostile state's front, or be breached.
 * And by UTC day of confirmation, the campaign as a whole.
 */
export async function petitionCounts(db: DB, readDb: DB, base: string, auth: ApiAuth, cacheMs: number) {
  const stats = await getCampaignStats(db, auth.campaignId, cacheMs)
  const DAY = 86_400_000
  const dayExpr = sql<number>`confirmed_at / ${sql.lit(DAY)}`
  const days = await readDb
    .selectFrom('signatures')
    .select([dayExpr.as('day'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('campaign_id', '=', auth.campaignId)
    .where('status', '=', 'verified')
    .groupBy(dayExpr)
    .orderBy(dayExpr)
    .execute()
  return {
    total_signatures: stats.verified,
    by_country: maskSmallCounts(stats.byCountry).map((c) => ({ country: c.code, total_signatures: c.count })),
    by_day: maskedDays(days, DAY),
    _links: { self: { href: `${base}/petitions/${auth.campaignSlug}/counts` }, 'osdi:petition': { href: `${base}/petitions/${auth.campaignSlug}` } },
  }
}

/**
 * Every UTC day from the first confirmation to the last, its figure withheld (null) below the public
 * map's floor, zero included: a day that showed "1", and later nothing, would tell a partner that the
 * one person who confirmed that day had withdrawn.
 */
function maskedDays(days: { day: number; n: number }[], DAY: number) {
  if (days.length === 0) return []
  const byDay = new Map(days.map((d) => [Number(d.day), Number(d.n)]))
  const out: { date: string; total_signatures: number | null }[] = []
  for (let day = Number(days[0].day); day <= Number(days[days.length - 1].day); day++) {
    const n = byDay.get(day) ?? 0
    out.push({ date: new Date(day * DAY).toISOString().slice(0, 10), total_signatures: n >= PUBLIC_MAP_MIN ? n : null })
  }
  return out
}

/** The partner's own supporters: confirmed, brought by it, and who agreed that it may email them. */
function ownSupporters(db: DB, auth: ApiAuth) {
  return db
    .selectFrom('signatures')
    .where('campaign_id', '=', auth.campaignId)
    .where('partner_id', '=', auth.partnerId)
    .where('partner_opt_in', '=', 1)
    .where('status', '=', 'verified')
}

async function supportersPage(db: DB, auth: ApiAuth, { page, perPage }: Pagination) {
  const [count, rows] = await Promise.all([
    ownSupporters(db, auth).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    ownSupporters(db, auth)
      .select(['id', 'confirmed_at', 'updated_at', 'name_enc', 'email_enc', 'show_name', 'country_code', 'locale'])
      .orderBy('confirmed_at')
      .orderBy('id')
      .limit(perPage)
      .offset((page - 1) * perPage)
      .execute(),
  ])
  return { total: Number(count?.n ?? 0), rows }
}

export interface SupporterRow {
  id: string
  confirmed_at: number | null
  updated_at: number
  name_enc: string
  email_enc: string
  show_name: number
  country_code: string
  locale: string
}

/**
 * A supporter as an osdi:person. The name goes only where the signer chose to show it, as in the
 * organisers' export (ADR 043); it is stored as typed, whole, so it is the given_name and no family
 * name is guessed from it.
 */
export function osdiPerson(vault: Vault, base: string, partnerId: string, r: SupporterRow) {
  const id = personId(vault, partnerId, r.id)
  return {
    identifiers: [`${IDENTIFIER_PREFIX}:${id}`],
    ...(r.show_name === 1 ? { given_name: vault.decrypt(r.name_enc) } : {}),
    email_addresses: [{ address: vault.decrypt(r.email_enc), primary: true }],
    postal_addresses: [{ country: r.country_code }],
    languages_spoken: [r.locale],
    created_date: iso(r.confirmed_at),
    modified_date: iso(r.updated_at),
    _links: { self: { href: `${base}/people/${id}` } },
  }
}

export async function signaturesPage(db: DB, vault: Vault, base: string, auth: ApiAuth, pagination: Pagination) {
  const { total, rows } = await supportersPage(db, auth, pagination)
  const petition = `${base}/petitions/${auth.campaignSlug}`
  const items = rows.map((r) => {
    const id = personId(vault, auth.partnerId, r.id)
    return {
      identifiers: [`${IDENTIFIER_PREFIX}:${id}`],
      created_date: iso(r.confirmed_at),
      modified_date: iso(r.updated_at),
      _links: { 'osdi:person': { href: `${base}/people/${id}` }, 'osdi:petition': { href: petition } },
    }
  })
  return collection(base, `/petitions/${auth.campaignSlug}/signatures`, pagination, total, 'osdi:signatures', items, items.map((i) => i._links['osdi:person'].href))
}

export async function peoplePage(db: DB, vault: Vault, base: string, auth: ApiAuth, pagination: Pagination) {
  const { total, rows } = await supportersPage(db, auth, pagination)
  const items = rows.map((r) => osdiPerson(vault, base, auth.partnerId, r))
  return collection(base, '/people', pagination, total, 'osdi:people', items, items.map((i) => i._links.self.href))
}

/** One of the partner's own supporters, or null for anyone else (another partner's, not opted in, withdrawn, made up). */
export async function personResource(db: DB, vault: Vault, base: string, auth: ApiAuth, id: string) {
  const signatureId = signatureOfPerson(vault, auth.partnerId, id)
  if (!signatureId) return null
  const row = await ownSupporters(db, auth)
    .select(['id', 'confirmed_at', 'updated_at', 'name_enc', 'email_enc', 'show_name', 'country_code', 'locale'])
    .where('id', '=', signatureId)
    .executeTakeFirst()
  return row ? osdiPerson(vault, base, auth.partnerId, row) : null
}
