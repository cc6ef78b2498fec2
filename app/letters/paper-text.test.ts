import { describe, expect, it } from 'vitest'
import { UN_LANGUAGES } from '~/data/un-states'
import { paperSentence, withPaperFigure } from './paper-text'
import type { LetterText } from './text'

const letter = (lang: LetterText['lang']): LetterText => ({
  lang,
  dir: 'ltr',
  address: [],
  dateLine: '',
  referenceLine: '',
  subject: '',
  salutation: '',
  paragraphs: ['opening', 'counts', 'context'],
  askIntro: '',
  askItems: [],
  afterAsk: ['explain', 'verify', 'attention'],
  closing: '',
  signatory: [],
  annexTitle: null,
  annexIntro: '',
  names: [],
  othersLine: null,
})

describe('the paper sentence of a letter', () => {
  it.each(UN_LANGUAGES)('in %s: states the number, apart, right after what the certified figures count', (lang) => {
    const out = withPaperFigure(letter(lang), 37)
    expect(out.afterAsk).toHaveLength(4)
    expect(out.afterAsk[0]).toBe('explain')
    expect(out.afterAsk[2]).toBe('verify')
    expect(out.afterAsk[1]).toBe(paperSentence(lang, 37))
    expect(out.paragraphs).toEqual(['opening', 'counts', 'context'])
  })

  it('says paper and not confirmed by email, in the plural form of the number', () => {
    expect(paperSentence('en', 1)).toMatch(/^In addition, 1 person who gave your country .* on paper .*not been confirmed by email/)
    expect(paperSentence('en', 12)).toMatch(/^In addition, 12 people /)
    expect(paperSentence('fr', 2)).toMatch(/^En outre, 2 personnes .* organisateurs\u202f;/)
    expect(paperSentence('ar', 2)).toContain('شخصان')
    expect(paperSentence('ar', 5)).toContain('5 أشخاص')
    expect(paperSentence('ru', 3)).toContain('3 человека, указавшие')
    expect(paperSentence('zh', 8)).toContain('8名')
  })

  it('leaves a letter without paper exactly as it was', () => {
    const l = letter('en')
    expect(withPaperFigure(l, null)).toBe(l)
    expect(withPaperFigure(l, 0)).toBe(l)
  })
})
