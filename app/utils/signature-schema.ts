import { z } from 'zod'

/**
 * The sign form's rules, shared by the browser (inline errors) and the server (the real check).
 * Messages are i18n keys, so each signer reads them in their own language.
 */
export const NAME_MAX = 100
export const EMAIL_MAX = 254

// C0/C1 controls, line and paragraph separators, BOM, and the bidi embeddings, overrides and isolates
// that can make a name display as something else. ZWNJ/ZWJ stay: Persian needs them.
const FORBIDDEN_IN_NAME = /[\p{Cc}\u2028\u2029\uFEFF\u202A-\u202E\u2066-\u2069]/u
const URL_LIKE =
  /(?:[a-z][a-z0-9+.-]*:\/\/|www\.|\b[\p{L}\p{N}-]+\.(?:com|net|org|info|io|ir|ru|xyz|top|link|me|co|uk|de|app|site|online|ly|gl|to|cc|biz|click)\b)/iu
const FORMULA_START = /^[=+\-@]/

export const nameSchema = z
  .string({ error: 'error.name.required' })
  .transform((v) => v.trim())
  .superRefine((value, ctx) => {
    const length = [...value].length
    const fail = (message: string) => ctx.addIssue({ code: 'custom', message })
    if (length === 0) return fail('error.name.required')
    if (length > NAME_MAX) return fail('error.name.tooLong')
    if (FORBIDDEN_IN_NAME.test(value)) return fail('error.name.invalid')
    if (FORMULA_START.test(value)) return fail('error.name.formula')
    if (URL_LIKE.test(value)) return fail('error.name.url')
  })

// Built once: a zod schema costs far more to make than to run.
const EMAIL_FORMAT = z.email()

export const emailSchema = z
  .string({ error: 'error.email.required' })
  .transform((v) => v.trim())
  .superRefine((value, ctx) => {
    const fail = (message: string) => ctx.addIssue({ code: 'custom', message })
    if (value.length === 0) return fail('error.email.required')
    if (value.length > EMAIL_MAX) return fail('error.email.tooLong')
    if (!EMAIL_FORMAT.safeParse(value).success) return fail('error.email.invalid')
  })

/**
 * The country check is passed in: the server uses the full table (app/utils/countries.ts), the
 * browser the list it was sent, so the table's localized names stay out of the client bundle.
 */
export function makeSignSchema(isCountry: (code: string) => boolean) {
  return z.object({
    name: nameSchema,
    email: emailSchema,
    country: z.string({ error: 'error.country.required' }).refine(isCountry, 'error.country.invalid'),
    showName: z.boolean().default(false),
    newsOptIn: z.boolean().default(false),
  })
}

export type SignInput = z.infer<ReturnType<typeof makeSignSchema>>

export const ResendSchema = z.object({ email: emailSchema })
