import type { Kysely } from 'kysely'

// Frozen once landed: later changes go in a new migration.
// Signatures gathered on paper at vigils and events (issue #16 item 5, ADR 134). A table of their own,
// never rows in `signatures`: no email-confirmed count, log entry or certificate can take them in.
export async function up(db: Kysely<any>): Promise<void> {
  // One sheet typed in or one CSV file: committed whole, undone whole.
  await db.schema
    .createTable('paper_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('row_count', 'integer', (c) => c.notNull())
    .addColumn('entered_by', 'text')
    .addColumn('entered_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('paper_batches_campaign').on('paper_batches').columns(['campaign_id', 'entered_at']).execute()
  await db.schema
    .createTable('paper_signatures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
    .addColumn('batch_id', 'text', (c) => c.notNull().references('paper_batches.id'))
    // Sealed like every signer's name (ADR 004); no email address is kept at all (ADR 134).
    .addColumn('name_enc', 'text', (c) => c.notNull())
    .addColumn('country_code', 'text', (c) => c.notNull())
    // The city or event the sheet was signed at, sealed: where a named person stood is theirs.
    .addColumn('place_enc', 'text')
    // UTC midnight of the day the sheet was signed, epoch ms.
    .addColumn('collected_at', 'bigint', (c) => c.notNull())
    .addColumn('entered_by', 'text')
    .addColumn('entered_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('paper_signatures_country').on('paper_signatures').columns(['campaign_id', 'country_code']).execute()
  await db.schema.createIndex('paper_signatures_batch').on('paper_signatures').columns(['batch_id']).execute()
  // Both off until an organiser turns them on: the public page and the letters say nothing of paper.
  await db.schema
    .createTable('campaign_paper_settings')
    .addColumn('campaign_id', 'text', (c) => c.primaryKey().references('campaigns.id'))
    .addColumn('show_on_page', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('include_in_letters', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('campaign_paper_settings').execute()
  await db.schema.dropTable('paper_signatures').execute()
  await db.schema.dropTable('paper_batches').execute()
}
