import type { Kysely } from 'kysely'

// Frozen once landed: later changes go in a new migration.
// The campaign tells its story as it moves (ADR 108): an end date, a victory, milestones per
// language, and news updates an organiser chose to publish.
export async function up(db: Kysely<any>): Promise<void> {
  // After this instant the campaign takes no signature and no confirmation, whatever its status.
  await db.schema.alterTable('campaigns').addColumn('ends_at', 'bigint').execute()
  // Set when an organiser declares a victory; the short text of it is per language below.
  await db.schema.alterTable('campaigns').addColumn('victory_at', 'bigint').execute()
  await db.schema.alterTable('campaign_translations').addColumn('victory_text', 'text').execute()
  // 1: shown on the campaign's public list of updates and in its Atom feed once sent.
  await db.schema.alterTable('news_updates').addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  await db.schema
    .createTable('campaign_milestones')
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('threshold', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_milestones_pk', ['campaign_id', 'locale', 'threshold'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('campaign_milestones').execute()
  await db.schema.alterTable('news_updates').dropColumn('is_public').execute()
  await db.schema.alterTable('campaign_translations').dropColumn('victory_text').execute()
  for (const column of ['victory_at', 'ends_at']) await db.schema.alterTable('campaigns').dropColumn(column).execute()
}
