import type { Kysely } from 'kysely'
import { binary } from '../dialect'

// Frozen once landed: later changes go in a new migration.
// A campaign's lead image (ADR 114): re-encoded at upload (no metadata survives), in two widths, with
// its alt text per language. Its own table, so saving the copy (which rewrites the translations) keeps it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('campaign_images')
    .addColumn('campaign_id', 'text', (c) => c.primaryKey().references('campaigns.id'))
    .addColumn('large', binary(db), (c) => c.notNull())
    .addColumn('small', binary(db), (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    // The large variant's size, so the page reserves the image's place before it loads.
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    // {"en": "…", "fa": "…"}: the default language's is required, the others fall back to it.
    .addColumn('alt_json', 'text', (c) => c.notNull())
    // Part of the image's address, so a replaced image is never served from a stale cache.
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('campaign_images').execute()
}
