import type { Kysely } from 'kysely'

// Frozen once landed: later changes go in a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  // Keyed hash of the email's domain (set at signing; older rows are backfilled by the app, which
  // holds the key) and the country of the signer's IP, looked up offline at signing. Never the IP.
  await db.schema.alterTable('signatures').addColumn('email_domain_hash', 'text').execute()
  await db.schema.alterTable('signatures').addColumn('ip_country', 'text').execute()
  await db.schema.createIndex('signatures_campaign_domain').on('signatures').columns(['campaign_id', 'email_domain_hash']).execute()
  await db.schema.createIndex('signatures_campaign_ip').on('signatures').columns(['campaign_id', 'ip_hash']).execute()
  await db.schema.createIndex('signatures_campaign_created').on('signatures').columns(['campaign_id', 'created_at']).execute()

  // One organiser decision about one signature; deleted with the signature when it is withdrawn.
  await db.schema
    .createTable('signature_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('signature_id', 'text', (c) => c.notNull().references('signatures.id').onDelete('cascade'))
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('batch_id', 'text')
    .addColumn('organiser_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('signature_events_signature').on('signature_events').column('signature_id').execute()
  await db.schema.createIndex('signature_events_batch').on('signature_events').column('batch_id').execute()

  // A rule applied to many signatures at once, so it can be listed and undone as one.
  await db.schema
    .createTable('invalidation_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('rule_json', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('organiser_id', 'text')
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('undone_at', 'bigint')
    .addColumn('undone_by', 'text')
    .execute()
  await db.schema.createIndex('invalidation_batches_campaign').on('invalidation_batches').columns(['campaign_id', 'created_at']).execute()

  await db.schema
    .createTable('news_updates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('default_locale', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('sent_by', 'text')
    .addColumn('queued_count', 'integer', (c) => c.notNull().defaultTo(0))
    /** Keyset cursor of the fan-out: the last signature id queued, so a restart resumes there. */
    .addColumn('cursor', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('send_started_at', 'bigint')
    .addColumn('queued_at', 'bigint')
    .execute()
  await db.schema.createIndex('news_updates_campaign').on('news_updates').columns(['campaign_id', 'created_at']).execute()

  await db.schema
    .createTable('news_update_translations')
    .addColumn('update_id', 'text', (c) => c.notNull().references('news_updates.id').onDelete('cascade'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body_md', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('news_update_translations_pk', ['update_id', 'locale'])
    .execute()

  // Messages the worker sends together in one provider call share a batch key.
  await db.schema.alterTable('outbox').addColumn('batch_key', 'text').execute()
  await db.schema.alterTable('outbox').addColumn('news_update_id', 'text').execute()
  await db.schema.createIndex('outbox_news_update').on('outbox').columns(['news_update_id', 'status']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outbox_news_update').execute()
  await db.schema.alterTable('outbox').dropColumn('news_update_id').execute()
  await db.schema.alterTable('outbox').dropColumn('batch_key').execute()
  for (const table of ['news_update_translations', 'news_updates', 'invalidation_batches', 'signature_events']) {
    await db.schema.dropTable(table).execute()
  }
  for (const index of ['signatures_campaign_created', 'signatures_campaign_ip', 'signatures_campaign_domain']) {
    await db.schema.dropIndex(index).execute()
  }
  await db.schema.alterTable('signatures').dropColumn('ip_country').execute()
  await db.schema.alterTable('signatures').dropColumn('email_domain_hash').execute()
}
