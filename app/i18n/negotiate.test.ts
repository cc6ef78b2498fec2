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
  it('uses the singular where the language counts one: 1 in English and Spanish, 0 and 1 in French', () => {
    const en = translator('en')
    expect(en('campaign.verified', { count: 1 })).toBe('1 verified signature')
    expect(en('campaign.verified', { count: 0 })).toBe('0 verified signatures')
    expect(en('confirm.thanksBody', { count: 1 })).toBe('Your signature is confirmed. 1 person has now signed.')
    expect(en('confirm.thanksBody', { count: 2 })).toBe('Your signature is confirmed. 2 people have now signed.')
    expect(translator('fr')('campaign.verified', { count: 0 })).toBe('0 signature vérifiée')
    expect(translator('fr')('campaign.verified', { count: 2 })).toBe('2 signatures vérifiées')
    expect(translator('es')('campaign.verified', { count: 1 })).toBe('1 firma verificada')
    expect(translator('es')('campaign.verified', { count: 5 })).toBe('5 firmas verificadas')
    // A count given as text is not a number to choose a form by.
    expect(en('campaign.verified', { count: '1' })).toBe('1 verified signatures')
  })
})
