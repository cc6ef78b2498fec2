import { numberLocale } from './locales'
import type { MessageKey, Messages } from './types'

export type Params = Record<string, string | number>
export type Translate = (key: MessageKey, params?: Params) => string

export function formatNumber(locale: string, n: number): string {
  return new Intl.NumberFormat(numberLocale(locale)).format(n)
}

/** Fills {placeholders}; numbers are written in the locale's own digits. */
export function interpolate(locale: string, template: string, params?: Params): string {
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name]
    if (value === undefined) return whole
    return typeof value === 'number' ? formatNumber(locale, value) : value
  })
}

/**
 * A message about a number of things may have a form for the language's "one" category (as
 * Intl.PluralRules sorts numbers: 1 in English and Spanish, 0 and 1 in French and Persian), kept
 * under the key with `.one` added; the plain key is the form for every other number.
 */
function pluralKey(locale: string, key: MessageKey, messages: Messages, params?: Params): MessageKey {
  const count = params?.count
  if (typeof count !== 'number') return key
  const one = `${key}.one` as MessageKey
  return one in messages && pluralRules(locale).select(count) === 'one' ? one : key
}

// Made once per language, not for every message translated.
const rulesByLocale = new Map<string, Intl.PluralRules>()
function pluralRules(locale: string): Intl.PluralRules {
  let rules = rulesByLocale.get(locale)
  if (!rules) rulesByLocale.set(locale, (rules = new Intl.PluralRules(numberLocale(locale))))
  return rules
}

export function makeTranslator(locale: string, messages: Messages, fallback?: Messages): Translate {
  return (key, params) => {
    const chosen = pluralKey(locale, key, messages, params)
    return interpolate(locale, messages[chosen] ?? fallback?.[chosen] ?? key, params)
  }
}
