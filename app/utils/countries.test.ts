import countries from 'i18n-iso-countries'
import { describe, expect, it } from 'vitest'
import { UN_LANGUAGES, UN_STATES } from '../data/un-states'
import {
  COUNTRY_NAME_CORRECTIONS,
  ELSEWHERE,
  UI_LOCALES,
  countryName,
  countryOptions,
  isCountryCode,
  unState,
} from './countries'

const ALL_CODES = [...UN_STATES.map((s) => s.code), ELSEWHERE]

describe('UN_STATES', () => {
  it('has exactly 193 members and 2 observers, each code once', () => {
    expect(UN_STATES.filter((s) => s.status === 'member')).toHaveLength(193)
    expect(UN_STATES.filter((s) => s.status === 'observer')).toHaveLength(2)
    for (const key of ['code', 'alpha3', 'm49'] as const) {
      expect(new Set(UN_STATES.map((s) => s[key])).size).toBe(195)
    }
  })

  it('has the Holy See and the State of Palestine as the observers', () => {
    expect(UN_STATES.filter((s) => s.status === 'observer').map((s) => s.code).sort()).toEqual(['PS', 'VA'])
    expect(unState('VA')?.status).toBe('observer')
    expect(unState('PS')?.status).toBe('observer')
    expect(unState('US')?.status).toBe('member')
    expect(unState(ELSEWHERE)).toBeUndefined()
  })

  it('has codes that agree with ISO 3166', () => {
    for (const s of UN_STATES) {
      expect(s.m49, s.code).toMatch(/^\d{3}$/)
      expect(countries.alpha2ToAlpha3(s.code), s.code).toBe(s.alpha3)
      expect(countries.alpha2ToNumeric(s.code), s.code).toBe(s.m49)
    }
  })

  it('has a UN correspondence language and a confidence for every state', () => {
    for (const s of UN_STATES) {
      expect(UN_LANGUAGES, s.code).toContain(s.correspondenceLanguage)
      expect(['high', 'med', 'low'], s.code).toContain(s.correspondenceConfidence)
    }
  })

  it('has every UNTERM name, without the observer asterisk', () => {
    for (const s of UN_STATES) {
      for (const form of ['short', 'formal'] as const) {
        for (const lang of UN_LANGUAGES) {
          const name = s.unName[form][lang]
          expect(name.trim(), `${s.code} ${form} ${lang}`).not.toBe('')
          expect(name, `${s.code} ${form} ${lang}`).not.toMatch(/\*|\s{2}|^\s|\s$/)
        }
      }
    }
    expect(unState('VA')?.unName.short.en).toBe('Holy See (the)')
    expect(unState('PS')?.unName.formal.en).toBe('the State of Palestine')
  })

  it('fills the UNTERM gaps for Türkiye and Côte d’Ivoire in all six languages', () => {
    expect(unState('TR')?.unName).toEqual({
      short: { en: 'Türkiye', fr: 'Türkiye (la)', es: 'Türkiye', ar: 'تركيا', ru: 'Турция', zh: '土耳其' },
      formal: {
        en: 'the Republic of Türkiye',
        fr: 'la République de Türkiye',
        es: 'la República de Türkiye',
        ar: 'جمهورية تركيا',
        ru: 'Турецкая Республика',
        zh: '土耳其共和国',
      },
    })
    const ci = unState('CI')
    expect(ci?.unName.short.en).toBe("Côte d'Ivoire")
    expect(ci?.unName.formal.en).toBe("the Republic of Côte d'Ivoire")
    for (const lang of UN_LANGUAGES) {
      expect(ci?.unName.short[lang], lang).toBeTruthy()
      expect(ci?.unName.formal[lang], lang).toBeTruthy()
    }
  })
})

describe('isCountryCode', () => {
  it('accepts the 195 states and ELSEWHERE', () => {
    expect(ALL_CODES).toHaveLength(196)
    for (const code of ALL_CODES) expect(isCountryCode(code), code).toBe(true)
  })

  it('rejects anything else', () => {
    for (const code of ['XX', 'us', '', 'USA', ' US', 'US ', 'zz', 'CK', 'NU', 'PR']) {
      expect(isCountryCode(code), JSON.stringify(code)).toBe(false)
    }
  })
})

describe('countryName', () => {
  it('gives every code a real name in every locale', () => {
    for (const locale of UI_LOCALES) {
      for (const code of ALL_CODES) {
        const name = countryName(code, locale)
        expect(name.trim(), `${code} ${locale}`).not.toBe('')
        expect(name, `${code} ${locale}`).toBe(name.trim())
        expect(name.toUpperCase(), `${code} ${locale}`).not.toBe(code)
      }
    }
  })

  it('never gives two states the same name in one locale', () => {
    for (const locale of UI_LOCALES) {
      const names = ALL_CODES.map((code) => countryName(code, locale))
      expect(new Set(names).size, locale).toBe(names.length)
    }
  })

  it('tells the two Koreas and the two Congos apart', () => {
    for (const locale of UI_LOCALES) {
      expect(countryName('KP', locale), locale).not.toBe(countryName('KR', locale))
      expect(countryName('CD', locale), locale).not.toBe(countryName('CG', locale))
    }
  })

  it('names Israel in Persian as اسرائیل', () => {
    expect(countryName('IL', 'fa')).toBe('\u0627\u0633\u0631\u0627\u0626\u06cc\u0644')
    expect(countryName('IL', 'fa')).toBe('اسرائیل')
  })

  it('uses no "occupied" wording in Persian or Arabic', () => {
    for (const locale of ['fa', 'ar'] as const) {
      for (const code of ALL_CODES) {
        expect(countryName(code, locale), `${code} ${locale}`).not.toMatch(/اشغالی|اشغال|محتلة|المحتلة/)
      }
    }
  })

  it('lets corrections win over the package', () => {
    expect(countries.getName('PS', 'fa')).not.toBe('فلسطین')
    expect(countryName('PS', 'fa')).toBe('فلسطین')
    expect(countries.getName('SZ', 'fr')).not.toBe('Eswatini')
    expect(countryName('SZ', 'fr')).toBe('Eswatini')
    for (const locale of UI_LOCALES) {
      for (const [code, name] of Object.entries(COUNTRY_NAME_CORRECTIONS[locale] ?? {})) {
        expect(isCountryCode(code), code).toBe(true)
        expect(countryName(code, locale), `${code} ${locale}`).toBe(name)
      }
    }
  })

  it('has a correction wherever the package offers several names', () => {
    for (const locale of UI_LOCALES) {
      for (const { code } of UN_STATES) {
        const names = countries.getName(code, locale, { select: 'all' }) ?? []
        if (names.length > 1) expect(COUNTRY_NAME_CORRECTIONS[locale]?.[code], `${code} ${locale}`).toBeDefined()
      }
    }
  })

  it('uses the current names', () => {
    expect(countryName('TR', 'en')).toBe('Türkiye')
    expect(countryName('VA', 'en')).toBe('Holy See')
    expect(countryName('CI', 'en')).toBe("Côte d'Ivoire")
    expect(countryName('CZ', 'en')).toBe('Czechia')
    expect(countryName('IR', 'fa')).toBe('ایران')
    for (const locale of ['en', 'fr', 'es'] as const) expect(countryName('SZ', locale)).toBe('Eswatini')
    expect(countryName('MM', 'ar')).toBe('ميانمار')
    expect(countryName('MM', 'fa')).toBe('میانمار')
  })

  it('labels ELSEWHERE and passes unknown codes through', () => {
    expect(countryName(ELSEWHERE, 'en')).toBe('Another country or territory')
    expect(countryName(ELSEWHERE, 'fa')).toBe('کشور یا سرزمینی دیگر')
    expect(countryName('XX', 'en')).toBe('XX')
  })
})

describe('countryOptions', () => {
  it('lists every state in the reader’s alphabetical order, then ELSEWHERE', () => {
    for (const locale of UI_LOCALES) {
      const options = countryOptions(locale)
      expect(options, locale).toHaveLength(196)
      expect(options.at(-1), locale).toEqual({ code: ELSEWHERE, name: countryName(ELSEWHERE, locale) })
      const states = options.slice(0, -1)
      const collator = new Intl.Collator(locale)
      for (let i = 1; i < states.length; i++) {
        expect(collator.compare(states[i - 1].name, states[i].name), `${locale} ${states[i].name}`).toBeLessThan(0)
      }
      expect(new Set(states.map((o) => o.code)), locale).toEqual(new Set(UN_STATES.map((s) => s.code)))
    }
  })

  it('sorts in the reader’s language', () => {
    expect(countryOptions('fr')[0]).toMatchObject({ code: 'AF', name: 'Afghanistan' })
    expect(countryOptions('en')[0].name).toBe('Afghanistan')
    expect(countryOptions('fa')[0].name).toMatch(/^[اآ]/)
    expect(countryOptions('ar')[0].name).toMatch(/^[اآأإ]/)
    // A code-point sort would put "Égypte" after "Zimbabwe".
    const fr = countryOptions('fr').map((o) => o.code)
    expect(fr.indexOf('DJ')).toBeLessThan(fr.indexOf('EG'))
    expect(fr.indexOf('EG')).toBeLessThan(fr.indexOf('FR'))
  })
})
