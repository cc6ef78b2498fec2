import { describe, expect, it } from 'vitest'
import { LOCALES } from '../i18n/locales'
import { countryOptions, isCountryCode } from './countries'
import { acceptLanguageTags, normalize, regionFromLanguages, searchCountries } from './country-search'

const first = (locale: (typeof LOCALES)[number], query: string) => searchCountries(countryOptions(locale), query)[0]?.code

describe('the country search', () => {
  it.each(LOCALES)('%s: finds the state people mean by its common, former and English names', (locale) => {
    for (const [query, code] of [
      ['uk', 'GB'],
      ['UK', 'GB'],
      ['usa', 'US'],
      ['britain', 'GB'],
      ['england', 'GB'],
      ['holland', 'NL'],
      ['persia', 'IR'],
      ['آمریکا', 'US'],
      ['انگلیس', 'GB'],
      ['أمريكا', 'US'],
      ['بريطانيا', 'GB'],
      ['germany', 'DE'],
      ['united kingdom', 'GB'],
      ['ukraine', 'UA'],
      ['iran', 'IR'],
    ] as const) {
      expect([query, first(locale, query)]).toEqual([query, code])
    }
  })

  it('puts a whole name or alias before a name that only starts with the letters', () => {
    const uk = searchCountries(countryOptions('en'), 'uk').map((c) => c.code)
    expect(uk.indexOf('GB')).toBeLessThan(uk.indexOf('UA'))
    expect(uk).toContain('UA')
  })

  it('still matches names in the reader’s own language, folded', () => {
    expect(first('fa', 'ایران')).toBe('IR')
    expect(first('ar', 'السعوديه')).toBe('SA')
    expect(first('fr', 'cote d ivoire')).toBe('CI')
    expect(first('es', 'mexico')).toBe('MX')
    expect(normalize('Guinea-Bissau')).toBe(normalize('guinea bissau'))
  })

  it('gives every option for an empty search, in the list’s order', () => {
    expect(searchCountries(countryOptions('fa'), '  ')).toEqual(countryOptions('fa'))
  })
})

describe('the country preselected from the browser’s languages', () => {
  it.each([
    ['fa-IR,fa;q=0.9,en;q=0.8', 'IR'],
    ['en-GB,en;q=0.9', 'GB'],
    ['fr', null],
    ['en;q=0.9, de-CH', 'CH'],
    ['de-CH;q=0.5, pt-BR;q=0.8', 'BR'],
    ['zh-Hant-TW', null],
    ['sr-Latn-RS', 'RS'],
    ['en-001', null],
    ['es-419', null],
    ['en-XX', null],
    ['', null],
  ])('%j gives %s', (header, code) => {
    expect(regionFromLanguages(acceptLanguageTags(header), isCountryCode)).toBe(code)
  })
})
