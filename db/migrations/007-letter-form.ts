import type { Kysely } from 'kysely'

// Frozen once landed: later changes go in a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  // Per campaign: the organisation that writes the letters (it signs them and missions answer it),
  // and whether states with no signer get a letter at all.
  await db.schema
    .createTable('campaign_letter_settings')
    .addColumn('campaign_id', 'text', (c) => c.primaryKey().references('campaigns.id').onDelete('cascade'))
    .addColumn('sender_name', 'text', (c) => c.notNull())
    .addColumn('sender_address', 'text', (c) => c.notNull())
    .addColumn('sender_email', 'text', (c) => c.notNull())
    .addColumn('signer_name', 'text', (c) => c.notNull())
    .addColumn('signer_title', 'text', (c) => c.notNull())
    .addColumn('write_without_signers', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()

  // A reply is public only if the mission asked for it AND an organiser approved it.
  await db.schema.alterTable('mission_responses').addColumn('mission_consents', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  await db.schema.alterTable('mission_responses').addColumn('approved_by', 'text').execute()
  await db.schema.alterTable('mission_responses').addColumn('approved_at', 'bigint').execute()
  // A mission's reply already public was published with its consent: it stays so, and may be
  // hidden and shown again.
  await db
    .updateTable('mission_responses')
    .set((eb) => ({ mission_consents: eb.ref('is_public') }))
    .where('source', '=', 'mission')
    .execute()

  // What a reply link has taken in, against its quota.
  await db.schema.alterTable('mission_links').addColumn('bytes_used', 'bigint', (c) => c.notNull().defaultTo(0)).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mission_links').dropColumn('bytes_used').execute()
  await db.schema.alterTable('mission_responses').dropColumn('approved_at').execute()
  await db.schema.alterTable('mission_responses').dropColumn('approved_by').execute()
  await db.schema.alterTable('mission_responses').dropColumn('mission_consents').execute()
  await db.schema.dropTable('campaign_letter_settings').execute()
}
