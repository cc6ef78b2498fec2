import type { AppConfig } from '~/config.server'
import { sql } from 'kysely'
import { engineOf, type DB, type LogEntryKind } from '~/db.server'
import { acquireLease, releaseLease } from '~/models/lease.server'
import { formatCheckpoint } from '~/transparency/checkpoint'
import { commitmentOf, countryCommitmentOf, countryOpening, encodeLeaf, isAdd, namesCountry, parseLeaf, signerSecret, type Leaf, type Openings } from '~/transparency/leaf'
import { consistencyProof, EMPTY_ROOT, inclusionProof, leafHash, nodeHash, treeHash, withHashes, type Hash } from '~/transparency/merkle'
import { cosignatureTime, parseCosignerKey } from '~/transparency/cosignature'
import { parseNote, signerFromSeed, signNote, type NoteSigner } from '~/transparency/note'
import { encodeBundle, TILE_HEIGHT, TILE_WIDTH } from '~/transparency/tiles'
import { nextTurn, pacer } from '~/infra/next-turn.server'

/**
 * Each campaign's append-only transparency log (ADR 081). The hot path (a confirmation, a
 * withdrawal, an invalidation) adds one row to `log_pending` in its own transaction; the sequencer
 * (`sequenceLog`, on a timer) turns pending rows into entries in id order, in bounded batches, in
 * one transaction that also stores the new complete-subtree hashes and signs a checkpoint.
 */

export interface PendingEntry {
  campaignId: string
  kind: LogEntryKind
  country: string
  signatureId: string
}

const CHUNK = 400

/** The one insert a confirmation, withdrawal or invalidation makes for the log. */
export async function queueLogEntries(db: DB, entries: PendingEntry[], now = Date.now()) {
  for (let i = 0; i < entries.length; i += CHUNK) {
    await db
      .insertInto('log_pending')
      .values(entries.slice(i, i + CHUNK).map((e) => ({ campaign_id: e.campaignId, kind: e.kind, country_code: e.country, signature_id: e.signatureId, created_at: now })))
      .execute()
  }
}

/** A campaign log's origin, its checkpoints' first line and its key's name: `host/campaigns/slug`. */
export function logOrigin(appUrl: string, slug: string): string {
  return `${new URL(appUrl).host}/campaigns/${slug}`
}

const signers = new Map<string, NoteSigner>()
export function logSigner(config: Pick<AppConfig, 'secrets'>, origin: string): NoteSigner {
  const id = `${origin}\0${config.secrets.ED25519_PRIVATE_KEY.toString('base64')}`
  let s = signers.get(id)
  if (!s) signers.set(id, (s = signerFromSeed(origin, config.secrets.ED25519_PRIVATE_KEY)))
  return s
}

export interface SequenceOptions {
  config: Pick<AppConfig, 'secrets' | 'appUrl'>
  /** at most this many pending rows per run */
  batch?: number
  now?: number
}

export interface SequenceResult {
  /** pending rows consumed (some may add nothing: a removal of what never counted) */
  taken: number
  /** entries added */
  sequenced: number
  /** campaign id → new tree size */
  checkpoints: Map<string, number>
}

const pow2 = (l: number) => 2 ** l

/** The maximal complete subtrees of a tree of `size` leaves, left to right: its right frontier. */
function frontier(size: number): { level: number; index: number }[] {
  const out: { level: number; index: number }[] = []
  let start = 0
  for (let level = 52; level >= 0; level--) {
    if (Math.floor(size / pow2(level)) % 2 === 1) {
      out.push({ level, index: start / pow2(level) })
      start += pow2(level)
    }
  }
  return out
}

/** The PostgreSQL advisory lock key under which entries are appended (any constant the app uses nowhere else). */
const LOG_APPEND_LOCK = 0x7065_7469

/**
 * Integrates up to `batch` pending entries into their campaigns' logs, in id order, and signs a
 * new checkpoint for each campaign that grew. Everything happens in one transaction: two instances
 * racing on PostgreSQL cannot both write an index (the entries' primary key refuses the second).
 */
export function sequenceLog(db: DB, options: SequenceOptions): Promise<SequenceResult> {
  return db.transaction().execute((trx) => sequenceWithin(trx, options))
}

/**
 * Sequences the queue in bounded batches, each its own transaction, while `keepGoing()` answers
 * true, with a pause as long as each batch between batches (ADR 140; a backfill can queue a million entries).
 * Returns how many batches took entries.
 */
export async function drainLog(db: DB, options: SequenceOptions, keepGoing: () => Promise<boolean> = async () => true): Promise<number> {
  let batches = 0
  const pause = pacer()
  while (await keepGoing()) {
    if ((await sequenceLog(db, options)).taken === 0) break
    batches++
    await pause()
  }
  return batches
}

/** Sequences everything pending, in bounded batches, inside the caller's transaction. */
export async function drainLogWithin(trx: DB, options: SequenceOptions): Promise<void> {
  while ((await sequenceWithin(trx, options)).taken > 0);
}

/** One batch of `sequenceLog`, in a transaction the caller holds. */
export async function sequenceWithin(trx: DB, options: SequenceOptions): Promise<SequenceResult> {
  // One appender at a time on PostgreSQL: the sequencer and a letter's snapshot (which drains the
  // queue in its own transaction) would otherwise both read the same tree size and one fail on the
  // entries' key. The lock is the transaction's, so a letter's repeated drains take it once. SQLite
  // has one writer anyway.
  if (engineOf(trx) === 'postgres') await sql`select pg_advisory_xact_lock(${LOG_APPEND_LOCK})`.execute(trx)
  const now = options.now ?? Date.now()
  // Small enough that one batch is a short stall of the serving thread on SQLite (#10); drainLog yields between batches.
  const batch = options.batch ?? 250
  {
    const pending = await trx.selectFrom('log_pending').selectAll().orderBy('id').limit(batch).execute()
    const checkpoints = new Map<string, number>()
    if (pending.length === 0) return { taken: 0, sequenced: 0, checkpoints }
    const byCampaign = new Map<string, typeof pending>()
    for (const p of pending) {
      let list = byCampaign.get(p.campaign_id)
      if (!list) byCampaign.set(p.campaign_id, (list = []))
      list.push(p)
    }
    const hmacKey = options.config.secrets.HMAC_KEY
    let sequenced = 0
    for (const [campaignId, rows] of byCampaign) {
      const campaign = await trx.selectFrom('campaigns').select('slug').where('id', '=', campaignId).executeTakeFirst()
      const last = await trx.selectFrom('log_checkpoints').select('size').where('campaign_id', '=', campaignId).orderBy('size', 'desc').limit(1).executeTakeFirst()
      let size = Number(last?.size ?? 0)
      const start = size
      // The hashes this batch may need: the frontier now, and everything it computes.
      const known = new Map<string, Hash>()
      const edge = frontier(size)
      if (edge.length) for (const [i, h] of (await readHashes(trx, campaignId, edge)).entries()) known.set(`${edge[i].level}/${edge[i].index}`, h)
      const entries: { campaign_id: string; idx: number; kind: LogEntryKind; country_code: string; commitment: string | null; removes: number | null; data: string; created_at: number }[] = []
      const hashes: { campaign_id: string; level: number; idx: number; hash: Buffer }[] = []
      // commitment → its live add in this log, index and country (looked up once, then kept current here)
      const live = new Map<string, { idx: number; country: string } | null>()
      const liveAdd = async (commitment: string) => {
        if (live.has(commitment)) return live.get(commitment)!
        const add = await trx
          .selectFrom('log_entries')
          .select(['idx', 'country_code'])
          .where('campaign_id', '=', campaignId)
          .where('commitment', '=', commitment)
          .orderBy('idx', 'desc')
          .limit(1)
          .executeTakeFirst()
        let found = add ? { idx: Number(add.idx), country: add.country_code } : null
        if (found) {
          const removal = await trx.selectFrom('log_entries').select('idx').where('campaign_id', '=', campaignId).where('removes', '=', found.idx).executeTakeFirst()
          if (removal) found = null
        }
        live.set(commitment, found)
        return found
      }
      for (const p of rows) {
        const commitment = commitmentOf(signerSecret(hmacKey, p.signature_id))
        // Version 2 entries (ADR 129): the country stays in the database (country_code), never in the
        // entry; a removal keeps its target's country there, so countsAt agrees with the adds.
        let leaf: Leaf
        let country: string
        if (p.kind === 'confirm' || p.kind === 'restore') {
          // A signature already counted is not added twice.
          if ((await liveAdd(commitment)) !== null) continue
          country = p.country_code
          leaf = { kind: p.kind, countryCommitment: countryCommitmentOf(country, countryOpening(hmacKey, p.signature_id)), commitment }
        } else {
          const target = await liveAdd(commitment)
          // Nothing counted to remove (never confirmed, or removed already).
          if (target === null) continue
          country = target.country
          leaf = { kind: p.kind, removes: target.idx }
        }
        const data = encodeLeaf(leaf)
        const index = size++
        entries.push({ campaign_id: campaignId, idx: index, kind: leaf.kind, country_code: country, commitment: isAdd(leaf) ? commitment : null, removes: isAdd(leaf) ? null : leaf.removes, data, created_at: now })
        live.set(commitment, isAdd(leaf) ? { idx: index, country } : null)
        let h = leafHash(Buffer.from(data))
        known.set(`0/${index}`, h)
        hashes.push({ campaign_id: campaignId, level: 0, idx: index, hash: h })
        // Each subtree this leaf completes gets its hash, from its left half (already known) and h.
        for (let level = 1; (index + 1) % pow2(level) === 0; level++) {
          const j = (index + 1) / pow2(level) - 1
          const left = known.get(`${level - 1}/${2 * j}`)
          if (!left) throw new Error(`log ${campaignId}: hash ${level - 1}/${2 * j} missing`)
          h = nodeHash(left, h)
          known.set(`${level}/${j}`, h)
          hashes.push({ campaign_id: campaignId, level, idx: j, hash: h })
        }
      }
      sequenced += entries.length
      for (let i = 0; i < entries.length; i += CHUNK) await trx.insertInto('log_entries').values(entries.slice(i, i + CHUNK)).execute()
      for (let i = 0; i < hashes.length; i += CHUNK) await trx.insertInto('log_hashes').values(hashes.slice(i, i + CHUNK)).execute()
      if (size === start || !campaign) continue
      const root = treeHash((level, index) => {
        const h = known.get(`${level}/${index}`)
        if (!h) throw new Error(`log ${campaignId}: hash ${level}/${index} missing`)
        return h
      }, size)
      const origin = logOrigin(options.config.appUrl, campaign.slug)
      const signer = logSigner(options.config, origin)
      const note = signNote(formatCheckpoint({ origin, size, root }), [signer])
      await trx
        .insertInto('log_checkpoints')
        .values({ campaign_id: campaignId, size, root: root.toString('base64'), note, key_id: signer.keyId.toString('hex'), created_at: now })
        .execute()
      await trx
        .insertInto('log_keys')
        .values({ verifier_key: signer.verifierKey, origin, key_id: signer.keyId.toString('hex'), first_used_at: now, last_used_at: now })
        .onConflict((oc) => oc.column('verifier_key').doUpdateSet({ last_used_at: now }))
        .execute()
      checkpoints.set(campaignId, size)
    }
    const ids = pending.map((p) => p.id)
    for (let i = 0; i < ids.length; i += CHUNK) await trx.deleteFrom('log_pending').where('id', 'in', ids.slice(i, i + CHUNK)).execute()
    return { taken: pending.length, sequenced, checkpoints }
  }
}

/** Signs the empty tree's checkpoint for a campaign whose log has none yet, so a letter always cites one. */
export async function ensureCheckpointWithin(trx: DB, options: SequenceOptions, campaignId: string) {
  if (await latestCheckpoint(trx, campaignId)) return
  const campaign = await trx.selectFrom('campaigns').select('slug').where('id', '=', campaignId).executeTakeFirst()
  if (!campaign) return
  const now = options.now ?? Date.now()
  const origin = logOrigin(options.config.appUrl, campaign.slug)
  const signer = logSigner(options.config, origin)
  const root = treeHash(() => EMPTY_ROOT, 0)
  await trx
    .insertInto('log_checkpoints')
    .values({ campaign_id: campaignId, size: 0, root: root.toString('base64'), note: signNote(formatCheckpoint({ origin, size: 0, root }), [signer]), key_id: signer.keyId.toString('hex'), created_at: now })
    .onConflict((oc) => oc.columns(['campaign_id', 'size']).doNothing())
    .execute()
  await trx
    .insertInto('log_keys')
    .values({ verifier_key: signer.verifierKey, origin, key_id: signer.keyId.toString('hex'), first_used_at: now, last_used_at: now })
    .onConflict((oc) => oc.column('verifier_key').doUpdateSet({ last_used_at: now }))
    .execute()
}

/** The lease a sequencer holds while it runs; another process's sequencer waits for it to lapse. */
export const SEQUENCER_LEASE = 'log-sequencer'

/**
 * Runs the sequencer every `intervalMs` until stopped; each run is one `sequenceLog` call. Only the
 * process holding the `log-sequencer` lease sequences (renewed on each batch, so a long drain keeps
 * it); the others stay idle, and take over within `leaseMs` of the holder's death. The entries'
 * primary key remains the backstop should a lapsed holder still be finishing a batch.
 */
export function startLogSequencer(db: DB, config: SequenceOptions['config'], onError: (line: string) => void, intervalMs = 1000, leaseMs = 30_000) {
  let running: Promise<unknown> = Promise.resolve()
  let stopped = false
  let busy = false
  const tick = () => {
    if (busy) return
    busy = true
    running = (async () => {
      // Drain what is waiting in bounded batches, renewing the lease before each, then wait for the next tick.
      await drainLog(db, { config }, async () => !stopped && (await acquireLease(db, SEQUENCER_LEASE, leaseMs)))
    })()
      .catch((e: Error) => {
        if (!stopped) onError(`log sequencer failed: ${e.message}`)
      })
      .finally(() => {
        busy = false
      })
  }
  const timer = setInterval(tick, intervalMs)
  timer.unref()
  return {
    async stop() {
      stopped = true
      clearInterval(timer)
      await running
      // Hand over at once rather than after the lease lapses.
      await releaseLease(db, SEQUENCER_LEASE).catch(() => {})
    },
  }
}

// --- Reading the log ---------------------------------------------------------------------------

export async function readHashes(db: DB, campaignId: string, keys: { level: number; index: number }[]): Promise<Hash[]> {
  const got = new Map<string, Hash>()
  for (let i = 0; i < keys.length; i += 100) {
    const part = keys.slice(i, i + 100)
    const rows = await db
      .selectFrom('log_hashes')
      .select(['level', 'idx', 'hash'])
      .where('campaign_id', '=', campaignId)
      .where((eb) => eb.or(part.map((k) => eb.and([eb('level', '=', k.level), eb('idx', '=', k.index)]))))
      .execute()
    for (const r of rows) got.set(`${r.level}/${Number(r.idx)}`, Buffer.from(r.hash))
  }
  return keys.map((k) => {
    const h = got.get(`${k.level}/${k.index}`)
    if (!h) throw new Error(`hash ${k.level}/${k.index} not stored`)
    return h
  })
}

export function latestCheckpoint(db: DB, campaignId: string) {
  return db.selectFrom('log_checkpoints').selectAll().where('campaign_id', '=', campaignId).orderBy('size', 'desc').limit(1).executeTakeFirst()
}

export function checkpointAt(db: DB, campaignId: string, size: number) {
  return db.selectFrom('log_checkpoints').selectAll().where('campaign_id', '=', campaignId).where('size', '=', size).executeTakeFirst()
}

export function proveInclusion(db: DB, campaignId: string, index: number, size: number): Promise<Hash[]> {
  return withHashes((read) => inclusionProof(read, index, size), (keys) => readHashes(db, campaignId, keys))
}

export function proveConsistency(db: DB, campaignId: string, size1: number, size2: number): Promise<Hash[]> {
  return withHashes((read) => consistencyProof(read, size1, size2), (keys) => readHashes(db, campaignId, keys))
}

/** A hash tile (C2SP tlog-tiles): `width` hashes of tree level 8·level, from index n·256; null if not complete. */
export async function readTile(db: DB, campaignId: string, level: number, n: number, width: number): Promise<Buffer | null> {
  const last = await latestCheckpoint(db, campaignId)
  const size = Number(last?.size ?? 0)
  const available = Math.floor(size / pow2(TILE_HEIGHT * level))
  if (n * TILE_WIDTH + width > available) return null
  const rows = await db
    .selectFrom('log_hashes')
    .select(['idx', 'hash'])
    .where('campaign_id', '=', campaignId)
    .where('level', '=', TILE_HEIGHT * level)
    .where('idx', '>=', n * TILE_WIDTH)
    .where('idx', '<', n * TILE_WIDTH + width)
    .orderBy('idx')
    .execute()
  if (rows.length !== width) return null
  return Buffer.concat(rows.map((r) => Buffer.from(r.hash)))
}

/** An entry bundle: `width` entries from index n·256; null if the log does not hold them yet. */
export async function readEntryBundle(db: DB, campaignId: string, n: number, width: number): Promise<Buffer | null> {
  const last = await latestCheckpoint(db, campaignId)
  const size = Number(last?.size ?? 0)
  if (n * TILE_WIDTH + width > size) return null
  const rows = await readEntries(db, campaignId, n * TILE_WIDTH, n * TILE_WIDTH + width)
  if (rows.length !== width) return null
  return encodeBundle(rows.map((r) => Buffer.from(r.data)))
}

export function readEntries(db: DB, campaignId: string, from: number, to: number) {
  return db
    .selectFrom('log_entries')
    .select(['idx', 'kind', 'country_code', 'commitment', 'removes', 'data'])
    .where('campaign_id', '=', campaignId)
    .where('idx', '>=', from)
    .where('idx', '<', to)
    .orderBy('idx')
    .execute()
}

/** The keys that ever signed a checkpoint, newest first: their validity runs from first to last use. */
export function logKeyHistory(db: DB) {
  return db.selectFrom('log_keys').selectAll().orderBy('origin').orderBy('first_used_at', 'desc').execute()
}

/** A signer's own entries, found by their commitment (which only they and the platform can compute). */
export async function signerEntries(db: DB, campaignId: string, commitment: string) {
  const adds = await db
    .selectFrom('log_entries')
    .select(['idx', 'kind', 'country_code', 'data'])
    .where('campaign_id', '=', campaignId)
    .where('commitment', '=', commitment)
    .orderBy('idx')
    .execute()
  const removals = adds.length
    ? await db
        .selectFrom('log_entries')
        .select(['idx', 'kind', 'removes', 'data'])
        .where('campaign_id', '=', campaignId)
        .where('removes', 'in', adds.map((a) => a.idx))
        .orderBy('idx')
        .execute()
    : []
  return { adds, removals }
}

/** Recounts each country from the log's entries up to `size`: adds minus removals. */
export async function countsAt(db: DB, campaignId: string, size: number): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('log_entries')
    .select(['country_code', 'kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where('campaign_id', '=', campaignId)
    .where('idx', '<', size)
    .groupBy(['country_code', 'kind'])
    .execute()
  const counts = new Map<string, number>()
  for (const r of rows) {
    const sign = r.kind === 'confirm' || r.kind === 'restore' ? 1 : -1
    counts.set(r.country_code, (counts.get(r.country_code) ?? 0) + sign * Number(r.n))
  }
  return counts
}

/**
 * The openings a state's letter publishes (ADR 129): `[index, opening hex]` for each version 2 add
 * of `country` still counted at `size`, derived again from the signatures' ids (nothing is stored)
 * and matched to entries by commitment, in slices of `slice` signatures. An entry whose recorded
 * country is not `country` (a signature whose country changed after it was logged) is not opened.
 */
export async function countryOpeningsAt(db: DB, config: Pick<AppConfig, 'secrets'>, campaignId: string, country: string, size: number, slice = 500): Promise<Openings> {
  const hmacKey = config.secrets.HMAC_KEY
  const out: Openings = []
  let after = ''
  for (;;) {
    const rows = await db
      .selectFrom('signatures')
      .select('id')
      .where('campaign_id', '=', campaignId)
      .where('country_code', '=', country)
      .where('id', '>', after)
      .orderBy('id')
      .limit(slice)
      .execute()
    if (rows.length === 0) break
    after = rows[rows.length - 1].id
    const byCommitment = new Map(rows.map((r) => [commitmentOf(signerSecret(hmacKey, r.id)), r.id]))
    const adds = await db
      .selectFrom('log_entries')
      .select(['idx', 'commitment', 'data'])
      .where('campaign_id', '=', campaignId)
      .where('commitment', 'in', [...byCommitment.keys()])
      .where('country_code', '=', country)
      .where('idx', '<', size)
      .execute()
    const removed = adds.length
      ? new Set(
          (
            await db
              .selectFrom('log_entries')
              .select('removes')
              .where('campaign_id', '=', campaignId)
              .where('removes', 'in', adds.map((a) => Number(a.idx)))
              .where('idx', '<', size)
              .execute()
          ).map((r) => Number(r.removes)),
        )
      : new Set<number>()
    for (const a of adds) {
      const idx = Number(a.idx)
      const leaf = parseLeaf(a.data)
      if (removed.has(idx) || !isAdd(leaf) || namesCountry(leaf)) continue
      const opening = countryOpening(hmacKey, byCommitment.get(a.commitment!)!)
      if (countryCommitmentOf(country, opening) === leaf.countryCommitment) out.push([idx, opening.toString('hex')])
    }
    if (rows.length < slice) break
    await nextTurn()
  }
  return out.sort((a, b) => a[0] - b[0])
}

/** The published keys with their validity, as /.well-known/petition-log-keys gives them. */
export async function publishedLogKeys(db: DB) {
  const rows = await logKeyHistory(db)
  const newest = new Map<string, number>()
  for (const r of rows) newest.set(r.origin, Math.max(newest.get(r.origin) ?? 0, Number(r.first_used_at)))
  return rows.map((r) => ({
    origin: r.origin,
    verifierKey: r.verifier_key,
    keyId: r.key_id,
    algorithm: 'Ed25519' as const,
    validFrom: new Date(Number(r.first_used_at)).toISOString(),
    /** null while the key is the one in use */
    validUntil: Number(r.first_used_at) === newest.get(r.origin) ? null : new Date(Number(r.last_used_at)).toISOString(),
  }))
}

/**
 * Everything a verifier would fetch for a letter, read here: the published keys, the log's
 * entries up to the letter's checkpoint, and the latest checkpoint with its consistency proof.
 */
export async function letterEvidence(db: DB, campaignId: string, logSize: number | null) {
  const keys = await publishedLogKeys(db)
  if (logSize === null) return { keys, entries: undefined, latest: undefined }
  const entries = (await readEntries(db, campaignId, 0, logSize)).map((r) => Buffer.from(r.data, 'latin1'))
  const last = await latestCheckpoint(db, campaignId)
  const latest = last && Number(last.size) >= logSize ? { note: last.note, consistency: await proveConsistency(db, campaignId, logSize, Number(last.size)) } : undefined
  return { keys, entries, latest }
}

export interface SignerLogStatus {
  /** the signer's secret, hex: shown to them only, on their private page */
  secret: string
  commitment: string
  /** their newest add in the log, or null while it waits for the sequencer */
  entry: { index: number; data: string } | null
  removal: { index: number; kind: 'withdraw' | 'invalidate' } | null
  latest: { size: number; root: string; proof: string[] } | null
  letter: { code: string; size: number; root: string; proof: string[] | null } | null
}

/**
 * A signer's own view of the log: their entry (found by their commitment), any removal of it, and
 * its inclusion proofs against the latest checkpoint and the one their country's letter cites.
 */
export async function signerLogStatus(
  db: DB,
  config: Pick<AppConfig, 'secrets'>,
  campaignId: string,
  signatureId: string,
  letter: { code: string; log_size: number | null; log_root: string | null } | null,
): Promise<SignerLogStatus> {
  const secret = signerSecret(config.secrets.HMAC_KEY, signatureId)
  const commitment = commitmentOf(secret)
  const { adds, removals } = await signerEntries(db, campaignId, commitment)
  const last = await latestCheckpoint(db, campaignId)
  const add = adds.at(-1)
  const base = { secret: secret.toString('hex'), commitment }
  if (!add || !last) return { ...base, entry: null, removal: null, latest: null, letter: null }
  const index = Number(add.idx)
  const removed = removals.find((r) => Number(r.removes) === index)
  const size = Number(last.size)
  const b64 = (hs: Buffer[]) => hs.map((h) => h.toString('base64'))
  const cited =
    letter && letter.log_size !== null && letter.log_root !== null
      ? { code: letter.code, size: Number(letter.log_size), root: letter.log_root, proof: index < Number(letter.log_size) ? b64(await proveInclusion(db, campaignId, index, Number(letter.log_size))) : null }
      : null
  return {
    ...base,
    entry: { index, data: add.data },
    removal: removed ? { index: Number(removed.idx), kind: removed.kind as 'withdraw' | 'invalidate' } : null,
    latest: index < size ? { size, root: last.root, proof: b64(await proveInclusion(db, campaignId, index, size)) } : null,
    letter: cited,
  }
}

// --- Witnesses (ADR 084) -----------------------------------------------------------------------

export type CosignatureOutcome = { kind: 'stored'; witnesses: string[] } | { kind: 'refused'; message: string }

/**
 * Takes a checkpoint cosigned by witnesses: it must be one this log signed, byte for byte, and
 * carry at least one valid cosignature from a configured witness; those are stored.
 */
export async function acceptCosignatures(db: DB, config: Pick<AppConfig, 'logWitnesses'>, campaignId: string, note: string, now = Date.now()): Promise<CosignatureOutcome> {
  let body: string
  try {
    body = parseNote(note).text
  } catch (e) {
    return { kind: 'refused', message: `Not a signed note: ${(e as Error).message}` }
  }
  const size = Number(body.split('\n')[1])
  const ours = Number.isSafeInteger(size) ? await checkpointAt(db, campaignId, size) : undefined
  if (!ours || parseNote(ours.note).text !== body) return { kind: 'refused', message: 'This is not a checkpoint of this campaign’s log.' }
  const stored: string[] = []
  for (const vkey of config.logWitnesses) {
    const w = parseCosignerKey(vkey)
    const time = cosignatureTime(note, w)
    if (time === null) continue
    const line = note.split('\n').find((l) => l.startsWith(`\u2014 ${w.name} `))!
    await db
      .insertInto('log_cosignatures')
      .values({ campaign_id: campaignId, size, witness_key: vkey, line: `${line}\n`, cosigned_at: time * 1000, received_at: now })
      .onConflict((oc) => oc.columns(['campaign_id', 'size', 'witness_key']).doNothing())
      .execute()
    stored.push(vkey)
  }
  if (!stored.length) return { kind: 'refused', message: 'No valid cosignature from a witness this platform knows.' }
  return { kind: 'stored', witnesses: stored }
}

/** The cosignatures of one checkpoint, each re-checked against the configured witnesses. */
export async function cosignaturesOf(db: DB, config: Pick<AppConfig, 'logWitnesses'>, campaignId: string, size: number, note: string) {
  const rows = await db.selectFrom('log_cosignatures').selectAll().where('campaign_id', '=', campaignId).where('size', '=', size).execute()
  return rows
    .filter((r) => config.logWitnesses.includes(r.witness_key))
    .map((r) => ({ witness: r.witness_key, time: cosignatureTime(`${note}${r.line}`, parseCosignerKey(r.witness_key)) }))
    .filter((r): r is { witness: string; time: number } => r.time !== null)
}

/** The stored cosignature lines of one checkpoint that still verify with a configured witness key, to serve after its note. */
export async function cosignatureLinesOf(db: DB, config: Pick<AppConfig, 'logWitnesses'>, campaignId: string, size: number, note: string): Promise<string[]> {
  const rows = await db.selectFrom('log_cosignatures').select(['witness_key', 'line']).where('campaign_id', '=', campaignId).where('size', '=', size).orderBy('witness_key').execute()
  return rows.filter((r) => config.logWitnesses.includes(r.witness_key) && cosignatureTime(`${note}${r.line}`, parseCosignerKey(r.witness_key)) !== null).map((r) => r.line)
}
