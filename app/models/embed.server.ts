import type { DB } from '~/db.server'
import { storedOrigins } from '~/utils/embed'

/**
 * The sites that may frame a campaign's form (ADR 132); none for a draft, an unknown slug or an empty
 * list. `loopback`: whether this machine's own origins count (outside production only, loopbackAllowed).
 */
export async function embedOriginsOf(db: DB, slug: string, loopback: boolean): Promise<string[]> {
  const row = await db.selectFrom('campaigns').select(['embed_origins', 'status']).where('slug', '=', slug).executeTakeFirst()
  return row && row.status !== 'draft' ? storedOrigins(row.embed_origins, loopback) : []
}

/** Replaces the list (already normalised by parseOriginList); an empty list is stored as null. */
export async function setEmbedOrigins(db: DB, campaignId: string, origins: string[], now = Date.now()) {
  await db
    .updateTable('campaigns')
    .set({ embed_origins: origins.length ? JSON.stringify(origins) : null, updated_at: now })
    .where('id', '=', campaignId)
    .execute()
}

/** The list as stored, drafts included, for the organisers' page. */
export async function storedEmbedOrigins(db: DB, campaignId: string, loopback: boolean): Promise<string[]> {
  const row = await db.selectFrom('campaigns').select('embed_origins').where('id', '=', campaignId).executeTakeFirst()
  return storedOrigins(row?.embed_origins, loopback)
}
