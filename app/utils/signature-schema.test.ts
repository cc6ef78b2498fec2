import { parseWithZod } from '@conform-to/zod/v4'
import { describe, expect, it } from 'vitest'
import { isCountryCode } from './countries'
import { EMAIL_MAX, makeSignSchema } from './signature-schema'

const schema = makeSignSchema(isCountryCode)

function errorsFor(fields: Record<string, string>) {
  const form = new FormData()
  for (const [k, v] of Object.entries({ name: 'Maryam', email: 'maryam@example.org', country: 'CA', ...fields })) form.set(k, v)
  const result = parseWithZod(form, { schema })
  return result.status === 'success' ? {} : (result.reply().error ?? {})
}

describe('sign form rules', () => {
  it('accepts names in any script, with the ZWNJ Persian needs', () => {
    for (const name of ['مریم احمدی', 'عبدالله', '王小明', 'Zoë Ångström-Núñez', 'می‌خواهم', "O'Brien"]) {
      expect(errorsFor({ name })).toEqual({})
    }
  })
  it('trims names and refuses empty or over-long ones', () => {
    expect(errorsFor({ name: '   ' }).name).toEqual(['error.name.required'])
    expect(errorsFor({ name: 'ب'.repeat(100) })).toEqual({})
    expect(errorsFor({ name: 'ب'.repeat(101) }).name).toEqual(['error.name.tooLong'])
  })
  it('refuses control and bidirectional override characters', () => {
    for (const name of ['Ma\u0000ryam', 'Ma\u202Eryam', 'Ma\u2066ryam', 'Ma\nryam', 'Ma\u0007ryam']) {
      expect(errorsFor({ name }).name).toEqual(['error.name.invalid'])
    }
  })
  it('refuses URLs and formula starts', () => {
    expect(errorsFor({ name: 'visit https://spam.example' }).name).toEqual(['error.name.url'])
    expect(errorsFor({ name: 'www.spam' }).name).toEqual(['error.name.url'])
    expect(errorsFor({ name: 'cheap-pills.com' }).name).toEqual(['error.name.url'])
    for (const name of ['=1+1', '+98 912', '-x', '@home']) expect(errorsFor({ name }).name).toEqual(['error.name.formula'])
    expect(errorsFor({ name: 'J. R. R. Tolkien' })).toEqual({})
  })
  it('checks emails: required, valid, at most 254 characters', () => {
    expect(errorsFor({ email: '' }).email).toEqual(['error.email.required'])
    expect(errorsFor({ email: 'not-an-email' }).email).toEqual(['error.email.invalid'])
    expect(errorsFor({ email: 'a@b.org\r\nBcc: x@y.org' }).email).toEqual(['error.email.invalid'])
    const long = `${'a'.repeat(64)}@${'b'.repeat(EMAIL_MAX - 64 - 5)}.org`
    expect(long).toHaveLength(EMAIL_MAX)
    expect(errorsFor({ email: `x${long}` }).email).toEqual(['error.email.tooLong'])
  })
  it('accepts only countries from the list', () => {
    expect(errorsFor({ country: '' }).country).toEqual(['error.country.required'])
    expect(errorsFor({ country: 'XX' }).country).toEqual(['error.country.invalid'])
    expect(errorsFor({ country: 'ca' }).country).toEqual(['error.country.invalid'])
    expect(errorsFor({ country: 'ZZ' })).toEqual({})
    expect(errorsFor({ country: 'PS' })).toEqual({})
  })
})
