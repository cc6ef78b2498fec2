import { z } from 'zod'
import type { DB, UnAddressee } from '~/db.server'

const CHECK = 'Check who holds the office before sending: the name is left for organisers to fill in.'
const PALAIS = ['Palais des Nations', 'CH-1211 Geneva 10', 'Switzerland']

/**
 * The UN office holders a campaign may write to, as first seeded (ADR 090). Names are left empty:
 * office holders change, and a letter to last year's holder is worse than one to the office.
 */
export const SEEDED_UN_ADDRESSEES: Omit<UnAddressee, 'updated_at' | 'updated_by' | 'person_name'>[] = [
  {
    id: 'secretary-general',
    office: 'Secretary-General of the United Nations',
    form_of_address: 'H.E.',
    salutation: 'Excellency,',
    language: 'en',
    city: 'New York',
    postal_address: ['United Nations Headquarters', '405 East 42nd Street', 'New York, NY 10017', 'United States of America'].join('\n'),
    emails: '',
    notes: `${CHECK} The Executive Office of the Secretary-General publishes no email address for correspondence: deliver by post or by hand.`,
  },
  {
    id: 'high-commissioner-human-rights',
    office: 'United Nations High Commissioner for Human Rights',
    form_of_address: 'H.E.',
    salutation: 'Excellency,',
    language: 'en',
    city: 'Geneva',
    postal_address: ['Office of the United Nations High Commissioner for Human Rights', ...PALAIS].join('\n'),
    emails: '',
    notes: `${CHECK} OHCHR lists a public information desk (ohchr-infodesk@un.org); confirm the address for letters before adding it.`,
  },
  {
    id: 'special-rapporteur-iran',
    office: 'Special Rapporteur on the situation of human rights in the Islamic Republic of Iran',
    form_of_address: '',
    salutation: 'Dear Special Rapporteur,',
    language: 'en',
    city: 'Geneva',
    postal_address: ['c/o Office of the United Nations High Commissioner for Human Rights', ...PALAIS].join('\n'),
    emails: '',
    notes: `${CHECK} The mandate's page on ohchr.org gives the current holder and the address for submissions.`,
  },
  {
    id: 'president-human-rights-council',
    office: 'President of the Human Rights Council',
    form_of_address: 'H.E.',
    salutation: 'Excellency,',
    language: 'en',
    city: 'Geneva',
    postal_address: ['Human Rights Council Branch', 'Office of the United Nations High Commissioner for Human Rights', ...PALAIS].join('\n'),
    emails: '',
    notes: `${CHECK} The presidency changes every year, on 1 January.`,
  },
]

/** Adds the seeded office holders missing from the directory; rows organisers edited are left alone. */
export async function seedUnAddressees(db: DB, now = Date.now()) {
  for (const row of SEEDED_UN_ADDRESSEES) {
    await db
      .insertInto('un_addressees')
      .values({ ...row, person_name: '', updated_at: now, updated_by: null })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
  }
}

export function listUnAddressees(db: DB): Promise<UnAddressee[]> {
  return db.selectFrom('un_addressees').selectAll().orderBy('id').execute()
}

export function getUnAddressee(db: DB, id: string): Promise<UnAddressee | undefined> {
  return db.selectFrom('un_addressees').selectAll().where('id', '=', id).executeTakeFirst()
}

const emailList = z
  .string()
  .max(1000)
  .transform((v) => v.split(/[,;\s]+/).map((e) => e.trim()).filter(Boolean))
  .pipe(z.array(z.email('Each address must be a valid email address')).max(10, 'At most 10 addresses'))
  .transform((list) => list.join(', '))

/** What an organiser writes about an office holder. */
export const UnAddresseeSchema = z.object({
  office: z.string().trim().min(3, 'Name the office').max(200),
  formOfAddress: z.string().trim().max(60).default(''),
  personName: z.string().trim().max(200).default(''),
  salutation: z.string().trim().min(2, 'Write the salutation').max(100),
  language: z.enum(['en', 'fr']),
  city: z.string().trim().min(2, 'Name the city').max(100),
  postalAddress: z.string().trim().max(500).default(''),
  emails: emailList.default(''),
  notes: z.string().trim().max(1000).default(''),
})
export type UnAddresseeInput = z.infer<typeof UnAddresseeSchema>

const columns = (i: UnAddresseeInput) => ({
  office: i.office,
  form_of_address: i.formOfAddress,
  person_name: i.personName,
  salutation: i.salutation,
  language: i.language,
  city: i.city,
  postal_address: i.postalAddress,
  emails: i.emails,
  notes: i.notes,
})

/** Saves an office holder; a new id is made from the office's words. Returns the id. */
export async function saveUnAddressee(db: DB, id: string | null, input: UnAddresseeInput, organiserId: string | null, now = Date.now()): Promise<string | null> {
  if (id) {
    const r = await db.updateTable('un_addressees').set({ ...columns(input), updated_at: now, updated_by: organiserId }).where('id', '=', id).executeTakeFirst()
    return Number(r.numUpdatedRows) ? id : null
  }
  const base =
    input.office
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 50) || 'office'
  let newId = base
  for (let i = 2; await getUnAddressee(db, newId); i++) newId = `${base}-${i}`
  await db.insertInto('un_addressees').values({ id: newId, ...columns(input), updated_at: now, updated_by: organiserId }).execute()
  return newId
}
