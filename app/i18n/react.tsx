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

export function useI18n(): RootI18n & { t: Translate; tx: TranslateNodes } {
  const root = useMatches().find((m) => m.id === 'root')?.data as RootI18n | undefined
  const i18n = root ?? NO_ROOT
  return useMemo(() => {
    const t = makeTranslator(i18n.locale, i18n.messages)
    const tx: TranslateNodes = (key, nodes) =>
      (i18n.messages[key] ?? key).split(/(\{\w+\})/).map((part, i) => {
        const name = /^\{(\w+)\}$/.exec(part)?.[1]
        return <Fragment key={i}>{name && name in nodes ? nodes[name] : part}</Fragment>
      })
    return { ...i18n, t, tx }
  }, [i18n])
}
