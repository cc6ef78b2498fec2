import { z } from 'zod'
import { UN_LANGUAGES } from '~/data/un-states'

// Shared by the mission form in the browser and the server.
const emailList = z
  .string()
  .max(1000)
  .transform((v) => v.split(/[,;\s]+/).map((e) => e.trim()).filter(Boolean))
  .pipe(z.array(z.email('Each address must be a valid email address')).max(10, 'At most 10 addresses'))
  .transform((list) => list.join(', '))

/** The UN offices a state may keep a mission at; every state is seeded with the first two (ADR 091). */
export const MISSION_OFFICES = ['new-york', 'geneva', 'vienna', 'nairobi'] as const
export type MissionOfficeName = (typeof MISSION_OFFICES)[number]
export const SEEDED_OFFICES: readonly MissionOfficeName[] = ['new-york', 'geneva']
export const OFFICE_LABEL: Record<MissionOfficeName, string> = { 'new-york': 'New York', geneva: 'Geneva', vienna: 'Vienna', nairobi: 'Nairobi' }
export const isMissionOffice = (v: string): v is MissionOfficeName => (MISSION_OFFICES as readonly string[]).includes(v)

/** What an organiser may change about a mission; the state itself and its status are fixed. */
export const MissionUpdateSchema = z.object({
  headTitle: z.enum(['representative', 'observer']),
  language: z.enum(UN_LANGUAGES),
  postalAddress: z.string().trim().max(500).default(''),
  emails: emailList.default(''),
  notes: z.string().trim().max(1000).default(''),
})
