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

export function makeTranslator(locale: string, messages: Messages, fallback?: Messages): Translate {
  return (key, params) => interpolate(locale, messages[key] ?? fallback?.[key] ?? key, params)
}
