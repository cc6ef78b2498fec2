import type { Kysely } from 'kysely'

// Frozen once landed: later changes go in a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  // How far the backfill of signatures confirmed before the log existed has got (ADR 093): one row,
  // a cursor over (confirmed_at, id), what it queued, and when it finished.
  await db.schema
    .createTable('log_backfill')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('after_confirmed_at', 'bigint', (c) => c.notNull())
    .addColumn('after_id', 'text', (c) => c.notNull())
    .addColumn('queued', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('log_backfill').execute()
}
