import { organiserName } from '~/models/organiser.server'
import { randomUUID } from 'node:crypto'
import { sql, type ExpressionBuilder } from 'kysely'
import { forUpdate, type Database, type DB, type SignatureStatus } from '~/db.server'
import { moveCounts } from '~/models/counters.server'
import { queueLogEntries } from '~/models/transparency-log.server'
import { isDisposableDomain } from '~/infra/disposable-email.server'
import { canonicalEmail, emailDomain } from '~/utils/email-address'
import type { Vault } from '~/infra/vault.server'
import { pacer } from '~/infra/next-turn.server'

const HOUR = 60 * 60_000
const DAY = 24 * HOUR
/** Rows per statement when ids are listed in an IN (...): well under every database's limit. */
const CHUNK = 500

export interface CampaignRef {
  id: string
  slug: string
  status: string
  defaultLocale: string
  title: string
}

/** Any campaign, drafts included, as organisers see it: its title in its default language. */
export async function campaignForOrganisers(db: DB, slug: string): Promise<CampaignRef | null> {
  const row = await db
    .selectFrom('campaigns')
    .leftJoin('campaign_translations as t', (join) =>
      join.onRef('t.campaign_id', '=', 'campaigns.id').onRef('t.locale', '=', 'campaigns.default_locale'),
    )
    .select(['campaigns.id', 'campaigns.slug', 'campaigns.status', 'campaigns.default_locale', 't.title'])
    .where('campaigns.slug', '=', slug)
    .executeTakeFirst()
  if (!row) return null
  return { id: row.id, slug: row.slug, status: row.status, defaultLocale: row.default_locale, title: row.title ?? row.slug }
}

/** What organisers can search by. Times are epoch ms on the signing time, `to` exclusive. */
export interface SignatureQuery {
  email?: string
  name?: string
  country?: string
  domain?: string
  ipHash?: string
  from?: number
  to?: number
  status?: SignatureStatus
  /** Only signatures whose IP country differs from the declared country. */
  mismatch?: boolean
}

/** What a bulk invalidation may select by: never by name or email, always by a shared trait. */
export interface InvalidationRule {
  domain?: string
  ipHash?: string
  country?: string
  from?: number
  to?: number
}

export const ruleIsEmpty = (r: InvalidationRule) =>
  !r.domain && !r.ipHash && !r.country && r.from === undefined && r.to === undefined

/**
 * Names are compared after Unicode compatibility folding, in lower case, with the Arabic forms of
 * yeh and kaf read as their Persian forms and ZWNJ dropped, so "Sara", "sara " and "سارا" typed on
 * an Arabic keyboard all find the signer.
 */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\u064A/g, '\u06CC')
    .replace(/\u0643/g, '\u06A9')
    .replace(/\u200C/g, '')
    .replace(/\s+/gu, ' ')
    .trim()
}

function conditions(eb: ExpressionBuilder<Database, 'signatures'>, vault: Vault, campaignId: string, q: SignatureQuery) {
  const c = [eb('signatures.campaign_id', '=', campaignId)]
  if (q.email) c.push(eb('signatures.email_hash', '=', vault.emailHash(canonicalEmail(q.email))))
  if (q.domain) c.push(eb('signatures.email_domain_hash', '=', vault.domainHash(emailDomain(q.domain))))
  if (q.ipHash) c.push(eb('signatures.ip_hash', '=', q.ipHash))
  if (q.country) c.push(eb('signatures.country_code', '=', q.country))
  if (q.from !== undefined) c.push(eb('signatures.created_at', '>=', q.from))
  if (q.to !== undefined) c.push(eb('signatures.created_at', '<', q.to))
  if (q.status) c.push(eb('signatures.status', '=', q.status))
  if (q.mismatch) c.push(eb('signatures.ip_country_differs', '=', 1))
  return eb.and(c)
}

export interface SignatureRow {
  id: string
  name: string
  email: string
  country: string
  status: SignatureStatus
  locale: string
  showName: boolean
  newsOptIn: boolean
  ipHash: string | null
  ipCountry: string | null
  createdAt: number
  confirmedAt: number | null
  disposable: boolean
}

const rowColumns = [
  'id',
  'name_enc',
  'email_enc',
  'country_code',
  'status',
  'locale',
  'show_name',
  'news_opt_in',
  'ip_hash',
  'ip_country',
  'ip_country_enc',
  'created_at',
  'confirmed_at',
] as const

type RawRow = {
  id: string
  name_enc: string
  email_enc: string
  country_code: string
  status: SignatureStatus
  locale: string
  show_name: number
  news_opt_in: number
  ip_hash: string | null
  ip_country: string | null
  ip_country_enc: string | null
  created_at: number
  confirmed_at: number | null
}

function toRow(vault: Vault, r: RawRow, name?: string): SignatureRow {
  const email = vault.decrypt(r.email_enc)
  return {
    id: r.id,
    name: name ?? vault.decrypt(r.name_enc),
    email,
    country: r.country_code,
    status: r.status,
    locale: r.locale,
    showName: r.show_name === 1,
    newsOptIn: r.news_opt_in === 1,
    ipHash: r.ip_hash,
    ipCountry: r.ip_country_enc ? vault.decrypt(r.ip_country_enc) : r.ip_country,
    createdAt: r.created_at,
    confirmedAt: r.confirmed_at,
    disposable: isDisposableDomain(emailDomain(email)),
  }
}

export interface SearchResult {
  rows: SignatureRow[]
  /** Rows decrypted to match a name; 0 when the search had no name. */
  scanned: number
  /** False when the limit or the scan bound stopped the search before every match was seen. */
  complete: boolean
}

/**
 * Finds signatures, newest first. Email, domain, IP hash, country, status and dates are matched in
 * SQL through indexes and keyed hashes. Names are encrypted, so a name is matched by decrypting the
 * rows the other criteria leave, in keyset batches, up to `scanLimit` rows
 * (docs/decisions/040-name-search-by-bounded-scan.md).
 */
export async function searchSignatures(
  db: DB,
  vault: Vault,
  campaignId: string,
  q: SignatureQuery,
  { limit = 100, scanLimit = 200_000, batch = 1_000 } = {},
): Promise<SearchResult> {
  const base = () =>
    db
      .selectFrom('signatures')
      .select(rowColumns)
      .where((eb) => conditions(eb, vault, campaignId, q))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')

  if (!q.name) {
    const rows = await base().limit(limit + 1).execute()
    return { rows: rows.slice(0, limit).map((r) => toRow(vault, r)), scanned: 0, complete: rows.length <= limit }
  }

  const needle = normaliseName(q.name)
  const found: SignatureRow[] = []
  let scanned = 0
  let cursor: { createdAt: number; id: string } | null = null
  for (;;) {
    const c: { createdAt: number; id: string } | null = cursor
    const rows: RawRow[] = await base()
      .$if(c !== null, (qb) =>
        qb.where((eb) =>
          eb.or([eb('created_at', '<', c!.createdAt), eb.and([eb('created_at', '=', c!.createdAt), eb('id', '<', c!.id)])]),
        ),
      )
      .limit(batch)
      .execute()
    for (const r of rows) {
      scanned++
      const name = vault.decrypt(r.name_enc)
      if (normaliseName(name).includes(needle)) {
        if (found.length === limit) return { rows: found, scanned, complete: false }
        found.push(toRow(vault, r, name))
      }
    }
    if (rows.length < batch) return { rows: found, scanned, complete: true }
    if (scanned >= scanLimit) return { rows: found, scanned, complete: false }
    const last: RawRow = rows[rows.length - 1]
    cursor = { createdAt: last.created_at, id: last.id }
  }
}

export interface HistoryEntry {
  at: number
  what: string
  who?: string | null
  detail?: string | null
}

/** A signature's life: signed, each email queued and sent, confirmed, invalidated and restored (with who). */
export async function signatureHistory(db: DB, vault: Vault, campaignId: string, signatureId: string) {
  const sig = await db
    .selectFrom('signatures')
    .select(rowColumns)
    .where('id', '=', signatureId)
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst()
  if (!sig) return null
  const [emails, events] = await Promise.all([
    db
      .selectFrom('outbox')
      .select(['template', 'status', 'created_at', 'sent_at', 'attempts'])
      .where('signature_id', '=', signatureId)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('signature_events')
      .leftJoin('organisers', 'organisers.id', 'signature_events.organiser_id')
      .select(['signature_events.action', 'signature_events.reason', 'signature_events.created_at', 'signature_events.batch_id', 'organisers.id as organiserId', 'organisers.name', 'organisers.name_enc'])
      .where('signature_events.signature_id', '=', signatureId)
      .orderBy('signature_events.created_at')
      .execute(),
  ])
  const entries: HistoryEntry[] = [{ at: sig.created_at, what: 'Signed' }]
  for (const e of emails) {
    entries.push({ at: e.created_at, what: `Email queued: ${e.template}` })
    if (e.sent_at !== null) entries.push({ at: e.sent_at, what: `Email sent: ${e.template}` })
    else if (e.status === 'failed') entries.push({ at: e.created_at, what: `Email failed: ${e.template}`, detail: `${e.attempts} attempts` })
  }
  if (sig.confirmed_at !== null) entries.push({ at: sig.confirmed_at, what: 'Confirmed by the signer' })
  for (const e of events) {
    entries.push({
      at: e.created_at,
      what: e.action === 'invalidated' ? (e.batch_id ? 'Invalidated by a rule' : 'Invalidated') : 'Restored',
      who: e.organiserId ? organiserName(vault, { name: e.name, name_enc: e.name_enc }) : 'an organiser no longer listed',
      detail: e.reason,
    })
  }
  entries.sort((a, b) => a.at - b.at)
  return { signature: toRow(vault, sig), entries }
}

export interface Actor {
  organiserId: string | null
  reason?: string | null
}

export interface StatusChange {
  /** Signatures whose status changed. */
  changed: number
  /** Of those, how many were (or became) verified: what the public count moved by. */
  verified: number
}

async function countersMove(trx: DB, campaignId: string, byCountry: Map<string, number>, invalidatedDelta: number, now: number) {
  await moveCounts(trx, campaignId, { verified: byCountry, invalidated: invalidatedDelta }, now)
}

async function recordEvents(trx: DB, campaignId: string, ids: string[], action: 'invalidated' | 'restored', actor: Actor, batchId: string | null, now: number) {
  for (let i = 0; i < ids.length; i += CHUNK) {
    await trx
      .insertInto('signature_events')
      .values(
        ids.slice(i, i + CHUNK).map((id) => ({
          id: randomUUID(),
          signature_id: id,
          campaign_id: campaignId,
          action,
          batch_id: batchId,
          organiser_id: actor.organiserId,
          reason: actor.reason?.slice(0, 500) || null,
          created_at: now,
        })),
      )
      .execute()
  }
}

type Target = { id: string; status: SignatureStatus; country_code: string; confirmed_at: number | null }

/**
 * Moves the given rows from one status to another, and answers the rows the update actually changed
 * (each with its country). The counters follow what changed, never what was read before: on
 * PostgreSQL a concurrent confirmation or withdrawal may have moved a row since (ADR 065).
 */
async function moveStatus(
  trx: DB,
  campaignId: string,
  ids: string[],
  from: SignatureStatus,
  to: SignatureStatus,
  now: number,
  confirmed?: boolean,
): Promise<{ id: string; country_code: string }[]> {
  const changed: { id: string; country_code: string }[] = []
  for (let i = 0; i < ids.length; i += CHUNK) {
    let update = trx
      .updateTable('signatures')
      .set({ status: to, updated_at: now })
      .where('campaign_id', '=', campaignId)
      .where('id', 'in', ids.slice(i, i + CHUNK))
      .where('status', '=', from)
    if (confirmed !== undefined) update = update.where('confirmed_at', confirmed ? 'is not' : 'is', null)
    changed.push(...(await update.returning(['id', 'country_code']).execute()))
  }
  return changed
}

function byCountryOf(rows: { country_code: string }[], sign: 1 | -1) {
  const byCountry = new Map<string, number>()
  for (const r of rows) byCountry.set(r.country_code, (byCountry.get(r.country_code) ?? 0) + sign)
  return byCountry
}

/** Invalidates the given rows and moves every counter with the rows that changed. */
async function invalidateRows(trx: DB, campaignId: string, rows: Target[], actor: Actor, batchId: string | null, now: number): Promise<StatusChange> {
  const ids = rows.filter((r) => r.status !== 'invalidated').map((r) => r.id)
  const wasVerified = await moveStatus(trx, campaignId, ids, 'verified', 'invalidated', now)
  const wasPending = await moveStatus(trx, campaignId, ids, 'pending', 'invalidated', now)
  const changed = [...wasVerified, ...wasPending]
  await countersMove(trx, campaignId, byCountryOf(wasVerified, -1), changed.length, now)
  await queueLogEntries(trx, wasVerified.map((r) => ({ campaignId, kind: 'invalidate' as const, country: r.country_code, signatureId: r.id })), now)
  await recordEvents(trx, campaignId, changed.map((r) => r.id), 'invalidated', actor, batchId, now)
  return { changed: changed.length, verified: wasVerified.length }
}

/**
 * Restores invalidated rows to what they were: verified if the signer had confirmed (confirmed_at
 * is set exactly then), pending otherwise; counters follow in the same transaction.
 */
async function restoreRows(trx: DB, campaignId: string, rows: Target[], actor: Actor, now: number): Promise<StatusChange> {
  const ids = rows.filter((r) => r.status === 'invalidated').map((r) => r.id)
  const toVerified = await moveStatus(trx, campaignId, ids, 'invalidated', 'verified', now, true)
  const toPending = await moveStatus(trx, campaignId, ids, 'invalidated', 'pending', now, false)
  const changed = [...toVerified, ...toPending]
  await countersMove(trx, campaignId, byCountryOf(toVerified, 1), -changed.length, now)
  await queueLogEntries(trx, toVerified.map((r) => ({ campaignId, kind: 'restore' as const, country: r.country_code, signatureId: r.id })), now)
  await recordEvents(trx, campaignId, changed.map((r) => r.id), 'restored', actor, null, now)
  return { changed: changed.length, verified: toVerified.length }
}

async function targetsById(trx: DB, campaignId: string, ids: string[]): Promise<Target[]> {
  const out: Target[] = []
  for (let i = 0; i < ids.length; i += CHUNK) {
    out.push(
      ...(await trx
        .selectFrom('signatures')
        .select(['id', 'status', 'country_code', 'confirmed_at'])
        .where('campaign_id', '=', campaignId)
        .where('id', 'in', ids.slice(i, i + CHUNK))
        .execute()),
    )
  }
  return out
}

export function invalidateSignatures(db: DB, campaignId: string, ids: string[], actor: Actor, now = Date.now()) {
  return db.transaction().execute(async (trx) => invalidateRows(trx, campaignId, await targetsById(trx, campaignId, ids), actor, null, now))
}

export function restoreSignatures(db: DB, campaignId: string, ids: string[], actor: Actor, now = Date.now()) {
  return db.transaction().execute(async (trx) => restoreRows(trx, campaignId, await targetsById(trx, campaignId, ids), actor, now))
}

export interface RulePreview {
  verified: number
  pending: number
  total: number
}

/** How many signatures still counted or pending a rule would invalidate. */
export async function previewRule(db: DB, vault: Vault, campaignId: string, rule: InvalidationRule): Promise<RulePreview> {
  const rows = await db
    .selectFrom('signatures')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where((eb) => conditions(eb, vault, campaignId, rule))
    .where('status', '!=', 'invalidated')
    .groupBy('status')
    .execute()
  const verified = Number(rows.find((r) => r.status === 'verified')?.n ?? 0)
  const pending = Number(rows.find((r) => r.status === 'pending')?.n ?? 0)
  return { verified, pending, total: verified + pending }
}

export type ApplyRuleResult =
  | { kind: 'done'; batchId: string; change: StatusChange }
  | { kind: 'changed'; preview: RulePreview }
  | { kind: 'empty-rule' }

/**
 * Signatures a rule batch moves per transaction (ADR 112): short enough that the site serves between
 * slices. Each row moved touches a dozen indexes on the serving connection: 500 a slice held readers
 * up to 1.7 s at 1,000,000 signatures (ADR 138).
 */
export const RULE_SLICE = 100
/** A batch whose process has not worked on it for this long is taken over by another (or at the next start). */
export const BATCH_STALE_MS = 60_000

const addChange = (a: StatusChange, b: StatusChange): StatusChange => ({ changed: a.changed + b.changed, verified: a.verified + b.verified })

/**
 * Invalidates every signature a rule matches, as one batch that can be undone. `expected` is the
 * total the organiser saw in the preview: if signatures arrived or left since, nothing is changed
 * and the new preview is returned, so no one applies a rule to more than they were shown.
 *
 * The batch is recorded first, then applied a slice at a time, each slice its own transaction with
 * its counters, log leaves and events (ADR 112): a rule over 100,000 signatures used to be one
 * transaction that froze the site for half a minute. Only signatures made before the batch are
 * touched; a batch cut short by a stop is finished by `resumeRuleBatches`.
 */
export async function applyRule(
  db: DB,
  vault: Vault,
  campaignId: string,
  rule: InvalidationRule,
  actor: Actor & { expected: number },
  now = Date.now(),
  slice = RULE_SLICE,
  readDb = db,
): Promise<ApplyRuleResult> {
  if (ruleIsEmpty(rule)) return { kind: 'empty-rule' }
  // Counted on the read connection: over 100,000 rows, on the serving one, the count alone froze the site for 8 s (#10).
  const preview = await previewRule(readDb, vault, campaignId, rule)
  if (preview.total !== actor.expected) return { kind: 'changed', preview }
  const batchId = randomUUID()
  await db
    .insertInto('invalidation_batches')
    .values({
      id: batchId,
      campaign_id: campaignId,
      rule_json: JSON.stringify(rule),
      reason: actor.reason?.slice(0, 500) || null,
      organiser_id: actor.organiserId,
      count: preview.total,
      created_at: now,
      undone_at: null,
      undone_by: null,
      state: 'applying',
      done_count: 0,
      heartbeat_at: now,
    })
    .execute()
  const change = await continueBatch(db, vault, batchId, slice, readDb)
  return { kind: 'done', batchId, change }
}

export type UndoResult = { kind: 'done'; change: StatusChange } | { kind: 'not-found' } | { kind: 'already-undone' } | { kind: 'still-applying' }

/** Restores, a slice at a time, the signatures a rule invalidated that are still invalidated, then marks the batch undone. */
export async function undoBatch(db: DB, vault: Vault, campaignId: string, batchId: string, actor: Actor, now = Date.now(), slice = RULE_SLICE, readDb = db): Promise<UndoResult> {
  // Only a finished batch turns to undoing, and only once: the update is the check.
  const started = await db
    .updateTable('invalidation_batches')
    .set({ state: 'undoing', undone_by: actor.organiserId, done_count: 0, heartbeat_at: now })
    .where('id', '=', batchId)
    .where('campaign_id', '=', campaignId)
    .where('state', '=', 'done')
    .executeTakeFirst()
  if (Number(started.numUpdatedRows) === 0) {
    const batch = await db.selectFrom('invalidation_batches').select('state').where('id', '=', batchId).where('campaign_id', '=', campaignId).executeTakeFirst()
    if (!batch) return { kind: 'not-found' }
    return batch.state === 'applying' ? { kind: 'still-applying' } : { kind: 'already-undone' }
  }
  return { kind: 'done', change: await continueBatch(db, vault, batchId, slice, readDb) }
}

/**
 * Works a batch forward to its end, slice by slice: applying (invalidate what the rule matches
 * among signatures made before the batch) or undoing (restore what the batch invalidated). Each
 * slice moves its rows, counters, log leaves and events in one transaction and beats the batch's
 * heartbeat; rows already moved are never matched again, so a slice done twice changes nothing.
 *
 * Which rows are left is read from `readDb` (the read worker on SQLite: ADR 125), in one pass, and
 * the slices then take them by id (#10). Searching for the next slice on the serving connection read
 * past every row already moved, each time: 100,000 rows at 1,000,000 signatures took 120 s and froze
 * the site for seconds at a time. The list is read again once it is used up, until it comes back
 * empty, so a row that became eligible meanwhile (restored by hand, say) is not left out.
 */
async function continueBatch(db: DB, vault: Vault, batchId: string, slice: number, readDb: DB): Promise<StatusChange> {
  let total: StatusChange = { changed: 0, verified: 0 }
  const pause = pacer()
  for (;;) {
    const batch = await readDb.selectFrom('invalidation_batches').select(['campaign_id', 'rule_json', 'created_at', 'state']).where('id', '=', batchId).executeTakeFirst()
    if (!batch || (batch.state !== 'applying' && batch.state !== 'undoing')) return total
    const left = await batchTargets(readDb, vault, batchId, batch)
    let moved = 0
    for (let i = 0; i < left.length; i += slice) {
      const step = await batchSlice(db, batchId, left.slice(i, i + slice))
      if (!step) return total
      total = addChange(total, step)
      moved += step.changed
      await pause()
    }
    // Nothing left, or a list of rows all moved by someone else meanwhile: the batch is finished.
    if (left.length === 0 || moved === 0) {
      await db.transaction().execute(async (trx) => {
        // Locked on PostgreSQL, so two processes never finish (or work) the same batch at once.
        const current = await forUpdate(trx, trx.selectFrom('invalidation_batches').select('state').where('id', '=', batchId)).executeTakeFirst()
        if (current?.state !== batch.state) return
        const now = Date.now()
        const finished = batch.state === 'applying' ? { state: 'done' as const } : { state: 'undone' as const, undone_at: now }
        await trx.updateTable('invalidation_batches').set({ ...finished, heartbeat_at: now }).where('id', '=', batchId).execute()
      })
      return total
    }
  }
}

/** The ids a batch has still to move, in id order: matched by its rule and not yet invalidated, or invalidated by it and not yet restored. */
async function batchTargets(readDb: DB, vault: Vault, batchId: string, batch: { campaign_id: string; rule_json: string; created_at: number; state: string }) {
  const rows =
    batch.state === 'applying'
      ? await readDb
          .selectFrom('signatures')
          .select('signatures.id')
          .where((eb) => conditions(eb, vault, batch.campaign_id, JSON.parse(batch.rule_json) as InvalidationRule))
          .where('status', 'in', ['verified', 'pending'])
          .where('created_at', '<=', batch.created_at)
          .orderBy('signatures.id')
          .execute()
      : await readDb
          .selectFrom('signatures')
          .innerJoin('signature_events as e', 'e.signature_id', 'signatures.id')
          .select('signatures.id')
          .where('e.batch_id', '=', batchId)
          .where('e.action', '=', 'invalidated')
          .where('signatures.status', '=', 'invalidated')
          .orderBy('signatures.id')
          .execute()
  return rows.map((r) => r.id)
}

/** One slice of a batch, by id, in one transaction; null once the batch is no longer being worked (done, undone, or taken over and finished). */
async function batchSlice(db: DB, batchId: string, ids: string[]): Promise<StatusChange | null> {
  return db.transaction().execute(async (trx) => {
    // Locked on PostgreSQL, so two processes never work the same batch's slice at once.
    const batch = await forUpdate(
      trx,
      trx.selectFrom('invalidation_batches').select(['campaign_id', 'reason', 'organiser_id', 'undone_by', 'state']).where('id', '=', batchId),
    ).executeTakeFirst()
    if (!batch || (batch.state !== 'applying' && batch.state !== 'undoing')) return null
    const now = Date.now()
    // Checked again here: a row moved since the list was read (by another process, or by hand) is left as it is.
    const rows: Target[] = await trx
      .selectFrom('signatures')
      .select(['id', 'status', 'country_code', 'confirmed_at'])
      .where('id', 'in', ids)
      .where('status', 'in', batch.state === 'applying' ? ['verified', 'pending'] : ['invalidated'])
      .execute()
    const change =
      rows.length === 0
        ? { changed: 0, verified: 0 }
        : batch.state === 'applying'
          ? await invalidateRows(trx, batch.campaign_id, rows, { organiserId: batch.organiser_id, reason: batch.reason }, batchId, now)
          : await restoreRows(trx, batch.campaign_id, rows, { organiserId: batch.undone_by }, now)
    await trx
      .updateTable('invalidation_batches')
      .set((eb) => ({ done_count: eb('done_count', '+', change.changed), heartbeat_at: now }))
      .where('id', '=', batchId)
      .execute()
    return change
  })
}

/**
 * Finishes the batches a stopped process left applying or undoing (their heartbeat older than
 * `staleMs`); run by the periodic pick-up, under its lease. Returns how many it finished.
 */
export async function resumeRuleBatches(db: DB, vault: Vault, now = Date.now(), staleMs = BATCH_STALE_MS, slice = RULE_SLICE, readDb = db): Promise<number> {
  const stale = await db
    .selectFrom('invalidation_batches')
    .select('id')
    .where('state', 'in', ['applying', 'undoing'])
    .where((eb) => eb.or([eb('heartbeat_at', 'is', null), eb('heartbeat_at', '<', now - staleMs)]))
    .execute()
  for (const { id } of stale) await continueBatch(db, vault, id, slice, readDb)
  return stale.length
}

export async function listBatches(db: DB, vault: Vault, campaignId: string, limit = 20) {
  const rows = await db
    .selectFrom('invalidation_batches as b')
    .leftJoin('organisers as o', 'o.id', 'b.organiser_id')
    .select(['b.id', 'b.rule_json', 'b.reason', 'b.count', 'b.created_at', 'b.undone_at', 'b.state', 'b.done_count', 'o.id as organiserId', 'o.name', 'o.name_enc'])
    .where('b.campaign_id', '=', campaignId)
    .orderBy('b.created_at', 'desc')
    .limit(limit)
    .execute()
  return rows.map(({ organiserId, name, name_enc, ...b }) => ({ ...b, organiser: organiserId ? organiserName(vault, { name, name_enc }) : null }))
}

/**
 * Fills email_domain_hash on rows signed before migration 005, a batch at a time (the key lives in
 * the app, so a migration cannot). Returns how many rows it filled; 0 once there is nothing left.
 */
export async function backfillDomainHashes(db: DB, vault: Vault, batch = 500): Promise<number> {
  let total = 0
  const pause = pacer()
  for (;;) {
    const rows = await rowsMissingDomainHash(db, batch).execute()
    if (rows.length === 0) return total
    await db.transaction().execute(async (trx) => {
      for (const r of rows) {
        const domainHash = vault.domainHash(emailDomain(vault.decrypt(r.email_enc)))
        await trx.updateTable('signatures').set({ email_domain_hash: domainHash }).where('id', '=', r.id).execute()
      }
    })
    total += rows.length
    // Let requests in between batches (ADR 140).
    await pause()
  }
}

/** Signatures with no domain hash yet: found by their partial index, empty once filled (migration 029). */
export const rowsMissingDomainHash = (db: DB, batch: number) => db.selectFrom('signatures').select(['id', 'email_enc']).where('email_domain_hash', 'is', null).limit(batch)

export interface FraudThresholds {
  ipPerHour: number
  domainPerHour: number
  /** How far back the hourly bursts are looked for. */
  sinceMs?: number
}

export interface FraudFlags {
  ipBursts: { ipHash: string; count: number; hourStart: number }[]
  domainBursts: { domain: string; count: number; hourStart: number }[]
  disposable: { domain: string; count: number }[]
  countryMismatch: { declared: string; ipCountry: string; count: number }[]
}

/**
 * Signs that point at fraud; none of them proves it (a family shares an IP, a diaspora signs from
 * abroad, Iranians use VPNs to be safe), so they lead organisers to a search, never to an action.
 * Bursts are counted in one-hour buckets at two offsets half an hour apart, so a burst that
 * straddles the hour is not split in two.
 */
export async function fraudFlags(db: DB, vault: Vault, campaignId: string, t: FraudThresholds, now = Date.now()): Promise<FraudFlags> {
  const since = now - (t.sinceMs ?? 30 * DAY)

  async function bursts(column: 'ip_hash' | 'email_domain_hash', threshold: number) {
    const best = new Map<string, { count: number; hourStart: number; sample: string }>()
    for (const offset of [0, HOUR / 2]) {
      const bucket = sql<number>`(signatures.created_at + ${sql.lit(offset)}) / ${sql.lit(HOUR)}`
      const rows = await db
        .selectFrom('signatures')
        .select((eb) => [
          eb.ref(column).as('key'),
          bucket.as('bucket'),
          eb.fn.countAll<number>().as('n'),
          eb.fn.min('email_enc').as('sample'),
        ])
        .where('campaign_id', '=', campaignId)
        .where('status', '=', 'verified')
        .where('created_at', '>=', since)
        .where(column, 'is not', null)
        .groupBy([column, bucket])
        .having((eb) => eb.fn.countAll(), '>=', threshold)
        .execute()
      for (const r of rows) {
        const key = r.key as string
        const n = Number(r.n)
        if ((best.get(key)?.count ?? 0) < n) {
          best.set(key, { count: n, hourStart: Math.floor(Number(r.bucket)) * HOUR - offset, sample: r.sample as string })
        }
      }
    }
    return [...best.entries()].sort((a, b) => b[1].count - a[1].count)
  }

  const [ip, domain, domains, mismatch] = await Promise.all([
    bursts('ip_hash', t.ipPerHour),
    bursts('email_domain_hash', t.domainPerHour),
    db
      .selectFrom('signatures')
      .select((eb) => ['email_domain_hash', eb.fn.countAll<number>().as('n'), eb.fn.min('email_enc').as('sample')])
      .where('campaign_id', '=', campaignId)
      .where('status', '!=', 'invalidated')
      .where('email_domain_hash', 'is not', null)
      .groupBy('email_domain_hash')
      .execute(),
    // The IP's country is encrypted (ADR 089): only the rows flagged as differing are read and opened.
    db
      .selectFrom('signatures')
      .select(['country_code', 'ip_country_enc'])
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'verified')
      .where('ip_country_differs', '=', 1)
      .execute(),
  ])
  const domainOf = (sample: string) => emailDomain(vault.decrypt(sample))
  return {
    ipBursts: ip.map(([ipHash, b]) => ({ ipHash, count: b.count, hourStart: b.hourStart })),
    domainBursts: domain.map(([, b]) => ({ domain: domainOf(b.sample), count: b.count, hourStart: b.hourStart })),
    disposable: domains
      .map((d) => ({ domain: domainOf(d.sample as string), count: Number(d.n) }))
      .filter((d) => isDisposableDomain(d.domain))
      .sort((a, b) => b.count - a.count),
    countryMismatch: countMismatches(vault, mismatch),
  }
}

/** Declared country × IP country of the flagged rows, most frequent first, at most 50 pairs. */
function countMismatches(vault: Vault, rows: { country_code: string; ip_country_enc: string | null }[]) {
  const pairs = new Map<string, { declared: string; ipCountry: string; count: number }>()
  for (const r of rows) {
    if (!r.ip_country_enc) continue
    const ipCountry = vault.decrypt(r.ip_country_enc)
    const key = `${r.country_code} ${ipCountry}`
    const pair = pairs.get(key) ?? { declared: r.country_code, ipCountry, count: 0 }
    pair.count++
    pairs.set(key, pair)
  }
  return [...pairs.values()].sort((a, b) => b.count - a.count || a.declared.localeCompare(b.declared) || a.ipCountry.localeCompare(b.ipCountry)).slice(0, 50)
}
