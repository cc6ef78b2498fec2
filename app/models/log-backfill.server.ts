import type { AppConfig } from '~/config.server'
import type { DB } from '~/db.server'
import { commitmentOf, signerSecret } from '~/transparency/leaf'
import { countsAt, latestCheckpoint, queueLogEntries, type PendingEntry } from '~/models/transparency-log.server'
import { pacer } from '~/infra/next-turn.server'

/**
 * Signatures confirmed before the log existed (migration 008) have no entry in it (ADR 093). This
 * job walks confirmed signatures in the order they were confirmed (confirmed_at, then id), in
 * bounded slices of one transaction each, and queues for the sequencer a `confirm` for each that
 * has no entry and none waiting, followed by an `invalidate` when it has since been invalidated.
 * Its cursor is stored (`log_backfill`), so it resumes after a crash; it is idempotent twice over:
 * it skips what the log or the queue already holds, and the sequencer never adds a signature twice.
 */

const NAME = 'signatures'

export interface BackfillResult {
  /** entries queued by this run */
  queued: number
  /** signatures looked at by this run */
  scanned: number
  done: boolean
}

export interface BackfillOptions {
  config: Pick<AppConfig, 'secrets'>
  /** signatures per slice (one transaction) */
  slice?: number
  /** stop after this many slices (the rest waits for the next run) */
  maxSlices?: number
  /** called before each slice; answering false stops the run (the lease was lost) */
  keepGoing?: () => Promise<boolean>
  now?: () => number
}

export async function backfillLog(db: DB, options: BackfillOptions): Promise<BackfillResult> {
  const slice = options.slice ?? 500
  const now = options.now ?? Date.now
  const total = { queued: 0, scanned: 0, done: false }
  const pause = pacer()
  for (let n = 0; n < (options.maxSlices ?? Infinity); n++) {
    if (options.keepGoing && !(await options.keepGoing())) break
    const step = await db.transaction().execute((trx) => backfillSlice(trx, options.config, slice, now()))
    total.queued += step.queued
    total.scanned += step.scanned
    if (step.done) {
      total.done = true
      break
    }
    await pause()
  }
  return total
}

async function backfillSlice(trx: DB, config: Pick<AppConfig, 'secrets'>, slice: number, now: number) {
  let progress = await trx.selectFrom('log_backfill').selectAll().where('name', '=', NAME).executeTakeFirst()
  if (progress?.finished_at != null) return { queued: 0, scanned: 0, done: true }
  if (!progress) {
    progress = { name: NAME, after_confirmed_at: -1, after_id: '', queued: 0, started_at: now, updated_at: now, finished_at: null }
    await trx.insertInto('log_backfill').values(progress).onConflict((oc) => oc.column('name').doNothing()).execute()
  }
  const after = { at: Number(progress.after_confirmed_at), id: progress.after_id }
  const rows = await trx
    .selectFrom('signatures')
    .select(['id', 'campaign_id', 'country_code', 'status', 'confirmed_at'])
    .where('confirmed_at', 'is not', null)
    .where('status', 'in', ['verified', 'invalidated'])
    .where((eb) => eb.or([eb('confirmed_at', '>', after.at), eb.and([eb('confirmed_at', '=', after.at), eb('id', '>', after.id)])]))
    .orderBy('confirmed_at')
    .orderBy('id')
    .limit(slice)
    .execute()
  if (rows.length === 0) {
    await trx.updateTable('log_backfill').set({ finished_at: now, updated_at: now }).where('name', '=', NAME).execute()
    return { queued: 0, scanned: 0, done: true }
  }
  const commitments = new Map(rows.map((r) => [r.id, commitmentOf(signerSecret(config.secrets.HMAC_KEY, r.id))]))
  // The queue first, then the log: the sequencer moves an entry from one to the other in one
  // transaction, so an entry read gone from the queue is already in the log when it is read next.
  const waiting = new Set((await trx.selectFrom('log_pending').select('signature_id').where('signature_id', 'in', rows.map((r) => r.id)).execute()).map((p) => p.signature_id))
  const logged = new Set(
    (await trx.selectFrom('log_entries').select(['campaign_id', 'commitment']).where('commitment', 'in', [...commitments.values()]).execute()).map((e) => `${e.campaign_id} ${e.commitment}`),
  )
  const entries: PendingEntry[] = []
  for (const r of rows) {
    if (logged.has(`${r.campaign_id} ${commitments.get(r.id)}`) || waiting.has(r.id)) continue
    entries.push({ campaignId: r.campaign_id, kind: 'confirm', country: r.country_code, signatureId: r.id })
    // Its invalidation came later (its time is not kept): it follows its own confirmation.
    if (r.status === 'invalidated') entries.push({ campaignId: r.campaign_id, kind: 'invalidate', country: r.country_code, signatureId: r.id })
  }
  await queueLogEntries(trx, entries, now)
  const last = rows[rows.length - 1]
  await trx
    .updateTable('log_backfill')
    .set({ after_confirmed_at: Number(last.confirmed_at), after_id: last.id, queued: Number(progress.queued) + entries.length, updated_at: now })
    .where('name', '=', NAME)
    .execute()
  return { queued: entries.length, scanned: rows.length, done: false }
}

export interface LogDrift {
  campaignId: string
  country: string
  /** counted signatures in the database */
  database: number
  /** adds minus removals in the log at its latest checkpoint */
  log: number
}

/**
 * Where each campaign's log, recounted at its latest checkpoint, disagrees with the database's
 * counted signatures; `pending` says how many entries still wait for the sequencer (while any do,
 * a difference may only be a delay).
 */
export async function logCountDrift(db: DB): Promise<{ drift: LogDrift[]; pending: number }> {
  const pending = Number((await db.selectFrom('log_pending').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0)
  const campaigns = await db.selectFrom('campaigns').select('id').execute()
  const actual = await db
    .selectFrom('signatures')
    .select(['campaign_id', 'country_code', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'verified')
    .groupBy(['campaign_id', 'country_code'])
    .execute()
  const drift: LogDrift[] = []
  for (const { id } of campaigns) {
    const last = await latestCheckpoint(db, id)
    const log = last ? await countsAt(db, id, Number(last.size)) : new Map<string, number>()
    const database = new Map(actual.filter((r) => r.campaign_id === id).map((r) => [r.country_code, Number(r.n)]))
    for (const country of [...new Set([...database.keys(), ...log.keys()])].sort()) {
      const d = database.get(country) ?? 0
      const l = log.get(country) ?? 0
      if (d !== l) drift.push({ campaignId: id, country, database: d, log: l })
    }
  }
  return { drift, pending }
}
