import { describe, expect, it } from 'vitest'
import { negotiate, resolveLocale, translator } from './i18n.server'

describe('choosing the reader’s language', () => {
  it('takes the URL first, then the cookie, then Accept-Language', () => {
    const url = (q = '') => new URL(`http://x/campaigns/a${q}`)
    expect(resolveLocale(url('?lang=fa'), 'lang=en', 'en')).toBe('fa')
    expect(resolveLocale(url(), 'other=1; lang=fa', 'en-GB')).toBe('fa')
    expect(resolveLocale(url(), null, 'de-DE,fa;q=0.8,en;q=0.5')).toBe('fa')
    expect(resolveLocale(url('?lang=xx'), 'lang=yy', null)).toBe('en')
  })
  it('honours q-values and ignores q=0', () => {
    expect(negotiate('en;q=0.4, fa-IR;q=0.9')).toBe('fa')
    expect(negotiate('fa;q=0, en')).toBe('en')
    expect(negotiate('')).toBe('en')
  })
  it('writes numbers in Persian digits in Persian', () => {
    expect(translator('fa')('campaign.verified', { count: 1234 })).toContain('۱٬۲۳۴')
    expect(translator('en')('campaign.verified', { count: 1234 })).toBe('1,234 verified signatures')
  })
})
