import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalEmail } from './email-address'

const local = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,15}(\.[a-z0-9_-]{1,8}){0,3}$/)
const tag = fc.stringMatching(/^[a-z0-9._-]{0,12}$/)
const domain = fc.stringMatching(/^([a-z0-9][a-z0-9-]{0,12}\.){1,2}[a-z]{2,6}$/).filter((d) => d !== 'gmail.com' && d !== 'googlemail.com')
const anyAddress = fc.oneof(
  fc.tuple(local, domain).map(([l, d]) => `${l}@${d}`),
  fc.tuple(local, fc.constantFrom('gmail.com', 'googlemail.com', 'GMail.com')).map(([l, d]) => `${l}@${d}`),
  fc.string({ maxLength: 40 }),
)
const withCase = (s: string, flips: boolean[]) => [...s].map((c, i) => (flips[i % flips.length] ? c.toUpperCase() : c)).join('')

describe('canonicalEmail (property-based)', () => {
  it('is idempotent and never throws', () => {
    fc.assert(fc.property(anyAddress, (address) => {
        expect(canonicalEmail(canonicalEmail(address))).toBe(canonicalEmail(address))
      }))
  })

  it('ignores letter case and surrounding spaces', () => {
    fc.assert(
      fc.property(local, domain, fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), (l, d, flips) => {
        expect(canonicalEmail(`  ${withCase(`${l}@${d}`, flips)} `)).toBe(canonicalEmail(`${l}@${d}`))
      }),
    )
  })

  it('drops a +tag on any domain', () => {
    fc.assert(fc.property(local, tag, domain, (l, t, d) => {
        expect(canonicalEmail(`${l}+${t}@${d}`)).toBe(`${l}@${d}`)
      }))
  })

  it('drops dots only for Gmail, and reads googlemail.com as gmail.com', () => {
    fc.assert(
      fc.property(local, tag, fc.constantFrom('gmail.com', 'googlemail.com'), (l, t, d) => {
        expect(canonicalEmail(`${l}+${t}@${d}`)).toBe(`${l.replace(/\./g, '')}@gmail.com`)
      }),
    )
    fc.assert(
      fc.property(local.filter((l) => l.includes('.')), domain, (l, d) => {
        expect(canonicalEmail(`${l}@${d}`)).toBe(`${l}@${d}`)
        expect(canonicalEmail(`${l}@${d}`)).not.toBe(canonicalEmail(`${l.replace(/\./g, '')}@${d}`))
      }),
    )
  })

  it('keeps the domain and never merges two different mailboxes of other providers', () => {
    fc.assert(
      fc.property(local, local, domain, (a, b, d) => {
        if (a === b) return
        expect(canonicalEmail(`${a}@${d}`)).not.toBe(canonicalEmail(`${b}@${d}`))
        expect(canonicalEmail(`${a}@${d}`).endsWith(`@${d}`)).toBe(true)
      }),
    )
  })
})
