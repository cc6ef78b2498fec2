import type { Kysely } from 'kysely'

// Frozen once landed: later changes go in a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  // A moderation rule is applied, and undone, in slices of its own transactions (ADR 112): the batch
  // says where it is, so the site keeps serving meanwhile and a stopped process's batch is resumed.
  // Batches made before this were applied whole: they are done.
  await db.schema.alterTable('invalidation_batches').addColumn('state', 'text', (c) => c.notNull().defaultTo('done')).execute()
  await db.schema.alterTable('invalidation_batches').addColumn('done_count', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  await db.schema.alterTable('invalidation_batches').addColumn('heartbeat_at', 'bigint').execute()
  await db.updateTable('invalidation_batches').set((eb) => ({ done_count: eb.ref('count') })).execute()
  await db.updateTable('invalidation_batches').set({ state: 'undone' }).where('undone_at', 'is not', null).execute()
}
