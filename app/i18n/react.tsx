import { useMatches } from '@remix-run/react'
import { Fragment, useMemo, type ReactNode } from 'react'
import { makeTranslator, type Translate } from './core'
import type { Locale } from './locales'
import type { MessageKey, Messages } from './types'

export interface RootI18n {
  locale: Locale
  dir: 'ltr' | 'rtl'
  messages: Messages
}

/** Like t(), but placeholders take elements, e.g. <bdi> around a name of the other direction. */
export type TranslateNodes = (key: MessageKey, nodes: Record<string, ReactNode>) => ReactNode

/** The reader's language, direction and translate functions, from the root loader. */
/** Before the root's data is there (an error page outside it): one object, so the memo below holds. */
const NO_ROOT: RootI18n = { locale: 'en' as Locale, dir: 'ltr', messages: {} as Messages }

// One merged dictionary per pair of the root's and a route's messages, so the memo below holds.
const merged = new WeakMap<object, WeakMap<object, Messages>>()
function merge(base: Messages, more: Partial<Messages>): Messages {
  let byMore = merged.get(base)
  if (!byMore) merged.set(base, (byMore = new WeakMap()))
  let out = byMore.get(more)
  if (!out) byMore.set(more, (out = { ...base, ...more }))
  return out
}

/**
 * The root's messages with those of each route on the page (a loader's `i18n`, from
 * `messagesFor`): a page is sent only the words it can show (ADR 139).
 */
export function useI18n(): RootI18n & { t: Translate; tx: TranslateNodes } {
  const matches = useMatches()
  const root = matches.find((m) => m.id === 'root')?.data as RootI18n | undefined
  let messages = (root ?? NO_ROOT).messages
  for (const m of matches) {
    const own = m.id === 'root' ? undefined : (m.data as { i18n?: Partial<Messages> } | undefined)?.i18n
    if (own && typeof own === 'object') messages = merge(messages, own)
  }
  const i18n = root ?? NO_ROOT
  return useMemo(() => {
    const t = makeTranslator(i18n.locale, messages)
    const tx: TranslateNodes = (key, nodes) =>
      (messages[key] ?? key).split(/(\{\w+\})/).map((part, i) => {
        const name = /^\{(\w+)\}$/.exec(part)?.[1]
        return <Fragment key={i}>{name && name in nodes ? nodes[name] : part}</Fragment>
      })
    return { ...i18n, messages, t, tx }
  }, [i18n, messages])
}
