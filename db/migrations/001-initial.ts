import type { Kysely } from 'kysely'
import { autoId, autoIdType } from '../dialect'

// Frozen once landed: later changes go in a new migration. (ADR 065: types that differ between the
// engines come from db/dialect.ts; the SQL this emits for SQLite is unchanged.)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('default_locale', 'text', (c) => c.notNull())
    .addColumn('goal', 'integer', (c) => c.notNull())
    .addColumn('sources_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('campaign_translations')
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('story_md', 'text', (c) => c.notNull())
    .addColumn('ask_md', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_translations_pk', ['campaign_id', 'locale'])
    .execute()

  await db.schema
    .createTable('campaign_counts')
    .addColumn('campaign_id', 'text', (c) => c.primaryKey().references('campaigns.id').onDelete('cascade'))
    .addColumn('verified_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('withdrawn_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('invalidated_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('country_counts')
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('country_code', 'text', (c) => c.notNull())
    .addColumn('verified_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('country_counts_pk', ['campaign_id', 'country_code'])
    .execute()

  await db.schema
    .createTable('signatures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('email_hash', 'text', (c) => c.notNull())
    .addColumn('email_enc', 'text', (c) => c.notNull())
    .addColumn('name_enc', 'text', (c) => c.notNull())
    .addColumn('country_code', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('show_name', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('news_opt_in', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ip_hash', 'text')
    .addColumn('referrer', 'text')
    .addColumn('utm_source', 'text')
    .addColumn('utm_medium', 'text')
    .addColumn('utm_campaign', 'text')
    .addColumn('emails_in_window', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('email_window_started_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('confirmed_at', 'bigint')
    .addUniqueConstraint('signatures_campaign_email_unique', ['campaign_id', 'email_hash'])
    .execute()
  await db.schema
    .createIndex('signatures_campaign_status_confirmed')
    .on('signatures')
    .columns(['campaign_id', 'status', 'confirmed_at'])
    .execute()
  await db.schema.createIndex('signatures_status_created').on('signatures').columns(['status', 'created_at']).execute()

  await db.schema
    .createTable('tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('signature_id', 'text', (c) => c.notNull().references('signatures.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute()
  await db.schema.createIndex('tokens_signature').on('tokens').column('signature_id').execute()

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('payload_enc', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('provider_id', 'text')
    .addColumn('signature_id', 'text')
    .addColumn('campaign_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .execute()
  await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute()
  await db.schema.createIndex('outbox_signature').on('outbox').column('signature_id').execute()

  await db.schema
    .createTable('dev_mailbox')
    .addColumn('id', autoIdType(db), autoId(db))
    .addColumn('outbox_id', 'text', (c) => c.notNull().unique())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('html', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['dev_mailbox', 'outbox', 'tokens', 'signatures', 'country_counts', 'campaign_counts', 'campaign_translations', 'campaigns']) {
    await db.schema.dropTable(table).execute()
  }
}
