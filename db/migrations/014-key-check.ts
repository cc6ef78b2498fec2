import type { Kysely } from 'kysely'

// Frozen once landed: later changes go in a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  // What the secrets this database was written with produce, so a process started with other keys
  // refuses to start (ADR 098): a keyed MAC of a constant for HMAC_KEY, and a constant sealed with
  // ENCRYPTION_KEY. Neither says anything about the keys or any signer.
  await db.schema
    .createTable('key_checks')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
}
