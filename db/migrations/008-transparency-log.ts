import type { Kysely } from 'kysely'
import { autoId, autoIdType, binary } from '../dialect'

// Frozen once landed: later changes go in a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  // What a confirmation, withdrawal or invalidation adds to its campaign's log, waiting for the
  // sequencer: one small insert on the hot path. The signature id is kept only until sequenced
  // (the sequencer derives the signer's commitment from it), then the row is deleted.
  await db.schema
    .createTable('log_pending')
    .addColumn('id', autoIdType(db), autoId(db))
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('country_code', 'text', (c) => c.notNull())
    .addColumn('signature_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()

  // The log's entries, in order, never updated: `data` holds the exact leaf bytes (ASCII).
  await db.schema
    .createTable('log_entries')
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('idx', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('country_code', 'text', (c) => c.notNull())
    .addColumn('commitment', 'text')
    .addColumn('removes', 'bigint')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('log_entries_pk', ['campaign_id', 'idx'])
    .execute()
  await db.schema.createIndex('log_entries_commitment').on('log_entries').columns(['campaign_id', 'commitment']).execute()
  await db.schema.createIndex('log_entries_removes').on('log_entries').columns(['campaign_id', 'removes']).execute()

  // The hash of every complete subtree (2^level leaves from idx·2^level): what proofs and tiles read.
  await db.schema
    .createTable('log_hashes')
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('idx', 'bigint', (c) => c.notNull())
    .addColumn('hash', binary(db), (c) => c.notNull())
    .addPrimaryKeyConstraint('log_hashes_pk', ['campaign_id', 'level', 'idx'])
    .execute()

  // Every signed checkpoint, so old letters' checkpoints stay provable.
  await db.schema
    .createTable('log_checkpoints')
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('root', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('log_checkpoints_pk', ['campaign_id', 'size'])
    .execute()

  // Each key that ever signed a checkpoint, with when it was first and last used.
  await db.schema
    .createTable('log_keys')
    .addColumn('verifier_key', 'text', (c) => c.primaryKey())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('first_used_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint', (c) => c.notNull())
    .execute()

  // Witnesses' cosignatures (C2SP tlog-cosignature lines) of a checkpoint, as they handed them in.
  await db.schema
    .createTable('log_cosignatures')
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('witness_key', 'text', (c) => c.notNull())
    .addColumn('line', 'text', (c) => c.notNull())
    .addColumn('cosigned_at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('log_cosignatures_pk', ['campaign_id', 'size', 'witness_key'])
    .execute()

  // A letter version cites the checkpoint it was counted from.
  await db.schema.alterTable('letter_versions').addColumn('log_size', 'bigint').execute()
  await db.schema.alterTable('letter_versions').addColumn('log_root', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['log_cosignatures', 'log_keys', 'log_checkpoints', 'log_hashes', 'log_entries', 'log_pending']) await db.schema.dropTable(t).execute()
}
