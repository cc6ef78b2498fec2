import { z } from 'zod'
import { UN_LANGUAGES } from '~/data/un-states'

// Shared by the mission form in the browser and the server.
const emailList = z
  .string()
  .max(1000)
  .transform((v) => v.split(/[,;\s]+/).map((e) => e.trim()).filter(Boolean))
  .pipe(z.array(z.email('Each address must be a valid email address')).max(10, 'At most 10 addresses'))
  .transform((list) => list.join(', '))

/** What an organiser may change about a mission; the state itself and its status are fixed. */
export const MissionUpdateSchema = z.object({
  headTitle: z.enum(['representative', 'observer']),
  language: z.enum(UN_LANGUAGES),
  city: z.enum(['new-york', 'geneva']),
  postalAddress: z.string().trim().max(500).default(''),
  emails: emailList.default(''),
  notes: z.string().trim().max(1000).default(''),
})
