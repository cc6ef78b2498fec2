import { parseWithZod } from '@conform-to/zod/v4'
import { describe, expect, it } from 'vitest'
import { EMAIL_PATTERN, validateSignForm } from './signature-rules'
import { makeSignSchema } from './signature-schema'

const isCountry = (code: string) => ['CA', 'IR', 'ZZ'].includes(code)
const serverSchema = makeSignSchema(isCountry)

const form = (fields: Record<string, string>) => {
  const data = new FormData()
  for (const [k, v] of Object.entries(fields)) data.set(k, v)
  return data
}

const cases: Record<string, string>[] = [
  { name: 'مریم رضایی', email: 'maryam@example.org', country: 'IR' },
  { name: '  ', email: 'maryam@example.org', country: 'IR' },
  { name: 'x'.repeat(101), email: 'a@b.co', country: 'CA' },
  { name: 'Evil\u202Eeman', email: 'a@b.co', country: 'CA' },
  { name: '=HYPERLINK(1)', email: 'a@b.co', country: 'CA' },
  { name: 'Visit www.spam.example', email: 'a@b.co', country: 'CA' },
  { name: 'Ana', email: 'not-an-email', country: 'CA' },
  { name: 'Ana', email: `${'a'.repeat(250)}@b.co`, country: 'CA' },
  { name: 'Ana', email: '', country: '' },
  { name: 'Ana', email: 'a@b.co', country: 'XX' },
]

describe('the sign form rules', () => {
  it.each(cases)('give the browser the same errors as the server (%o)', (fields) => {
    const browser = validateSignForm(form(fields), isCountry)
    // The server parses as the route does: conform reads empty fields as missing.
    const server = parseWithZod(form(fields), { schema: serverSchema })
    const errors = (s: typeof browser | typeof server) => (s.status === 'error' ? s.error : {})
    expect(errors(browser)).toEqual(errors(server))
  })
})

describe('the browser’s email pattern', () => {
  it('is zod’s own, which the server applies', async () => {
    const { regexes } = await import('zod/v4/core')
    expect(EMAIL_PATTERN.source).toBe(regexes.email.source)
    expect(EMAIL_PATTERN.flags).toBe(regexes.email.flags)
  })
})
