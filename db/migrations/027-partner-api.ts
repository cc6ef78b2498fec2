import type { Kysely } from 'kysely'
import { autoId, autoIdType } from '../dialect'

// Frozen once landed: later changes go in a new migration.
// Partners' read API and outgoing webhooks (issue #16 item 4, ADR 133).
export async function up(db: Kysely<any>): Promise<void> {
  // A partner's API keys: only the SHA-256 of the key is kept; `prefix` is the part shown again on the admin page.
  await db.schema
    .createTable('partner_api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    // Space-separated: campaign:read, people:read.
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute()
  await db.schema.createIndex('partner_api_keys_partner').on('partner_api_keys').columns(['partner_id', 'created_at']).execute()
  // One endpoint per partner; the signing secret (whsec_...) sealed with the vault.
  await db.schema.alterTable('partners').addColumn('webhook_url', 'text').execute()
  await db.schema.alterTable('partners').addColumn('webhook_events', 'text').execute()
  await db.schema.alterTable('partners').addColumn('webhook_secret_enc', 'text').execute()
  // The webhooks' outbox: a row per event and partner, written in the transaction that confirms or
  // withdraws. It holds no personal data: the body is built when it is sent, from the signature
  // (if it still exists and its signer opted in to the partner); the row id is the webhook-id.
  await db.schema
    .createTable('webhook_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) => c.notNull())
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    // For signature.confirmed, until sent (or the signature is withdrawn): where the person is read from.
    .addColumn('signature_id', 'text')
    // For signature.withdrawn of an opted-in signer: the opaque person id the partner knows them by.
    .addColumn('person_id', 'text')
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('claimed_until', 'bigint')
    .addColumn('failing_since', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .execute()
  await db.schema.createIndex('webhook_outbox_due').on('webhook_outbox').columns(['status', 'next_attempt_at']).execute()
  await db.schema.createIndex('webhook_outbox_signature').on('webhook_outbox').column('signature_id').execute()
  // The delivery log organisers read: one row per attempt, never a body.
  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', autoIdType(db), autoId(db))
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('partner_id', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .execute()
  await db.schema.createIndex('webhook_attempts_partner').on('webhook_attempts').columns(['partner_id', 'at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_attempts').execute()
  await db.schema.dropTable('webhook_outbox').execute()
  await db.schema.alterTable('partners').dropColumn('webhook_secret_enc').execute()
  await db.schema.alterTable('partners').dropColumn('webhook_events').execute()
  await db.schema.alterTable('partners').dropColumn('webhook_url').execute()
  await db.schema.dropTable('partner_api_keys').execute()
}
