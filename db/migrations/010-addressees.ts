import type { Kysely } from 'kysely'

// Frozen once landed: later changes go in a new migration.
export async function up(db: Kysely<any>): Promise<void> {
  // A state has a mission at each UN office where it keeps one (ADR 091): the directory is keyed by
  // state and office. Neither engine changes a primary key in place, so the table is rebuilt.
  await db.schema
    .createTable('missions_by_office')
    .addColumn('country_code', 'text', (c) => c.notNull())
    .addColumn('office', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('head_title', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('language_confidence', 'text', (c) => c.notNull())
    .addColumn('postal_address', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('emails', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addPrimaryKeyConstraint('missions_by_office_pk', ['country_code', 'office'])
    .execute()
  const columns = ['country_code', 'status', 'head_title', 'language', 'language_confidence', 'postal_address', 'emails', 'notes', 'updated_at', 'updated_by'] as const
  const rows = await db.selectFrom('missions').select([...columns, 'city']).execute()
  const values: Record<string, unknown>[] = []
  for (const row of rows) {
    const { city, ...rest } = row as Record<string, unknown>
    // Every existing row is the state's New York mission, as letters so far went to New York unless an
    // organiser chose Geneva; such a row holds Geneva's address, so it becomes the Geneva office and
    // the state gets a New York row with the same language and no contact yet.
    if (city === 'geneva') {
      values.push({ ...rest, office: 'geneva' })
      values.push({ ...rest, office: 'new-york', postal_address: '', emails: '', notes: '' })
    } else values.push({ ...rest, office: 'new-york' })
  }
  for (let i = 0; i < values.length; i += 50) await db.insertInto('missions_by_office').values(values.slice(i, i + 50)).execute()
  await db.schema.dropTable('missions').execute()
  await db.schema.alterTable('missions_by_office').renameTo('missions').execute()

  // Which offices a campaign writes to, comma-separated; New York only keeps what campaigns did.
  await db.schema.alterTable('campaign_letter_settings').addColumn('offices', 'text', (c) => c.notNull().defaultTo('new-york')).execute()

  // UN office holders a campaign may write to (ADR 090): a directory organisers edit, and per
  // campaign the ones chosen.
  await db.schema
    .createTable('un_addressees')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('office', 'text', (c) => c.notNull())
    .addColumn('form_of_address', 'text', (c) => c.notNull())
    .addColumn('salutation', 'text', (c) => c.notNull())
    .addColumn('person_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('postal_address', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('emails', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute()
  await db.schema
    .createTable('campaign_un_addressees')
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('addressee_id', 'text', (c) => c.notNull().references('un_addressees.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('campaign_un_addressees_pk', ['campaign_id', 'addressee_id'])
    .execute()
  // A UN letter is stored with the other letters: country_code 'UN' and the addressee's id here.
  await db.schema.alterTable('letter_versions').addColumn('addressee', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('letter_versions').dropColumn('addressee').execute()
  await db.schema.dropTable('campaign_un_addressees').execute()
  await db.schema.dropTable('un_addressees').execute()
  await db.schema.alterTable('campaign_letter_settings').dropColumn('offices').execute()
  await db.schema
    .createTable('missions_one_office')
    .addColumn('country_code', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('head_title', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('language_confidence', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('postal_address', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('emails', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute()
  const rows = await db.selectFrom('missions').selectAll().where('office', '=', 'new-york').execute()
  for (let i = 0; i < rows.length; i += 50) {
    await db
      .insertInto('missions_one_office')
      .values(rows.slice(i, i + 50).map(({ office: _o, ...r }: any) => ({ ...r, city: 'new-york' })))
      .execute()
  }
  await db.schema.dropTable('missions').execute()
  await db.schema.alterTable('missions_one_office').renameTo('missions').execute()
}
