import type { Kysely } from 'kysely'

// Frozen once landed: later changes go in a new migration.
// Several app processes on one PostgreSQL database (ADR 065): what they share, they share here.
export async function up(db: Kysely<any>): Promise<void> {
  // An outbox row being sent is claimed by one process until this time; a process that dies
  // leaves a claim that runs out, and another sends the row (under the same idempotency key).
  await db.schema.alterTable('outbox').addColumn('claimed_until', 'bigint').execute()

  // Named leases: the periodic work that one process at a time should do (purge, backfill, resumes).
  await db.schema
    .createTable('leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute()

  // The provider's rate, shared by every process: the next free send slot and any 429 pause.
  await db.schema
    .createTable('email_pacing')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('next_slot_at', 'bigint', (c) => c.notNull())
    .addColumn('paused_until', 'bigint', (c) => c.notNull())
    .execute()

  // Rate-limit counters shared by every process (the table rate-limiter-flexible's PostgreSQL store reads).
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expire', 'bigint')
    .execute()

  // A running letter job shows it is alive; only a job whose heartbeat stopped was interrupted.
  await db.schema.alterTable('letter_jobs').addColumn('heartbeat_at', 'bigint').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('letter_jobs').dropColumn('heartbeat_at').execute()
  for (const table of ['rate_limits', 'email_pacing', 'leases']) await db.schema.dropTable(table).execute()
  await db.schema.alterTable('outbox').dropColumn('claimed_until').execute()
}
