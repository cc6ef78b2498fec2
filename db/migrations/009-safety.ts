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

  // What ADR 004 meant to keep encrypted and did not (ADR 089): the country of a signer's IP (which can
  // say where someone really is) and organisers' names. The app, which holds the key, moves the clear
  // values into these columns at start and clears the old ones. A 0/1 flag says whether the IP's
  // country differs from the declared one, so the fraud review needs no country in clear.
  await db.schema.alterTable('signatures').addColumn('ip_country_enc', 'text').execute()
  await db.schema.alterTable('signatures').addColumn('ip_country_differs', 'integer').execute()
  await db.schema.createIndex('signatures_campaign_ip_differs').on('signatures').columns(['campaign_id', 'ip_country_differs']).execute()
  await db.schema.alterTable('organisers').addColumn('name_enc', 'text').execute()

  // Where a signer came from, as an opaque keyed hash per signature; the label it stands for (a
  // referring host, a set of utm tags) is stored once, encrypted, for the dashboard to name.
  await db.schema.alterTable('signatures').addColumn('referrer_hash', 'text').execute()
  await db.schema.alterTable('signatures').addColumn('utm_hash', 'text').execute()
  await db.schema
    .createTable('attribution_labels')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('label_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('attribution_labels').execute()
  await db.schema.alterTable('signatures').dropColumn('utm_hash').execute()
  await db.schema.alterTable('signatures').dropColumn('referrer_hash').execute()
  await db.schema.alterTable('organisers').dropColumn('name_enc').execute()
  await db.schema.dropIndex('signatures_campaign_ip_differs').execute()
  await db.schema.alterTable('signatures').dropColumn('ip_country_differs').execute()
  await db.schema.alterTable('signatures').dropColumn('ip_country_enc').execute()
  await db.schema.dropTable('campaign_risk_states').execute()
}
