import { sql } from 'kysely'
import type { DB } from '~/db.server'
import { SEALED_PREFIX, SEALED_PREFIX_V2, type Vault } from '~/infra/vault.server'
import { pacer } from '~/infra/next-turn.server'
import { finishRotation } from './key-check.server'

/**
 * Every stored value sealed with ENCRYPTION_KEY, by table, key column and column (ADR 135). A test
 * reads db/schema.ts and fails if a `_enc` column is missing here: a new sealed column must be added,
 * or a rotation would leave it under the old key.
 */
export const SEALED_TEXT = [
  { table: 'signatures', key: 'id', column: 'email_enc' },
  { table: 'signatures', key: 'id', column: 'name_enc' },
  { table: 'signatures', key: 'id', column: 'ip_country_enc' },
  { table: 'outbox', key: 'id', column: 'payload_enc' },
  { table: 'organisers', key: 'id', column: 'email_enc' },
  { table: 'organisers', key: 'id', column: 'name_enc' },
  { table: 'organiser_totp', key: 'organiser_id', column: 'secret_enc' },
  { table: 'partners', key: 'id', column: 'contact_email_enc' },
  { table: 'partners', key: 'id', column: 'webhook_secret_enc' },
  { table: 'attribution_labels', key: 'hash', column: 'label_enc' },
  { table: 'letter_versions', key: 'id', column: 'content_enc' },
  { table: 'paper_signatures', key: 'id', column: 'name_enc' },
  { table: 'paper_signatures', key: 'id', column: 'place_enc' },
] as const
/** Sealed documents (`vault.sealBytes`); one still in clear is left to the sealing job, which seals it with the current key. */
export const SEALED_BYTES = [{ table: 'letter_versions', key: 'id', column: 'pdf' }] as const

export interface RekeyColumnResult {
  table: string
  column: string
  resealed: number
  /** Values no configured key opens: lost already, or sealed with a key left out of ENCRYPTION_KEY_PREVIOUS. */
  unreadable: number
}
export interface RekeyResult {
  columns: RekeyColumnResult[]
  /** True when nothing is left under an earlier key: the pending record is cleared and ENCRYPTION_KEY_PREVIOUS can go. */
  finished: boolean
}

interface Target {
  table: string
  key: string
  column: string
  bytes: boolean
}

const targets: Target[] = [...SEALED_TEXT.map((t) => ({ ...t, bytes: false })), ...SEALED_BYTES.map((t) => ({ ...t, bytes: true }))]

/**
 * Seals again with the current key every value sealed with an earlier one, in slices of `slice` rows
 * (documents 20 at a time), each row updated only if it still holds what was read, so a write made
 * meanwhile is never overwritten. Safe to stop and run again: what is done is passed by. It checks
 * the whole database again at the end and, when nothing is left under an earlier key, clears the
 * rotation's pending record (`finishRotation`).
 */
export async function rekey(db: DB, vault: Vault, options: { slice?: number; onProgress?: (line: string) => void } = {}): Promise<RekeyResult> {
  const slice = options.slice ?? 500
  const textPrefix = `v2.${vault.encryptionKeyId}.`
  const bytesPrefix = Buffer.concat([SEALED_PREFIX_V2, Buffer.from(vault.encryptionKeyId, 'base64url')])
  const stale = (t: Target) =>
    t.bytes
      ? sql<boolean>`(substr(${sql.ref(t.column)}, 1, ${SEALED_PREFIX.length}) = ${SEALED_PREFIX} or (substr(${sql.ref(t.column)}, 1, ${SEALED_PREFIX_V2.length}) = ${SEALED_PREFIX_V2} and substr(${sql.ref(t.column)}, 1, ${bytesPrefix.length}) <> ${bytesPrefix}))`
      : sql<boolean>`substr(${sql.ref(t.column)}, 1, ${textPrefix.length}) <> ${textPrefix}`
  const columns: RekeyColumnResult[] = []
  // Half the time the write lock is free for the serving processes' writes (ADR 140).
  const pause = pacer()
  for (const t of targets) {
    const result = { table: t.table, column: t.column, resealed: 0, unreadable: 0 }
    columns.push(result)
    let after = ''
    for (;;) {
      const rows = (
        await sql<{ k: string; v: string | Uint8Array }>`select ${sql.ref(t.key)} as k, ${sql.ref(t.column)} as v from ${sql.table(t.table)}
          where ${sql.ref(t.key)} > ${after} and ${stale(t)} order by ${sql.ref(t.key)} limit ${t.bytes ? 20 : slice}`.execute(db)
      ).rows
      if (rows.length === 0) break
      await db.transaction().execute(async (trx) => {
        for (const row of rows) {
          let sealed: string | Buffer
          try {
            sealed = typeof row.v === 'string' ? vault.encrypt(vault.decrypt(row.v)) : vault.sealBytes(vault.openBytes(row.v))
          } catch {
            result.unreadable++
            continue
          }
          const moved = await sql`update ${sql.table(t.table)} set ${sql.ref(t.column)} = ${sealed} where ${sql.ref(t.key)} = ${row.k} and ${sql.ref(t.column)} = ${row.v}`.execute(trx)
          if (Number(moved.numAffectedRows ?? 0) > 0) result.resealed++
        }
      })
      after = rows[rows.length - 1].k
      // Run beside a serving process on SQLite: let its writes in between slices.
      await pause()
    }
    options.onProgress?.(`${t.table}.${t.column}: ${result.resealed} sealed again${result.unreadable ? `, ${result.unreadable} that no configured key opens` : ''}`)
  }
  // A row written under the old key by a process not yet restarted, or changed between read and update: the next run takes it.
  let left = 0
  for (const t of targets) {
    const row = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(t.table)} where ${stale(t)}`.execute(db)
    left += Number(row.rows[0].n)
  }
  const finished = left === 0
  if (finished) await finishRotation(db, vault)
  return { columns, finished }
}
