import { parseWithZod } from '@conform-to/zod/v4'
import { isCountryCode } from './countries'
import { linkableInName } from './linkable-name.server'
import { makeSignSchema, ResendSchema } from './signature-schema'

/** The sign form's rules with the full country table: the server's own check. */
export const serverSignSchema = makeSignSchema(isCountryCode, linkableInName)

// Public routes parse through these, so zod and its conform adapter stay out of the pages' bundle
// (a route's own import of them would be kept in the browser build through a shared chunk).
export const parseSignForm = (formData: FormData | URLSearchParams) => parseWithZod(formData, { schema: serverSignSchema })
export const parseResendForm = (formData: FormData) => parseWithZod(formData, { schema: ResendSchema })
