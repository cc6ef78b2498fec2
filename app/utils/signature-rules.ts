import { parse } from '@conform-to/react'
import type { MessageKey } from '~/i18n/types'

// zod's own email pattern (z.email(), which the server schema uses), written out so the browser
// bundle does not pull zod's core in through a shared chunk; signature-rules.test.ts holds them equal,
// source for source, so zod's `\-` stay as zod writes them.
// eslint-disable-next-line no-useless-escape -- zod's own spelling, compared by the test
export const EMAIL_PATTERN = /^(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$/

/**
 * The sign form's rules as plain functions, shared by the browser (inline errors) and the server's
 * zod schema (the real check, app/utils/signature-schema.ts). The browser bundle carries these few
 * lines instead of zod itself (docs/decisions/053-javascript-budget.md). Messages are i18n keys.
 */
export const NAME_MAX = 100

/** How long a confirmation link works: the token's lifetime and every message that names it ({days}). */
export const CONFIRM_LINK_DAYS = 7
export const EMAIL_MAX = 254

// C0/C1 controls, line and paragraph separators, BOM, and the bidi embeddings, overrides and isolates
// that can make a name display as something else. ZWNJ/ZWJ stay: Persian needs them.
const FORBIDDEN_IN_NAME = /[\p{Cc}\u2028\u2029\uFEFF\u202A-\u202E\u2066-\u2069]/u
const URL_LIKE =
  /(?:[a-z][a-z0-9+.-]*:\/\/|www\.|\b[\p{L}\p{N}-]+\.(?:com|net|org|info|io|ir|ru|xyz|top|link|me|co|uk|de|app|site|online|ly|gl|to|cc|biz|click)\b)/iu
const FORMULA_START = /^[=+\-@]/

/** The problem with a name (already trimmed), or null. */
export function nameProblem(value: string): MessageKey | null {
  const length = [...value].length
  if (length === 0) return 'error.name.required'
  if (length > NAME_MAX) return 'error.name.tooLong'
  if (FORBIDDEN_IN_NAME.test(value)) return 'error.name.invalid'
  if (FORMULA_START.test(value)) return 'error.name.formula'
  if (URL_LIKE.test(value)) return 'error.name.url'
  return null
}

/** The problem with an email address (already trimmed), or null. Same pattern as zod's z.email(). */
export function emailProblem(value: string): MessageKey | null {
  if (value.length === 0) return 'error.email.required'
  if (value.length > EMAIL_MAX) return 'error.email.tooLong'
  if (!EMAIL_PATTERN.test(value)) return 'error.email.invalid'
  return null
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '')

/** The browser's check of the sign form, for conform's onValidate. */
export function validateSignForm(formData: FormData, isCountry: (code: string) => boolean) {
  return parse(formData, {
    resolve(payload) {
      const error: Record<string, string[]> = {}
      const name = nameProblem(text(payload.name))
      const email = emailProblem(text(payload.email))
      const country = text(payload.country)
      if (name) error.name = [name]
      if (email) error.email = [email]
      if (!country) error.country = ['error.country.required']
      else if (!isCountry(country)) error.country = ['error.country.invalid']
      return Object.keys(error).length ? { error } : { value: payload }
    },
  })
}

export function validateResendForm(formData: FormData) {
  return parse(formData, {
    resolve(payload) {
      const email = emailProblem(text(payload.email))
      return email ? { error: { email: [email] } } : { value: payload }
    },
  })
}
