import type { Kysely } from 'kysely'

// Frozen once landed: later changes go in a new migration.
// A letter job a stopped process left running is resumed by another, or by the next start (ADR 130).
export async function up(db: Kysely<any>): Promise<void> {
  // The targets it was started with, as JSON; null for a job from before this, which writes to every target.
  await db.schema.alterTable('letter_jobs').addColumn('targets_json', 'text').execute()
  // How often it was resumed, and when last: the letters page says so.
  await db.schema.alterTable('letter_jobs').addColumn('resumes', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  await db.schema.alterTable('letter_jobs').addColumn('resumed_at', 'bigint').execute()
  // The most letters one of its runs made before it stopped, and how many runs in a row since made no
  // more: a letter that kills the process ends the job as failed instead of restarting it for ever.
  await db.schema.alterTable('letter_jobs').addColumn('best_done', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  await db.schema.alterTable('letter_jobs').addColumn('stalled_resumes', 'integer', (c) => c.notNull().defaultTo(0)).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['stalled_resumes', 'best_done', 'resumed_at', 'resumes', 'targets_json']) await db.schema.alterTable('letter_jobs').dropColumn(column).execute()
}
