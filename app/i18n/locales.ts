/** Languages the interface is written in. Adding one is adding a file in ./messages and a line here. */
export const LOCALES = ['en', 'fa', 'fr', 'es', 'ar'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'en'

const RTL = new Set<string>(['fa', 'ar', 'he', 'ur'])
export const localeDir = (locale: string): 'rtl' | 'ltr' => (RTL.has(locale) ? 'rtl' : 'ltr')

/** Names of each language in itself, for the switcher. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', fa: 'فارسی', fr: 'Français', es: 'Español', ar: 'العربية' }

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

/**
 * The tag numbers are formatted with. Arabic is pinned to Western digits (docs/decisions/051-arabic-digits.md):
 * pinning also keeps the server's ICU and the browser's from disagreeing, which would break hydration.
 */
export function numberLocale(locale: string): string {
  return locale === 'ar' ? 'ar-u-nu-latn' : locale === 'fa' ? 'fa-u-nu-arabext' : locale
}
