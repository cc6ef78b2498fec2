import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isCountryCode } from './countries'
import { emailSchema, makeSignSchema, NAME_MAX, nameSchema, ResendSchema } from './signature-schema'

const FORBIDDEN = [...'\u0000\u0007\u0009\u000a\u000d\u001b\u007f\u0085\u2028\u2029\uFEFF\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069']
const errorOf = (result: { success: boolean; error?: { issues: { message: string }[] } }) => (result.success ? null : result.error!.issues[0].message)

// Names people really have: letters of any script, marks, spaces, apostrophes, hyphens, dots, ZWNJ.
const nameChar = fc.oneof(
  fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'),
  fc.constantFrom(...'مریماحمدیعلیرضاسارا', ...'李小龙王芳', ...'ÉéèçñÑüÖøÅßłŁ', ...'АБВГДабвгд'),
  fc.constantFrom(' ', "'", '-', '.', '\u200C'),
)
const plainName = fc
  .array(nameChar, { minLength: 1, maxLength: NAME_MAX })
  .map((chars) => chars.join(''))
  .filter((s) => s.trim().length > 0 && !/^[=+\-@]/.test(s.trim()) && !/\.(com|net|org|info|io|ir|ru|me|co|uk|de)\b/i.test(s))

describe('nameSchema (property-based)', () => {
  it('never throws, whatever it is given', () => {
    fc.assert(fc.property(fc.anything(), (value) => void nameSchema.safeParse(value)))
  })

  it('accepts names of 1 to 100 characters in any script, trimmed', () => {
    fc.assert(
      fc.property(plainName, fc.constantFrom('', ' ', '  \t'), (name, pad) => {
        const result = nameSchema.safeParse(`${pad}${name}${pad}`)
        expect(errorOf(result)).toBeNull()
        expect(result.data).toBe(name.trim())
      }),
    )
  })

  it('refuses any name with a control, separator or direction-override character', () => {
    fc.assert(
      fc.property(plainName, fc.constantFrom(...FORBIDDEN), fc.nat(), (name, bad, at) => {
        const chars = [...name.slice(0, NAME_MAX - 2)]
        const i = 1 + (at % Math.max(1, chars.length - 1))
        chars.splice(i, 0, bad)
        const value = `A${chars.join('')}Z`
        if ([...value.trim()].length > NAME_MAX) return
        expect(errorOf(nameSchema.safeParse(value))).toBe('error.name.invalid')
      }),
    )
  })

  it('refuses names over 100 characters, counted in code points', () => {
    fc.assert(
      fc.property(fc.array(nameChar, { minLength: NAME_MAX + 1, maxLength: 400 }), (chars) => {
        const value = `X${chars.join('')}X`
        expect(errorOf(nameSchema.safeParse(value))).toBe('error.name.tooLong')
      }),
    )
    expect(errorOf(nameSchema.safeParse('😀'.repeat(NAME_MAX)))).toBeNull()
  })

  it('refuses names a spreadsheet would run as a formula', () => {
    fc.assert(
      fc.property(fc.constantFrom('=', '+', '-', '@'), plainName, (lead, name) => {
        const value = `${lead}${name}`.slice(0, NAME_MAX)
        if (/[\p{Cc}]/u.test(value)) return
        expect(errorOf(nameSchema.safeParse(value))).toBe('error.name.formula')
      }),
    )
  })

  it('refuses blank names', () => {
    fc.assert(fc.property(fc.stringMatching(/^[ \t]{0,20}$/), (blank) => {
        expect(errorOf(nameSchema.safeParse(blank))).toBe('error.name.required')
      }))
  })

  it('is idempotent: what it returns, it accepts unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 120 }), (value) => {
        const first = nameSchema.safeParse(value)
        if (!first.success) return
        expect(nameSchema.safeParse(first.data).data).toBe(first.data)
      }),
    )
  })
})

const localPart = fc.stringMatching(/^[a-z0-9][a-z0-9_+-]{0,20}(\.[a-z0-9_+-]{1,10}){0,2}$/)
const domain = fc.stringMatching(/^([a-z0-9][a-z0-9-]{0,15}\.){1,3}[a-z]{2,8}$/)

describe('emailSchema (property-based)', () => {
  it('never throws', () => {
    fc.assert(fc.property(fc.anything(), (value) => void emailSchema.safeParse(value)))
  })

  it('accepts ordinary addresses, trimmed', () => {
    fc.assert(
      fc.property(localPart, domain, (local, host) => {
        const result = emailSchema.safeParse(`  ${local}@${host} `)
        expect(errorOf(result)).toBeNull()
        expect(result.data).toBe(`${local}@${host}`)
      }),
    )
  })

  it('refuses any address with a line break, NUL or space inside (no header injection)', () => {
    fc.assert(
      fc.property(localPart, domain, fc.constantFrom('\r\n', '\n', '\r', '\u0000', ' ', '\t', '\r\nBcc: x@evil.example'), (local, host, bad) => {
        expect(emailSchema.safeParse(`${local}${bad}@${host}`).success).toBe(false)
        expect(emailSchema.safeParse(`${local}@${host}${bad}x.org`).success).toBe(false)
      }),
    )
  })

  it('refuses addresses over 254 characters', () => {
    fc.assert(
      fc.property(fc.integer({ min: 255, max: 2000 }), (length) => {
        const value = `${'a'.repeat(length - 12)}@example.org`
        expect(errorOf(emailSchema.safeParse(value))).toBe('error.email.tooLong')
      }),
    )
  })

  it('refuses strings without exactly one @ between a local part and a domain', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }).filter((s) => !/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(s.trim())), (value) => {
        expect(emailSchema.safeParse(value).success).toBe(false)
      }),
    )
  })

  it('is the rule of the resend form too', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (value) => {
        expect(ResendSchema.safeParse({ email: value }).success).toBe(emailSchema.safeParse(value).success)
      }))
  })
})

describe('the sign schema (property-based)', () => {
  const schema = makeSignSchema(isCountryCode)
  it('accepts a country exactly when it is one of the list', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 4 }), fc.stringMatching(/^[A-Z]{2}$/)), (country) => {
        const result = schema.safeParse({ name: 'Maryam', email: 'm@example.org', country })
        expect(result.success).toBe(isCountryCode(country))
      }),
    )
  })

  it('never throws on any shape of input', () => {
    fc.assert(fc.property(fc.anything(), (value) => void schema.safeParse(value)))
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.anything()), (value) => void schema.safeParse(value)))
  })
})
