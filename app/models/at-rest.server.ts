import type { DB } from '~/db.server'
import { attributionLabels, rememberLabels } from '~/models/signature.server'
import type { Vault } from '~/infra/vault.server'
import { nextTurn } from '~/infra/next-turn.server'

/**
 * Moves what was stored in clear before ADR 089 into its encrypted or hashed form, a batch at a
 * time: organisers' names, signers' IP countries, referring hosts and utm tags. Run at start; each
 * update is conditional on the clear value it read, so a concurrent writer is never overwritten.
 * Returns how many rows it moved.
 */
export async function encryptClearFields(db: DB, vault: Vault, batch = 200, now = Date.now()): Promise<number> {
  let moved = 0
  const organisers = await db.selectFrom('organisers').select(['id', 'name']).where('name', '!=', '').execute()
  for (const o of organisers) {
    const r = await db.updateTable('organisers').set({ name_enc: vault.encrypt(o.name), name: '' }).where('id', '=', o.id).where('name', '=', o.name).executeTakeFirst()
    moved += Number(r.numUpdatedRows)
  }
  for (;;) {
    const rows = await clearIpCountries(db, batch).execute()
    if (rows.length === 0) break
    await nextTurn()
    for (const row of rows) {
      const r = await db
        .updateTable('signatures')
        .set({ ip_country_enc: vault.encrypt(row.ip_country!), ip_country_differs: row.ip_country === row.country_code ? 0 : 1, ip_country: null })
        .where('id', '=', row.id)
        .where('ip_country', '=', row.ip_country)
        .executeTakeFirst()
      moved += Number(r.numUpdatedRows)
    }
  }
  for (;;) {
    const rows = await clearAttributions(db, batch).execute()
    if (rows.length === 0) return moved
    await nextTurn()
    for (const row of rows) {
      const labels = attributionLabels(vault, row.referrer, { source: row.utm_source, medium: row.utm_medium, campaign: row.utm_campaign })
      await rememberLabels(db, vault, [labels.referrer, labels.utm], now)
      const r = await db
        .updateTable('signatures')
        .set({ referrer_hash: labels.referrer?.hash ?? null, utm_hash: labels.utm?.hash ?? null, referrer: null, utm_source: null, utm_medium: null, utm_campaign: null })
        .where('id', '=', row.id)
        .executeTakeFirst()
      moved += Number(r.numUpdatedRows)
    }
  }
}

/** Signatures still holding a clear IP country: found by their partial index, empty once moved (migration 029). */
export const clearIpCountries = (db: DB, batch: number) =>
  db.selectFrom('signatures').select(['id', 'ip_country', 'country_code']).where('ip_country', 'is not', null).limit(batch)

/** Signatures still holding a clear referrer or utm tags: found by their partial index, written as it is (migration 029). */
export const clearAttributions = (db: DB, batch: number) =>
  db
    .selectFrom('signatures')
    .select(['id', 'referrer', 'utm_source', 'utm_medium', 'utm_campaign'])
    .where((eb) => eb.or([eb('referrer', 'is not', null), eb('utm_source', 'is not', null), eb('utm_medium', 'is not', null), eb('utm_campaign', 'is not', null)]))
    .limit(batch)
