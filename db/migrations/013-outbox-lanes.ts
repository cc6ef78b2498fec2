import type { Kysely } from 'kysely'

// Frozen once landed: later changes go in a new migration.
// Email at campaign scale (ADRs 096, 097).
export async function up(db: Kysely<any>): Promise<void> {
  // 0: transactional mail (confirmations, links, receipts, letters), always sent before 1: news.
  await db.schema.alterTable('outbox').addColumn('lane', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  await db.updateTable('outbox').set({ lane: 1 }).where('news_update_id', 'is not', null).execute()
  // The wall-clock time next_attempt_at was written: a row scheduled "in the future" of the present
  // clock was scheduled before the clock stepped back, and its short delay is not waited out again.
  await db.schema.alterTable('outbox').addColumn('scheduled_at', 'bigint').execute()
  // When the provider first failed this message: retries go on until 72 hours after it.
  await db.schema.alterTable('outbox').addColumn('failing_since', 'bigint').execute()
  await db.schema.createIndex('outbox_lane_due').on('outbox').columns(['status', 'lane', 'next_attempt_at']).execute()
  await db.schema.createIndex('outbox_batch').on('outbox').columns(['batch_key', 'status']).execute()
  await db.schema.createIndex('outbox_campaign_status').on('outbox').columns(['campaign_id', 'status']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['outbox_campaign_status', 'outbox_batch', 'outbox_lane_due']) await db.schema.dropIndex(index).execute()
  for (const column of ['failing_since', 'scheduled_at', 'lane']) await db.schema.alterTable('outbox').dropColumn(column).execute()
}
