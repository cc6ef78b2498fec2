import { describe, expect, it } from 'vitest'
import { renderEmail } from '~/email-worker.server'
import { formatNumber } from '~/i18n/core'
import { dictionaries, translator } from '~/i18n/i18n.server'
import { LOCALES } from '~/i18n/locales'
import { CONFIRM_TOKEN_TTL } from '~/models/signature.server'
import { CONFIRM_LINK_DAYS } from '~/utils/signature-rules'
import ConfirmSignature from './ConfirmSignature'

// Issue 17: the link lasted 8 days while every message said 7. The lifetime and the copy now read one
// constant; these fail if either drifts from it, in any language.
const KEYS = ['check.body', 'link.expiredBody', 'email.confirm.expiry'] as const
const DAY = 24 * 60 * 60_000

describe('the confirmation link’s lifetime', () => {
  it('is the shared constant, in days', () => {
    expect(CONFIRM_TOKEN_TTL).toBe(CONFIRM_LINK_DAYS * DAY)
  })

  it.each(LOCALES)('is named in %s by a {days} placeholder, never a number written into the copy', (locale) => {
    const messages = dictionaries[locale] as Record<string, string>
    for (const key of KEYS) {
      expect(messages[key], key).toContain('{days}')
      expect(messages[key], key).not.toMatch(/[0-9\u06F0-\u06F9\u0660-\u0669]/)
      expect(translator(locale)(key, { days: CONFIRM_LINK_DAYS }), key).toContain(formatNumber(locale, CONFIRM_LINK_DAYS))
    }
  })

  it.each(LOCALES)('is what the %s confirmation email says', async (locale) => {
    const props = { ...ConfirmSignature.PreviewProps, locale }
    const { text } = await renderEmail('confirm-signature', { to: 's@example.org', props })
    expect(text).toContain(translator(locale)('email.confirm.expiry', { days: CONFIRM_LINK_DAYS }))
    expect(text).toContain(formatNumber(locale, CONFIRM_LINK_DAYS))
  })
})
