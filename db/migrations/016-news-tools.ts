import type { Kysely } from 'kysely'

// Frozen once landed: later changes go in a new migration.
// Organisers' tools for news (ADRs 109, 110): scheduling, test sends and delivery figures.
export async function up(db: Kysely<any>): Promise<void> {
  // An update with status 'scheduled' leaves at this time (epoch ms), taken by whichever process sees it first.
  await db.schema.alterTable('news_updates').addColumn('scheduled_for', 'bigint').execute()
  // The last test send to the organiser's own address: a test is never counted with the real send.
  await db.schema.alterTable('news_updates').addColumn('test_sent_at', 'bigint').execute()
  // Signers who unsubscribed through this update's link: a counter, since the tokens are purged.
  await db.schema.alterTable('news_updates').addColumn('unsubscribe_count', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  await db.schema.createIndex('news_updates_due').on('news_updates').columns(['status', 'scheduled_for']).execute()
  // The update whose email carried this token (unsubscribe links only), to count what it caused.
  await db.schema.alterTable('tokens').addColumn('news_update_id', 'text').execute()
  // What Resend's webhook said of a news message after it was sent: delivered, bounced, complained.
  await db.schema.alterTable('outbox').addColumn('delivery_status', 'text').execute()
  // The webhook finds a message by the provider's id.
  await db.schema.createIndex('outbox_provider_id').on('outbox').column('provider_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outbox_provider_id').execute()
  await db.schema.alterTable('outbox').dropColumn('delivery_status').execute()
  await db.schema.alterTable('tokens').dropColumn('news_update_id').execute()
  await db.schema.dropIndex('news_updates_due').execute()
  for (const column of ['unsubscribe_count', 'test_sent_at', 'scheduled_for']) await db.schema.alterTable('news_updates').dropColumn(column).execute()
}
