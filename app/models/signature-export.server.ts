import type { DB } from '~/db.server'
import { csvCell } from '~/models/counts-export.server'
import { countryName } from '~/utils/countries'
import type { Vault } from '~/infra/vault.server'

export const EXPORT_COLUMNS = ['confirmed_at', 'country_code', 'country', 'name', 'email', 'news_opt_in', 'language'] as const

const line = (cells: (string | number | null)[]) => cells.map(csvCell).join(',') + '\r\n'

/** What one page of an export reads; each filter below narrows it. */
type ExportRow = {
  id: string
  confirmed_at: number | null
  country_code: string
  name_enc: string
  email_enc: string
  show_name: number
  news_opt_in: number
  locale: string
}

/**
 * A campaign's verified signatures, narrowed to one partner's opted-in supporters where `partnerId` is given, as CSV,
 * streamed: each pull reads one keyset page of `batch` rows (by confirmed_at, id), so memory stays
 * flat whatever the campaign's size, and `cells` makes each line from a row.
 */
function verifiedCsv(
  db: DB,
  campaignId: string,
  header: readonly string[],
  cells: (r: ExportRow) => (string | number | null)[],
  { batch = 500, partnerId = null as string | null } = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let cursor: { at: number; id: string } | null = null
  let started = false
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true
          // The byte-order mark makes spreadsheet programs read the file as UTF-8 (Persian names).
          controller.enqueue(encoder.encode('\uFEFF' + line([...header])))
          return
        }
        const c: { at: number; id: string } | null = cursor
        const rows = await db
          .selectFrom('signatures')
          .select(['id', 'confirmed_at', 'country_code', 'name_enc', 'email_enc', 'show_name', 'news_opt_in', 'locale'])
          .where('campaign_id', '=', campaignId)
          .where('status', '=', 'verified')
          // A partner's file: only the supporters it brought who let it email them (ADR 131).
          .$if(partnerId !== null, (qb) => qb.where('partner_id', '=', partnerId).where('partner_opt_in', '=', 1))
          // The plain range lets the (campaign, status, confirmed_at) index seek to the page; the OR
          // alone would make SQLite scan from the start on every page.
          .$if(c !== null, (qb) =>
            qb
              .where('confirmed_at', '>=', c!.at)
              .where((eb) => eb.or([eb('confirmed_at', '>', c!.at), eb.and([eb('confirmed_at', '=', c!.at), eb('id', '>', c!.id)])])),
          )
          .orderBy('confirmed_at')
          .orderBy('id')
          .limit(batch)
          .execute()
        let chunk = ''
        for (const r of rows) chunk += line(cells(r))
        if (chunk) controller.enqueue(encoder.encode(chunk))
        if (rows.length < batch) return controller.close()
        const last = rows[rows.length - 1]
        cursor = { at: last.confirmed_at ?? 0, id: last.id }
      },
    },
    // One page at a time: the next is read only when the client has taken the last.
    { highWaterMark: 1 },
  )
}

/**
 * The verified signatures of a campaign as CSV. Only what each signer agreed to leaves: the name
 * only where they chose to show it, the address only where they asked for news
 * (docs/decisions/043-signature-export-contents.md).
 */
export function verifiedSignaturesCsv(db: DB, vault: Vault, campaignId: string, { batch = 500 } = {}): ReadableStream<Uint8Array> {
  return verifiedCsv(
    db,
    campaignId,
    EXPORT_COLUMNS,
    (r) => [
      new Date(r.confirmed_at ?? 0).toISOString(),
      r.country_code,
      countryName(r.country_code, 'en'),
      r.show_name === 1 ? vault.decrypt(r.name_enc) : '',
      r.news_opt_in === 1 ? vault.decrypt(r.email_enc) : '',
      r.news_opt_in === 1 ? 'yes' : 'no',
      r.locale,
    ],
    { batch },
  )
}

export const PARTNER_EXPORT_COLUMNS = ['name', 'email', 'country_code', 'country', 'confirmed_at', 'language'] as const

/**
 * One partner's supporters as CSV (ADR 131): the confirmed signers it brought who ticked "{partner}
 * may email me", with what it needs to write to them: their address, country, when they confirmed,
 * their language, and their name where they chose to show it (as the API, ADR 137); nobody else,
 * whatever their other choices.
 */
export function partnerSupportersCsv(db: DB, vault: Vault, campaignId: string, partnerId: string, { batch = 500 } = {}): ReadableStream<Uint8Array> {
  return verifiedCsv(
    db,
    campaignId,
    PARTNER_EXPORT_COLUMNS,
    // The name as the API gives it (ADR 133, 137): only where the signer chose to show it.
    (r) => [r.show_name === 1 ? vault.decrypt(r.name_enc) : '', vault.decrypt(r.email_enc), r.country_code, countryName(r.country_code, 'en'), new Date(r.confirmed_at ?? 0).toISOString(), r.locale],
    { batch, partnerId },
  )
}

/** Verified signatures per country, from the counters (any campaign status). */
export async function countsByCountry(db: DB, campaignId: string) {
  const rows = await db
    .selectFrom('country_counts')
    .select(['country_code', 'verified_count'])
    .where('campaign_id', '=', campaignId)
    .where('verified_count', '>', 0)
    .orderBy('verified_count', 'desc')
    .orderBy('country_code')
    .execute()
  const total = rows.reduce((sum, r) => sum + r.verified_count, 0)
  return { total, rows: rows.map((r) => ({ code: r.country_code, name: countryName(r.country_code, 'en'), count: r.verified_count })) }
}

export function countsCsv(counts: Awaited<ReturnType<typeof countsByCountry>>): string {
  const share = (n: number) => (counts.total ? ((100 * n) / counts.total).toFixed(2) : '0.00')
  return (
    line(['code', 'name', 'verified_count', 'share_percent']) +
    counts.rows.map((r) => line([r.code, r.name, r.count, share(r.count)])).join('') +
    line(['', 'Total', counts.total, counts.total ? '100.00' : '0.00'])
  )
}
