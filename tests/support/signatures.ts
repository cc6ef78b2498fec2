import { randomUUID } from 'node:crypto'
import type { SignatureStatus } from '../../app/db.server'
import { moveVerified } from '../../app/models/counters.server'
import { canonicalEmail, emailDomain } from '../../app/utils/email-address'
import type { TestServer } from './server'

export const SLUG = 'justice-for-1988'

export interface SeedSignature {
  email: string
  name?: string
  country?: string
  status?: SignatureStatus
  ipHash?: string | null
  ipCountry?: string | null
  createdAt?: number
  showName?: boolean
  newsOptIn?: boolean
  locale?: string
  /** When the link was followed: by default a minute after signing for the verified, never for the others. An invalidated
   * signature was usually confirmed before moderation caught it: give it one to make fixtures as untidy as real data. */
  confirmedAt?: number | null
}

export async function campaignId(server: Pick<TestServer, 'db'>, slug = SLUG) {
  const row = await server.db.selectFrom('campaigns').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()
  return row.id
}

/** What seeding needs of a server: its database and its vault (an in-process server, or a test's own handle). */
export type Seedable = Pick<TestServer, 'db' | 'vault'>

/**
 * Writes signatures straight into the database, as signing and confirming would have left them,
 * counters included (the verified ones are counted in the same transaction), in multi-row inserts.
 */
export async function seedSignatures(server: Seedable, list: SeedSignature[], slug = SLUG): Promise<string[]> {
  const cid = await campaignId(server, slug)
  const { vault } = server
  const rows = list.map((s) => {
    const at = s.createdAt ?? Date.now()
    const status = s.status ?? 'verified'
    return {
      id: randomUUID(),
      campaign_id: cid,
      status,
      email_hash: vault.emailHash(canonicalEmail(s.email)),
      email_enc: vault.encrypt(s.email),
      name_enc: vault.encrypt(s.name ?? 'Seeded Signer'),
      email_domain_hash: vault.domainHash(emailDomain(s.email)),
      country_code: s.country ?? 'CA',
      locale: s.locale ?? 'en',
      show_name: s.showName ? 1 : 0,
      news_opt_in: s.newsOptIn ? 1 : 0,
      ip_hash: s.ipHash ?? null,
      ip_country_enc: s.ipCountry ? vault.encrypt(s.ipCountry) : null,
      ip_country_differs: s.ipCountry ? (s.ipCountry === (s.country ?? 'CA') ? 0 : 1) : null,
      referrer: null,
      utm_source: null,
      utm_medium: null,
      utm_campaign: null,
      emails_in_window: 1,
      email_window_started_at: at,
      created_at: at,
      updated_at: at,
      confirmed_at: s.confirmedAt !== undefined ? s.confirmedAt : status === 'verified' ? at + 60_000 : null,
    }
  })
  await server.db.transaction().execute(async (trx) => {
    // 40 rows keep a statement under SQLite's bound-parameter cap.
    for (let i = 0; i < rows.length; i += 40) await trx.insertInto('signatures').values(rows.slice(i, i + 40)).execute()
    const verified = new Map<string, { n: number; at: number }>()
    for (const r of rows) {
      if (r.status !== 'verified') continue
      const c = verified.get(r.country_code) ?? { n: 0, at: r.created_at }
      verified.set(r.country_code, { n: c.n + 1, at: Math.max(c.at, r.created_at) })
    }
    for (const [country, { n, at }] of verified) await moveVerified(trx, cid, country, n, at)
  })
  return rows.map((r) => r.id)
}

export async function storedCounts(server: TestServer, slug = SLUG) {
  const cid = await campaignId(server, slug)
  const totals = await server.db.selectFrom('campaign_counts').selectAll().where('campaign_id', '=', cid).executeTakeFirst()
  const countries = await server.db.selectFrom('country_counts').selectAll().where('campaign_id', '=', cid).execute()
  return {
    verified: totals?.verified_count ?? 0,
    invalidated: totals?.invalidated_count ?? 0,
    byCountry: Object.fromEntries(countries.filter((c) => c.verified_count !== 0).map((c) => [c.country_code, c.verified_count])),
  }
}
