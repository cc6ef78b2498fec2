import type { Kysely } from 'kysely'

// Frozen once landed: later changes go in a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  // A letter a generation job could not make: the job goes on with the other states, and the
  // organisers' letters page lists these with the reason, for a retry of just them.
  await db.schema
    .createTable('letter_job_failures')
    .addColumn('job_id', 'text', (c) => c.notNull().references('letter_jobs.id').onDelete('cascade'))
    .addColumn('country_code', 'text', (c) => c.notNull())
    .addColumn('error', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('failed_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('letter_job_failures_pk', ['job_id', 'country_code'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('letter_job_failures').execute()
}
