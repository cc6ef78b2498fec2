import { randomUUID } from 'node:crypto'
import { stringify } from 'csv-stringify/sync'
import type { DB } from '~/db.server'
import type { Vault } from '~/infra/vault.server'
import { audit } from '~/models/organiser.server'
import { neutraliseCell, type PaperRow } from '~/utils/paper-csv.server'

/**
 * Signatures gathered on paper at vigils and events (ADR 134). They live in their own tables, never
 * in `signatures`: the verified counters, the campaign log and the letters' certificates read only
 * that table, so nothing on paper can be counted as confirmed by email, even by mistake.
 */
export interface PaperSettings {
  /** the public page states the paper total, apart from the verified count and the goal */
  showOnPage: boolean
  /** each state's letter states its paper figure in a sentence of its own */
  includeInLetters: boolean
}

export const PAPER_SETTINGS_OFF: PaperSettings = { showOnPage: false, includeInLetters: false }

export async function getPaperSettings(db: DB, campaignId: string): Promise<PaperSettings> {
  const row = await db.selectFrom('campaign_paper_settings').select(['show_on_page', 'include_in_letters']).where('campaign_id', '=', campaignId).executeTakeFirst()
  return row ? { showOnPage: row.show_on_page === 1, includeInLetters: row.include_in_letters === 1 } : PAPER_SETTINGS_OFF
}

export async function savePaperSettings(db: DB, campaignId: string, settings: PaperSettings, organiserId: string | null, now = Date.now()) {
  const values = { show_on_page: settings.showOnPage ? 1 : 0, include_in_letters: settings.includeInLetters ? 1 : 0, updated_by: organiserId, updated_at: now }
  await db
    .insertInto('campaign_paper_settings')
    .values({ campaign_id: campaignId, ...values })
    .onConflict((oc) => oc.column('campaign_id').doUpdateSet(values))
    .execute()
}

// Rows per insert: well under SQLite's 32,766 bound parameters and PostgreSQL's 65,535 at 9 columns.
const INSERT_CHUNK = 500

/** Stores a checked batch whole, in one transaction, and audits it (counts only, never a name). */
export async function commitPaperBatch(
  db: DB,
  vault: Vault,
  o: { campaignId: string; source: 'form' | 'csv'; rows: PaperRow[]; organiserId: string | null; ipHash?: string | null },
  now = Date.now(),
): Promise<{ batchId: string; count: number }> {
  if (o.rows.length === 0) throw new Error('An empty batch')
  const batchId = randomUUID()
  const rows = o.rows.map((r) => ({
    id: randomUUID(),
    campaign_id: o.campaignId,
    batch_id: batchId,
    name_enc: vault.encrypt(r.name),
    country_code: r.country,
    place_enc: r.place ? vault.encrypt(r.place) : null,
    collected_at: r.collectedAt,
    entered_by: o.organiserId,
    entered_at: now,
  }))
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('paper_batches').values({ id: batchId, campaign_id: o.campaignId, source: o.source, row_count: rows.length, entered_by: o.organiserId, entered_at: now }).execute()
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await trx.insertInto('paper_signatures').values(rows.slice(i, i + INSERT_CHUNK)).execute()
    await audit(trx, { organiserId: o.organiserId, action: 'paper.batch.add', target: batchId, details: { campaignId: o.campaignId, source: o.source, rows: rows.length }, ipHash: o.ipHash }, now)
  })
  return { batchId, count: rows.length }
}

/** Undoes a batch: its rows are deleted, names and all; the audit line keeps how many there were. */
export async function deletePaperBatch(db: DB, o: { campaignId: string; batchId: string; organiserId: string | null; ipHash?: string | null }, now = Date.now()): Promise<number | null> {
  return db.transaction().execute(async (trx) => {
    const batch = await trx.selectFrom('paper_batches').select(['id', 'row_count']).where('id', '=', o.batchId).where('campaign_id', '=', o.campaignId).executeTakeFirst()
    if (!batch) return null
    const deleted = await trx.deleteFrom('paper_signatures').where('batch_id', '=', batch.id).executeTakeFirst()
    await trx.deleteFrom('paper_batches').where('id', '=', batch.id).execute()
    const count = Number(deleted.numDeletedRows)
    await audit(trx, { organiserId: o.organiserId, action: 'paper.batch.undo', target: batch.id, details: { campaignId: o.campaignId, rows: count }, ipHash: o.ipHash }, now)
    return count
  })
}

export interface PaperBatchSummary {
  id: string
  source: 'form' | 'csv'
  count: number
  enteredAt: number
  enteredBy: string | null
  countries: string[]
}

export async function listPaperBatches(db: DB, campaignId: string, limit = 100): Promise<PaperBatchSummary[]> {
  const batches = await db.selectFrom('paper_batches').selectAll().where('campaign_id', '=', campaignId).orderBy('entered_at', 'desc').orderBy('id').limit(limit).execute()
  if (batches.length === 0) return []
  const countries = await db
    .selectFrom('paper_signatures')
    .select(['batch_id', 'country_code'])
    .distinct()
    .where('batch_id', 'in', batches.map((b) => b.id))
    .execute()
  return batches.map((b) => ({
    id: b.id,
    source: b.source,
    count: b.row_count,
    enteredAt: Number(b.entered_at),
    enteredBy: b.entered_by,
    countries: countries.filter((c) => c.batch_id === b.id).map((c) => c.country_code).sort(),
  }))
}

/** Paper signatures per country, and their total: never added to the verified figures. */
export async function paperCounts(db: DB, campaignId: string): Promise<{ total: number; byCountry: Map<string, number> }> {
  const rows = await db
    .selectFrom('paper_signatures')
    .select(['country_code', (eb) => eb.fn.countAll<number>().as('n')])
    .where('campaign_id', '=', campaignId)
    .groupBy('country_code')
    .execute()
  const byCountry = new Map(rows.map((r) => [r.country_code, Number(r.n)]))
  return { total: [...byCountry.values()].reduce((a, b) => a + b, 0), byCountry }
}

/** The paper total the public page may show: null unless the organisers turned it on and there is one. */
export async function publicPaperTotal(db: DB, campaignId: string): Promise<number | null> {
  if (!(await getPaperSettings(db, campaignId)).showOnPage) return null
  const row = await db.selectFrom('paper_signatures').select((eb) => eb.fn.countAll<number>().as('n')).where('campaign_id', '=', campaignId).executeTakeFirstOrThrow()
  return Number(row.n) || null
}

/** The paper figure a state's letter states: null unless the campaign includes paper in its letters. */
export async function paperFigureForLetter(db: DB, campaignId: string, country: string): Promise<number | null> {
  if (!(await getPaperSettings(db, campaignId)).includeInLetters) return null
  const row = await db
    .selectFrom('paper_signatures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('campaign_id', '=', campaignId)
    .where('country_code', '=', country)
    .executeTakeFirstOrThrow()
  return Number(row.n) || null
}

export const PAPER_CSV_COLUMNS = ['name', 'country', 'place', 'date'] as const

/**
 * The campaign's paper signatures as a CSV for organisers: every cell that a spreadsheet would run as
 * a formula gets a leading apostrophe, which the import takes off again; the file imports as it is.
 */
export async function paperSignaturesCsv(db: DB, vault: Vault, campaignId: string): Promise<string> {
  const rows = await db
    .selectFrom('paper_signatures')
    .select(['name_enc', 'country_code', 'place_enc', 'collected_at'])
    .where('campaign_id', '=', campaignId)
    .orderBy('entered_at')
    .orderBy('id')
    .execute()
  const lines = rows.map((r) =>
    [vault.decrypt(r.name_enc), r.country_code, r.place_enc ? vault.decrypt(r.place_enc) : '', new Date(Number(r.collected_at)).toISOString().slice(0, 10)].map(neutraliseCell),
  )
  return stringify([[...PAPER_CSV_COLUMNS], ...lines], { record_delimiter: '\r\n' })
}
