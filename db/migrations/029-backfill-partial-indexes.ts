import { sql, type Kysely } from 'kysely'

// Frozen once landed: later changes go in a new migration.
// The background backfills each start runs look for rows still holding what earlier versions stored
// (ADR 089's clear IP country and attribution, migration 005's missing domain hash). Unindexed, each
// look read every signature: at 5,000,000, three scans of about a second each on the serving thread
// in the first moment after a start, which the load shedder answered with 503s (#10, ADR 144). Each
// partial index holds only the rows its backfill still has to move: empty once it is done, and
// signing never adds to it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('signatures_clear_ip_country').on('signatures').column('id').where(sql.ref('ip_country'), 'is not', null).execute()
  await db.schema
    .createIndex('signatures_clear_attribution')
    .on('signatures')
    .column('id')
    .where(sql<boolean>`referrer is not null or utm_source is not null or utm_medium is not null or utm_campaign is not null`)
    .execute()
  await db.schema.createIndex('signatures_missing_domain_hash').on('signatures').column('id').where(sql.ref('email_domain_hash'), 'is', null).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('signatures_missing_domain_hash').execute()
  await db.schema.dropIndex('signatures_clear_attribution').execute()
  await db.schema.dropIndex('signatures_clear_ip_country').execute()
}
