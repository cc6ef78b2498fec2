import { numberLocale } from './locales'
import type { MessageKey, Messages } from './types'

export type Params = Record<string, string | number>
export type Translate = (key: MessageKey, params?: Params) => string

export function formatNumber(locale: string, n: number): string {
  return new Intl.NumberFormat(numberLocale(locale)).format(n)
}

/**
 * The tag dates are written with on public pages and in emails, pinned like numbers (ADR 051, 102):
 * English day-month-year, Persian in the Solar Hijri calendar and Persian digits, Arabic in Western digits.
 */
function dateLocale(locale: string): string {
  return locale === 'en' ? 'en-GB' : locale === 'fa' ? 'fa-u-ca-persian-nu-arabext' : locale === 'ar' ? 'ar-u-nu-latn' : locale
}
const dateFormats = new Map<string, Intl.DateTimeFormat>()
function dateFormat(tag: string): Intl.DateTimeFormat {
  let format = dateFormats.get(tag)
  if (!format) dateFormats.set(tag, (format = new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })))
  return format
}

/**
 * A day as the reader's language writes it, the one format of every date in the interface and its
 * emails (UTC: the day a letter was dated is the same wherever it is read). Persian gives the Solar
 * Hijri date with the Gregorian one after it, as the campaign's Persian copy writes dates.
 */
export function formatDate(locale: string, ms: number): string {
  const day = dateFormat(dateLocale(locale)).format(ms)
  return locale === 'fa' ? `${day} (${dateFormat('fa-u-ca-gregory-nu-arabext').format(ms)})` : day
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
