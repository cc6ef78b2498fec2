import { describe, expect, it } from 'vitest'
import { canonicalEmail, emailDomain } from './email-address'

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

describe('emailDomain', () => {
  it('reads the domain of an address, or a domain typed alone, in lower case', () => {
    expect(emailDomain('Maryam@Example.ORG')).toBe('example.org')
    expect(emailDomain('  EXAMPLE.org ')).toBe('example.org')
    expect(emailDomain('@example.org')).toBe('example.org')
    expect(emailDomain('"odd@local"@example.org')).toBe('example.org')
  })
  it('drops a trailing dot, which names the same domain', () => {
    expect(emailDomain('a@example.org.')).toBe('example.org')
    expect(emailDomain('Example.Org.')).toBe('example.org')
  })
  it('reads an internationalised domain in its ASCII form, whichever way it is typed', () => {
    expect(emailDomain('a@Bücher.example')).toBe('xn--bcher-kva.example')
    expect(emailDomain('BÜCHER.example')).toBe('xn--bcher-kva.example')
    expect(emailDomain('a@xn--bcher-kva.example')).toBe('xn--bcher-kva.example')
    expect(emailDomain('a@مثال.ایران')).toBe(new URL('http://مثال.ایران').hostname)
    expect(emailDomain('a@مثال.ایران')).toMatch(/^xn--[a-z0-9-]+\.xn--[a-z0-9-]+$/)
  })
  it('reads googlemail.com as gmail.com, as canonicalEmail does', () => {
    expect(emailDomain('someone@GoogleMail.com')).toBe('gmail.com')
    expect(emailDomain(canonicalEmail('someone@googlemail.com.'))).toBe('gmail.com')
  })
  it('gives canonicalEmail its domain', () => {
    expect(canonicalEmail('First.Last+x@Bücher.Example.')).toBe('first.last@xn--bcher-kva.example')
  })
})
