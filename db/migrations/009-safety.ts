import type { Kysely } from 'kysely'

// Frozen once landed: later changes go in a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  // States where signers are at risk from their own government, per campaign: a signer who gives
  // one is never named to its mission nor shown publicly, whatever they ticked; only the count goes.
  await db.schema
    .createTable('campaign_risk_states')
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('country_code', 'text', (c) => c.notNull())
    .addColumn('marked_by', 'text')
    .addColumn('marked_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_risk_states_pk', ['campaign_id', 'country_code'])
    .execute()
  // The first campaign's signers from Iran are the people it is about: existing databases get the
  // mark here, new ones from the seed.
  const first = await db.selectFrom('campaigns').select('id').where('slug', '=', 'justice-for-1988').executeTakeFirst()
  if (first) {
    await db
      .insertInto('campaign_risk_states')
      .values({ campaign_id: first.id, country_code: 'IR', marked_by: null, marked_at: Date.now() })
      .onConflict((oc: any) => oc.columns(['campaign_id', 'country_code']).doNothing())
      .execute()
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('campaign_risk_states').execute()
}
