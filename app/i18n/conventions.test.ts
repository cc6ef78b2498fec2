import { describe, expect, it } from 'vitest'
import { dictionaries } from './i18n.server'

// The conventions docs/translations.md and ADR 127 record, checked where a slip is easy to make.
const es = dictionaries.es as Record<string, string>
const fa = dictionaries.fa as Record<string, string>

describe('the dictionaries’ conventions', () => {
  it('address the Spanish reader as tú throughout, never usted (ADR 050, 127)', () => {
    const formal = Object.entries(es).filter(([, v]) => /\busted\b|\b(?:Guárdelo|Guarde|Divídalo|Indíquela|Use|Vuelva|Escriba|Elija|Compruebe)\b/i.test(v))
    expect(formal.map(([k]) => k)).toEqual([])
  })

  it('write the Persian ezafe after a silent h as ه‌ی, as the rest of the file and the seed do (ADR 127)', () => {
    const hamza = Object.entries(fa).filter(([, v]) => v.includes('\u0647\u0654') || v.includes('\u06C0'))
    expect(hamza.map(([k]) => k)).toEqual([])
  })

  it.each(['fa', 'ar', 'fr', 'es'] as const)('call the public updates in %s by the word the news opt-out uses', (locale) => {
    const messages = dictionaries[locale] as Record<string, string>
    const word = messages['updates.title'].replace(/^ال/, '').toLowerCase()
    expect(messages['unsubscribe.body'].toLowerCase()).toContain(word)
  })
})
