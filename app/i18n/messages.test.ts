import { describe, expect, it } from 'vitest'
import { formatNumber, interpolate } from './core'
import { dictionaries } from './i18n.server'
import { LOCALE_NAMES, LOCALES, localeDir } from './locales'
import en from './messages/en'

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
// Direction marks and isolates belong in a few messages; overrides and embeddings never do.
const BIDI_OVERRIDES = /[\u202A-\u202E]/

describe.each(LOCALES.filter((l) => l !== 'en'))('the %s dictionary', (locale) => {
  const messages = dictionaries[locale] as Record<string, string>

  it('has exactly the keys of the English one', () => {
    expect(Object.keys(messages).sort()).toEqual(Object.keys(en).sort())
  })

  it('keeps every {placeholder} of the English message, and adds none', () => {
    const wrong = Object.entries(en)
      .filter(([key, source]) => placeholders(messages[key] ?? '').join() !== placeholders(source).join())
      .map(([key]) => key)
    expect(wrong).toEqual([])
  })

  it('translates rather than copies (only names, brands and examples may match English)', () => {
    const same = Object.entries(en)
      .filter(([key, source]) => messages[key] === source && !/\{\w+\}, \{\w+\}|^(Sources|Email)$|^Error: \{title\}$/.test(source))
      .map(([key]) => key)
    expect(same).toEqual([])
  })

  it('has no empty message and no bidirectional override character', () => {
    for (const [key, value] of Object.entries(messages)) {
      expect(value.trim(), key).not.toBe('')
      expect(BIDI_OVERRIDES.test(value), key).toBe(false)
    }
  })
})

describe('languages', () => {
  it('each has a name in itself for the switcher', () => {
    for (const locale of LOCALES) expect(LOCALE_NAMES[locale]).toBeTruthy()
  })

  it('sets Persian and Arabic right to left and the others left to right', () => {
    expect(LOCALES.filter((l) => localeDir(l) === 'rtl')).toEqual(['fa', 'ar'])
  })

  it('writes numbers in Persian digits for Persian and Western digits for Arabic, whatever the ICU default', () => {
    expect(formatNumber('fa', 12345)).toBe('۱۲٬۳۴۵')
    expect(formatNumber('ar', 12345)).toBe('12,345')
    expect(interpolate('ar', 'الهدف: {goal}', { goal: 100000 })).toBe('الهدف: 100,000')
    expect(formatNumber('fr', 12345)).toMatch(/^12\s345$/u)
  })
})
