import { z } from 'zod'
import { emailProblem, nameProblem } from './signature-rules'

export { EMAIL_MAX, NAME_MAX } from './signature-rules'

/**
 * The sign form's schema for the server, built on the same rules the browser checks
 * (./signature-rules.ts). Messages are i18n keys, so each signer reads them in their own language.
 */
export const nameSchema = z
  .string({ error: 'error.name.required' })
  .transform((v) => v.trim())
  .superRefine((value, ctx) => {
    const problem = nameProblem(value)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })

export const emailSchema = z
  .string({ error: 'error.email.required' })
  .transform((v) => v.trim())
  .superRefine((value, ctx) => {
    const problem = emailProblem(value)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })

/**
 * The country check is passed in: the server uses the full table (app/utils/countries.ts); so is the
 * server's Public Suffix List check for names a mail client would link (too big for the browser).
 */
export function makeSignSchema(isCountry: (code: string) => boolean, linkable: (name: string) => boolean = () => false) {
  return z.object({
    name: nameSchema.refine((name) => !linkable(name), 'error.name.url'),
    email: emailSchema,
    country: z.string({ error: 'error.country.required' }).refine(isCountry, 'error.country.invalid'),
    showName: z.boolean().default(false),
    newsOptIn: z.boolean().default(false),
  })
}

export type SignInput = z.infer<ReturnType<typeof makeSignSchema>>

export const ResendSchema = z.object({ email: emailSchema })
