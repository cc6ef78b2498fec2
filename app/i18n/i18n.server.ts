import en from './messages/en'
import fa from './messages/fa'
import fr from './messages/fr'
import es from './messages/es'
import ar from './messages/ar'
import { DEFAULT_LOCALE, isLocale, type Locale } from './locales'
import { makeTranslator, type Translate } from './core'
import type { Messages } from './types'

export { DEFAULT_LOCALE, LOCALE_NAMES, LOCALES, isLocale, localeDir, numberLocale, type Locale } from './locales'
export type { MessageKey, Messages } from './types'
export { formatNumber, interpolate, makeTranslator, type Params, type Translate } from './core'

export const dictionaries: Record<Locale, Messages> = { en, fa, fr, es, ar }

export function translator(locale: Locale): Translate {
  return makeTranslator(locale, dictionaries[locale] ?? dictionaries[DEFAULT_LOCALE], dictionaries[DEFAULT_LOCALE])
}

const picked = new Map<string, Partial<Messages>>()

/**
 * The messages under some namespaces ('campaign' takes every 'campaign.…' key; a whole key takes
 * that key), for a page's loader data: each page carries the words it can show, not the whole
 * dictionary, which was a third of the campaign page's data (ADR 139). The root sends what every
 * page and error page shows; each route adds its own as its data's `i18n` (`useI18n` merges them).
 */
export function messagesFor(locale: Locale, namespaces: readonly string[]): Partial<Messages> {
  const cacheKey = `${locale}:${namespaces.join(',')}`
  let out = picked.get(cacheKey)
  if (!out) {
    const all = dictionaries[locale] ?? dictionaries[DEFAULT_LOCALE]
    const wanted = (key: string) => namespaces.some((n) => key === n || key.startsWith(`${n}.`))
    out = Object.fromEntries(Object.entries(all).filter(([key]) => wanted(key))) as Partial<Messages>
    picked.set(cacheKey, out)
  }
  return out
}

/** What the root, every page's layout and error page, says. */
export const ROOT_MESSAGES = ['site', 'nav', 'footer', 'notFound', 'serverError', 'forbidden', 'sign.title'] as const

export const LOCALE_COOKIE = 'lang'

/**
 * The reader's language: the URL's ?lang= first, then the cookie the switcher sets, then the
 * browser's Accept-Language, then English.
 */
export function resolveLocale(url: URL, cookieHeader: string | null, acceptLanguage: string | null): Locale {
  const fromUrl = url.searchParams.get('lang')
  if (isLocale(fromUrl)) return fromUrl
  const fromCookie = readCookie(cookieHeader, LOCALE_COOKIE)
  if (isLocale(fromCookie)) return fromCookie
  return negotiate(acceptLanguage)
}

export function localeFromRequest(request: Request): Locale {
  return resolveLocale(new URL(request.url), request.headers.get('Cookie'), request.headers.get('Accept-Language'))
}

export function localeFromRequestParts(pathAndQuery: string, cookie: string | null, acceptLanguage: string | null): Locale {
  return resolveLocale(new URL(pathAndQuery, 'http://local'), cookie, acceptLanguage)
}

export function negotiate(acceptLanguage: string | null): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE
  const ranked = acceptLanguage
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag, ...rest] = part.trim().split(';')
      const q = rest.map((p) => p.trim()).find((p) => p.startsWith('q='))
      return { base: tag.toLowerCase().split('-')[0], q: q ? Number(q.slice(2)) || 0 : 1, index }
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
  return (ranked.find((r) => isLocale(r.base))?.base as Locale | undefined) ?? DEFAULT_LOCALE
}

function readCookie(header: string | null, name: string): string | null {
  if (!header) return null
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k !== name) continue
    try {
      return decodeURIComponent(v.join('='))
    } catch {
      // A cookie we did not write (broken percent-encoding): as if there were none.
      return null
    }
  }
  return null
}
