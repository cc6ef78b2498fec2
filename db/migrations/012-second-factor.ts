import type { Kysely } from 'kysely'
import { binary } from '../dialect'

// Frozen once landed: later changes go in a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  // One authenticator app per organiser. The secret is sealed with the vault (ADR 094); last_step is
  // the newest 30-second step a code was accepted for, so a code cannot be used twice.
  await db.schema
    .createTable('organiser_totp')
    .addColumn('organiser_id', 'text', (c) => c.primaryKey().references('organisers.id').onDelete('cascade'))
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'bigint')
    .addColumn('last_step', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  // Single-use recovery codes, stored as SHA-256 of 80 random bits each.
  await db.schema
    .createTable('organiser_recovery_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('organiser_id', 'text', (c) => c.notNull().references('organisers.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute()
  await db.schema.createIndex('organiser_recovery_codes_organiser').on('organiser_recovery_codes').column('organiser_id').execute()
  // WebAuthn credentials: the id and public key an authenticator gave, nothing that names anyone.
  await db.schema
    .createTable('organiser_passkeys')
    .addColumn('credential_id', 'text', (c) => c.primaryKey())
    .addColumn('organiser_id', 'text', (c) => c.notNull().references('organisers.id').onDelete('cascade'))
    .addColumn('public_key', binary(db), (c) => c.notNull())
    .addColumn('counter', 'bigint', (c) => c.notNull())
    .addColumn('transports', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .execute()
  await db.schema.createIndex('organiser_passkeys_organiser').on('organiser_passkeys').column('organiser_id').execute()
  // The random per-organiser user handle WebAuthn needs; never the email.
  await db.schema.alterTable('organisers').addColumn('webauthn_user_id', 'text').execute()
  // A sign-in between its password and its second factor, and WebAuthn challenges: each is keyed by
  // the SHA-256 of a random value, bound to a cookie (the flow) or a session, single-use, expiring.
  await db.schema
    .createTable('auth_challenges')
    .addColumn('challenge_hash', 'text', (c) => c.primaryKey())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('binding_hash', 'text', (c) => c.notNull())
    .addColumn('organiser_id', 'text', (c) => c.references('organisers.id').onDelete('cascade'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('auth_challenges_binding').on('auth_challenges').columns(['binding_hash', 'purpose']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('auth_challenges').execute()
  await db.schema.alterTable('organisers').dropColumn('webauthn_user_id').execute()
  await db.schema.dropTable('organiser_passkeys').execute()
  await db.schema.dropTable('organiser_recovery_codes').execute()
  await db.schema.dropTable('organiser_totp').execute()
}
