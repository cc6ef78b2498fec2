import type { Kysely } from 'kysely'
import { binary } from '../dialect'

// Frozen once landed: later changes go in a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  // Organisations that promote a campaign to their own supporters (ADR 122). `ref` is the random,
  // unguessable handle in the share link: it says neither how many partners there are nor in what order.
  await db.schema
    .createTable('partners')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
    .addColumn('ref', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('privacy_url', 'text')
    // A contact address can be a person's: sealed like every other address (ADR 089).
    .addColumn('contact_email_enc', 'text')
    // Uploaded and served from this origin, never hot-linked.
    .addColumn('logo', binary(db))
    .addColumn('logo_type', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    // A removed partner's link stops attributing; its signatures keep it, so past counts stay true.
    .addColumn('removed_at', 'bigint')
    .execute()
  await db.schema.createIndex('partners_campaign').on('partners').columns(['campaign_id', 'created_at']).execute()
  await db.schema.alterTable('signatures').addColumn('partner_id', 'text').execute()
  await db.schema.createIndex('signatures_partner').on('signatures').columns(['partner_id', 'status']).execute()
}
