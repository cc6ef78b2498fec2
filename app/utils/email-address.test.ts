import { describe, expect, it } from 'vitest'
import { canonicalEmail } from './email-address'

describe('canonicalEmail', () => {
  it('lower-cases the whole address', () => {
    expect(canonicalEmail('Maryam.Ahmadi@Example.ORG')).toBe('maryam.ahmadi@example.org')
  })
  it('removes Gmail dots and +tags, and reads googlemail.com as gmail.com', () => {
    expect(canonicalEmail('M.a.r.y.a.m+petition@googlemail.com')).toBe('maryam@gmail.com')
    expect(canonicalEmail('maryam@gmail.com')).toBe(canonicalEmail('Mar.yam+x@GMAIL.com'))
  })
  it('removes +tags elsewhere but keeps dots, which may be significant', () => {
    expect(canonicalEmail('first.last+news@example.org')).toBe('first.last@example.org')
    expect(canonicalEmail('first.last@example.org')).not.toBe(canonicalEmail('firstlast@example.org'))
  })
  it('trims surrounding spaces', () => {
    expect(canonicalEmail('  a@example.org ')).toBe('a@example.org')
  })
})
