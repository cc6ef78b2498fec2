import type { Kysely } from 'kysely'
import { binary } from '../dialect'

// Frozen once landed: later changes go in a new migration. (ADR 065: types that differ between the
// engines come from db/dialect.ts; the SQL this emits for SQLite is unchanged.)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('missions')
    .addColumn('country_code', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('head_title', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('language_confidence', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('postal_address', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('emails', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute()

  await db.schema
    .createTable('campaign_letter_copy')
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('context', 'text', (c) => c.notNull())
    .addColumn('ask_intro', 'text', (c) => c.notNull())
    .addColumn('ask_items_json', 'text', (c) => c.notNull())
    .addColumn('signatory', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_letter_copy_pk', ['campaign_id', 'language'])
    .execute()

  await db.schema
    .createTable('letter_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('country_code', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('country_count', 'integer', (c) => c.notNull())
    .addColumn('total_count', 'integer', (c) => c.notNull())
    .addColumn('country_total', 'integer', (c) => c.notNull())
    .addColumn('named_count', 'integer', (c) => c.notNull())
    .addColumn('content_enc', 'text', (c) => c.notNull())
    .addColumn('leaves', binary(db), (c) => c.notNull())
    .addColumn('merkle_root', 'text', (c) => c.notNull())
    .addColumn('certificate_json', 'text', (c) => c.notNull())
    .addColumn('certificate_sig', 'text', (c) => c.notNull())
    .addColumn('text_sha256', 'text', (c) => c.notNull())
    .addColumn('pdf', binary(db), (c) => c.notNull())
    .addColumn('pdf_sha256', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('letter_versions_country_version', ['campaign_id', 'country_code', 'version'])
    .execute()

  await db.schema
    .createTable('letter_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('created_by', 'text')
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute()

  await db.schema
    .createTable('letter_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('letter_version_id', 'text', (c) => c.notNull().unique().references('letter_versions.id').onDelete('cascade'))
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('country_code', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('outbox_id', 'text')
    .addColumn('scheduled_at', 'bigint')
    .addColumn('status_at', 'bigint', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('letter_deliveries_outbox').on('letter_deliveries').column('outbox_id').execute()
  await db.schema.createIndex('letter_deliveries_campaign').on('letter_deliveries').columns(['campaign_id', 'country_code']).execute()

  await db.schema
    .createTable('delivery_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('delivery_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('mission_links')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('country_code', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('mission_responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('country_code', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('attachment_name', 'text')
    .addColumn('attachment_type', 'text')
    .addColumn('attachment', binary(db))
    .addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('recorded_by', 'text')
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('mission_responses_campaign').on('mission_responses').columns(['campaign_id', 'country_code']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['mission_responses', 'mission_links', 'delivery_events', 'letter_deliveries', 'letter_jobs', 'letter_versions', 'campaign_letter_copy', 'missions']) {
    await db.schema.dropTable(table).execute()
  }
}
