/** Languages the interface is written in. Adding one is adding a file in ./messages and a line here. */
export const LOCALES = ['en', 'fa'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'en'

const RTL = new Set<string>(['fa', 'ar', 'he', 'ur'])
export const localeDir = (locale: string): 'rtl' | 'ltr' => (RTL.has(locale) ? 'rtl' : 'ltr')

/** Names of each language in itself, for the switcher. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', fa: 'فارسی' }

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}
