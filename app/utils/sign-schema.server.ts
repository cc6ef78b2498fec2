import { isCountryCode } from './countries'
import { makeSignSchema } from './signature-schema'

export { ResendSchema } from './signature-schema'

/** The sign form's rules with the full country table: the server's own check. */
export const serverSignSchema = makeSignSchema(isCountryCode)
