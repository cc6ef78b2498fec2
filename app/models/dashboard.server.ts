import { sql } from 'kysely'
import type { DB } from '~/db.server'
import type { Vault } from '~/infra/vault.server'
import { getCountryGoals } from '~/models/campaign-admin.server'
import { paperCounts } from '~/models/paper-signature.server'
import { verifiedByPartner } from '~/models/partner.server'
import { countryName } from '~/utils/countries'

const DAY = 24 * 60 * 60_000
export const CHART_DAYS = 60

export interface DashboardFigures {
  totals: {
    verified: number
    pending: number
    withdrawn: number
    invalidated: number
    /** verified ÷ (verified + pending): the share of signers who followed their link; null before anyone signs */
    confirmationRate: number | null
  }
  /** Every country with a verified signature, a paper one or a goal; `count` is verified only, `paper` apart (ADR 134). */
  countries: { code: string; name: string; count: number; goal: number | null; paper: number }[]
  /** Signatures gathered on paper: never part of `totals.verified`, the goal or the map. */
  paper: number
  /** Verified signatures per UTC day, oldest first, CHART_DAYS days ending today. */
  daily: { day: string; count: number }[]
  /** Referring sites of verified signatures; null is "no referrer" (typed address, email, apps). */
  referrers: { host: string | null; count: number }[]
  utm: { source: string | null; medium: string | null; campaign: string | null; count: number }[]
  /** Verified signatures brought by each partner's link (ADR 122); the campaign's count stays one. */
  partners: { name: string; removed: boolean; count: number }[]
  at: number
}

const isoDay = (dayNumber: number) => new Date(dayNumber * DAY).toISOString().slice(0, 10)

/**
 * Aggregate figures only: nothing here names or reaches a signer, so viewers may see all of it.
 * Attribution lists stop at `limit` rows, the long tail being noise.
 */
export async function dashboardFigures(db: DB, vault: Vault, campaignId: string, now = Date.now(), limit = 15): Promise<DashboardFigures> {
  const today = Math.floor(now / DAY)
  const firstDay = today - CHART_DAYS + 1
  const dayExpr = sql<number>`confirmed_at / ${sql.lit(DAY)}`
  const verifiedOnly = db.selectFrom('signatures').where('campaign_id', '=', campaignId).where('status', '=', 'verified')

  const [counters, byStatus, byCountry, goals, daily, referrers, utm, partners, paper] = await Promise.all([
    db.selectFrom('campaign_counts').selectAll().where('campaign_id', '=', campaignId).executeTakeFirst(),
    db
      .selectFrom('signatures')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('campaign_id', '=', campaignId)
      .where('status', 'in', ['pending', 'invalidated'])
      .groupBy('status')
      .execute(),
    db
      .selectFrom('country_counts')
      .select(['country_code', 'verified_count'])
      .where('campaign_id', '=', campaignId)
      .where('verified_count', '>', 0)
      .execute(),
    getCountryGoals(db, campaignId),
    verifiedOnly
      .select([dayExpr.as('day'), (eb) => eb.fn.countAll<number>().as('n')])
      .where('confirmed_at', '>=', firstDay * DAY)
      .groupBy(dayExpr)
      .execute(),
    // Counted by opaque hash; only the few labels shown are read and decrypted (ADR 089).
    verifiedOnly
      .select(['referrer_hash', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('referrer_hash')
      .orderBy('n', 'desc')
      .orderBy('referrer_hash')
      .limit(limit)
      .execute(),
    verifiedOnly
      .select(['utm_hash', (eb) => eb.fn.countAll<number>().as('n')])
      .where('utm_hash', 'is not', null)
      .groupBy('utm_hash')
      .orderBy('n', 'desc')
      .orderBy('utm_hash')
      .limit(limit)
      .execute(),
    verifiedByPartner(db, campaignId),
    paperCounts(db, campaignId),
  ])
  const hashes = [...referrers.map((r) => r.referrer_hash), ...utm.map((r) => r.utm_hash)].filter((h): h is string => h !== null)
  const labelRows = hashes.length ? await db.selectFrom('attribution_labels').select(['hash', 'label_enc']).where('hash', 'in', hashes).execute() : []
  const labels = new Map(labelRows.map((l) => [l.hash, vault.decrypt(l.label_enc)]))
  const referrerHost = (hash: string | null) => (hash ? (labels.get(hash)?.slice(2) ?? null) : null)
  const utmTags = (hash: string | null): (string | null)[] => {
    const label = hash ? labels.get(hash) : undefined
    return label ? (JSON.parse(label.slice(2)) as (string | null)[]) : [null, null, null]
  }

  const verified = counters?.verified_count ?? 0
  const pending = Number(byStatus.find((r) => r.status === 'pending')?.n ?? 0)
  const invalidated = Number(byStatus.find((r) => r.status === 'invalidated')?.n ?? 0)

  const countries = new Map<string, DashboardFigures['countries'][number]>()
  const name = (code: string) => countryName(code, 'en')
  const paperIn = (code: string) => paper.byCountry.get(code) ?? 0
  for (const r of byCountry) countries.set(r.country_code, { code: r.country_code, name: name(r.country_code), count: r.verified_count, goal: null, paper: paperIn(r.country_code) })
  for (const g of goals) countries.set(g.country, { code: g.country, name: name(g.country), count: countries.get(g.country)?.count ?? 0, goal: g.goal, paper: paperIn(g.country) })
  for (const code of paper.byCountry.keys()) if (!countries.has(code)) countries.set(code, { code, name: name(code), count: 0, goal: null, paper: paperIn(code) })

  const perDay = new Map(daily.map((r) => [Number(r.day), Number(r.n)]))
  return {
    totals: {
      verified,
      pending,
      withdrawn: counters?.withdrawn_count ?? 0,
      invalidated,
      confirmationRate: verified + pending > 0 ? verified / (verified + pending) : null,
    },
    countries: [...countries.values()],
    paper: paper.total,
    daily: Array.from({ length: CHART_DAYS }, (_, i) => ({ day: isoDay(firstDay + i), count: perDay.get(firstDay + i) ?? 0 })),
    referrers: referrers.map((r) => ({ host: referrerHost(r.referrer_hash), count: Number(r.n) })),
    utm: utm.map((r) => {
      const [source, medium, campaign] = utmTags(r.utm_hash)
      return { source, medium, campaign, count: Number(r.n) }
    }),
    partners: partners.map((p) => ({ name: p.name, removed: p.removed, count: p.count })),
    at: now,
  }
}
