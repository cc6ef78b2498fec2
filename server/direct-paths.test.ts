import { describe, expect, it } from 'vitest'
import { errorSummary } from './direct-paths'

// What the direct path logs when it catches a failure (ADR 117): enough to tell what failed, never
// the message, which can quote the form (a name, an address) or the token in the link.
describe('errorSummary', () => {
  it('gives the error’s name and code, never its message', () => {
    const error = Object.assign(new Error('duplicate key for maryam@example.org, token abc123'), { code: 'SQLITE_CONSTRAINT_UNIQUE' })
    expect(errorSummary(error)).toBe('Error SQLITE_CONSTRAINT_UNIQUE')
    expect(errorSummary(new TypeError('Cannot read name of Maryam'))).toBe('TypeError')
  })
  it('says only the type of a thrown value that is not an Error', () => {
    expect(errorSummary('maryam@example.org')).toBe('string')
    expect(errorSummary({ email: 'maryam@example.org' })).toBe('object')
  })
})
