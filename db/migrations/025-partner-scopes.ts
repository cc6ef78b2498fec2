import type { Kysely } from 'kysely'

// Frozen once landed: later changes go in a new migration.
// Partner-scoped organisers (issue #16 item 2, ADR 131).
export async function up(db: Kysely<any>): Promise<void> {
  // Set: the account belongs to one partner of one campaign and may read only that partner's page and
  // its opted-in supporters; every other organiser route refuses it, whatever its role says.
  await db.schema.alterTable('organisers').addColumn('partner_id', 'text', (c) => c.references('partners.id')).execute()
  await db.schema.createIndex('organisers_partner').on('organisers').column('partner_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('organisers_partner').execute()
  await db.schema.alterTable('organisers').dropColumn('partner_id').execute()
}
