import { z } from 'zod'
import { LOCALES } from '~/i18n/locales'

export const UpdateCopySchema = z.object({
  locale: z.enum(LOCALES, { error: 'Choose a language.' }),
  subject: z.string({ error: 'Write a subject.' }).trim().min(1, 'Write a subject.').max(150, 'Keep the subject under 150 characters.'),
  body: z.string({ error: 'Write the update.' }).trim().min(1, 'Write the update.').max(10_000, 'Keep the update under 10,000 characters.'),
})
