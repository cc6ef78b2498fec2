import type { Kysely } from 'kysely'

// Frozen once landed: later changes go in a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  // Optional goals per country: a campaign without rows here has only its overall goal.
  await db.schema
    .createTable('campaign_country_goals')
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('country_code', 'text', (c) => c.notNull())
    .addColumn('goal', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_country_goals_pk', ['campaign_id', 'country_code'])
    .execute()
  // The dashboard groups a campaign's verified signatures by where they came from; covering
  // indexes keep that to an index scan instead of reading every row.
  await db.schema
    .createIndex('signatures_campaign_status_referrer')
    .on('signatures')
    .columns(['campaign_id', 'status', 'referrer'])
    .execute()
  await db.schema
    .createIndex('signatures_campaign_status_utm')
    .on('signatures')
    .columns(['campaign_id', 'status', 'utm_source', 'utm_medium', 'utm_campaign'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('signatures_campaign_status_utm').execute()
  await db.schema.dropIndex('signatures_campaign_status_referrer').execute()
  await db.schema.dropTable('campaign_country_goals').execute()
}
