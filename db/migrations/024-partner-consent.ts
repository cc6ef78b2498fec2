import type { Kysely } from 'kysely'

// Frozen once landed: later changes go in a new migration.
// Consent per partner and the embeddable form (issue #16, ADR 131).
export async function up(db: Kysely<any>): Promise<void> {
  // 1 when the signer ticked "{partner} may email me about its work" for the partner that brought them
  // (signatures.partner_id); cleared by withdrawal and by the partner's unsubscribe link.
  await db.schema.alterTable('signatures').addColumn('partner_opt_in', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  // A partner's organisers export and read (API) only their own opted-in, confirmed supporters.
  await db.schema.createIndex('signatures_partner_opt_in').on('signatures').columns(['partner_id', 'partner_opt_in', 'status']).execute()
  // The origins allowed to frame /embed/campaigns/:slug (frame-ancestors), as a JSON array of
  // "https://host[:port]" strings; null or [] means no site may embed it.
  await db.schema.alterTable('campaigns').addColumn('embed_origins', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('campaigns').dropColumn('embed_origins').execute()
  await db.schema.dropIndex('signatures_partner_opt_in').execute()
  await db.schema.alterTable('signatures').dropColumn('partner_opt_in').execute()
}
