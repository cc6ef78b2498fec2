import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { UN_LANGUAGES, type UnLang } from '~/data/un-states'
import { unState } from '~/utils/countries'
import { FIRST_CAMPAIGN_LETTER_COPY } from './first-campaign-copy'
import { renderLetterPdf, splitCjk } from './pdf.server'
import { arLi, esOf, frOf, letterText, type LetterDocument, type LetterFacts } from './text'

const SENDER = { name: 'Justice Watch', address: ['12 Example Street', 'London N1 1AA'], email: 'letters@justice.example', signerName: 'Maryam Example', signerTitle: 'Director' }

const dir = mkdtempSync(path.join(tmpdir(), 'letters-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function facts(code: string, over: Partial<LetterFacts> = {}): LetterFacts {
  return {
    state: unState(code)!,
    headTitle: unState(code)!.status === 'observer' ? 'observer' : 'representative',
    city: 'new-york',
    countryCount: 1234,
    totalCount: 56789,
    countryTotal: 97,
    date: Date.UTC(2026, 2, 14),
    reference: `TEST/${unState(code)!.alpha3}/2026/1`,
    code: 'ABCD-EFGH-JKMN',
    verifyUrl: 'https://petition.example/verify/ABCD-EFGH-JKMN',
    names: ['Ada Example', 'Leyla Example'],
    sender: SENDER,
    ...over,
  }
}

const text = (lang: UnLang, code: string, over: Partial<LetterFacts> = {}) => letterText(lang, FIRST_CAMPAIGN_LETTER_COPY[lang], facts(code, over))

/** pdftotext (poppler) reads the PDF back as any reader would. */
function pdfToText(pdf: Buffer, name: string): string {
  const file = path.join(dir, `${name}.pdf`)
  writeFileSync(file, pdf)
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
}

describe('letter wording', () => {
  it('addresses each mission by its formal UN name with the conventional formulas, in all six languages', () => {
    const en = text('en', 'SE')
    expect(en.address[0]).toBe('The Permanent Representative of the Kingdom of Sweden to the United Nations')
    expect(en.salutation).toBe('Excellency,')
    expect(en.paragraphs[0]).toMatch(/^We have the honour to /)
    expect(en.paragraphs[1]).toContain('56,789 people')
    expect(en.paragraphs[1]).toContain('1,234 of them live in your country')
    expect(en.closing).toBe('Please accept, Excellency, the assurances of our highest consideration.')

    const fr = text('fr', 'SN')
    expect(fr.address[0]).toBe('Le Représentant permanent de la République du Sénégal auprès de l’Organisation des Nations Unies')
    expect(fr.salutation).toBe('Excellence,')
    expect(fr.paragraphs[0]).toMatch(/^Nous avons l’honneur de /)
    expect(fr.closing).toBe('Veuillez agréer, Excellence, les assurances de notre très haute considération.')

    const es = text('es', 'MX')
    expect(es.address[0]).toBe('Representante Permanente de los Estados Unidos Mexicanos ante las Naciones Unidas')
    expect(es.salutation).toBe('Excelencia:')
    expect(es.paragraphs[0]).toMatch(/^Tenemos el honor de /)
    expect(es.closing).toContain('las seguridades de nuestra más alta consideración')

    const ar = text('ar', 'EG')
    expect(ar.dir).toBe('rtl')
    expect(ar.address[0]).toBe('سعادة الممثل الدائم لجمهورية مصر العربية لدى الأمم المتحدة')
    expect(ar.salutation).toBe('صاحب السعادة،')
    expect(ar.paragraphs[0]).toMatch(/^يشرفنا أن /)
    expect(ar.closing).toBe('وتفضلوا، صاحب السعادة، بقبول أسمى آيات التقدير والاحترام.')

    const ru = text('ru', 'RU')
    expect(ru.address).toEqual(['Постоянному представителю Российской Федерации при Организации Объединенных Наций', 'Нью-Йорк'])
    expect(ru.salutation).toBe('Ваше Превосходительство!')
    expect(ru.paragraphs[0]).toMatch(/^Имеем честь /)
    expect(ru.closing).toBe('Примите, Ваше Превосходительство, уверения в нашем самом высоком уважении.')

    const zh = text('zh', 'CN')
    expect(zh.address[0]).toBe('中华人民共和国常驻联合国代表阁下')
    expect(zh.salutation).toBe('阁下：')
    expect(zh.paragraphs[0]).toMatch(/^我们谨代表/)
    expect(zh.closing).toBe('顺致最崇高的敬意。')
  })

  it('calls the heads of the observer missions Permanent Observers, and follows an organiser’s choice of Geneva', () => {
    expect(text('en', 'VA').address[0]).toBe('The Permanent Observer of the Holy See to the United Nations')
    expect(text('fr', 'VA').address[0]).toBe('L’Observateur permanent du Saint-Siège auprès de l’Organisation des Nations Unies')
    expect(text('ar', 'PS').address[0]).toBe('سعادة المراقب الدائم لدولة فلسطين لدى الأمم المتحدة')
    expect(text('zh', 'PS').address[0]).toBe('巴勒斯坦国常驻联合国观察员阁下')
    const geneva = text('en', 'CH', { city: 'geneva' })
    expect(geneva.address).toEqual(['The Permanent Representative of the Swiss Confederation to the United Nations Office at Geneva', 'Geneva'])
    expect(text('es', 'CH', { city: 'geneva' }).address[1]).toBe('Ginebra')
  })

  it('joins names to prepositions as each language requires', () => {
    expect(frOf('le Saint-Siège')).toBe('du Saint-Siège')
    expect(frOf('les Émirats arabes unis')).toBe('des Émirats arabes unis')
    expect(frOf("l'État de Palestine")).toBe("de l'État de Palestine")
    expect(esOf('el Estado de Palestina')).toBe('del Estado de Palestina')
    expect(esOf('la Santa Sede')).toBe('de la Santa Sede')
    expect(arLi('المملكة المتحدة')).toBe('للمملكة المتحدة')
    expect(arLi('دولة فلسطين')).toBe('لدولة فلسطين')
  })

  it('carries the count, the ask, the annex of names and how many others signed', () => {
    for (const lang of UN_LANGUAGES) {
      const t = text(lang, 'FR')
      expect(t.askItems).toHaveLength(3)
      expect(t.names).toEqual(['Ada Example', 'Leyla Example'])
      expect(t.othersLine).toMatch(/1[ ,.\u202f\u00a0]?232/)
      expect([...t.paragraphs, ...t.afterAsk].join(' ')).toContain('ABCD-EFGH-JKMN')
      expect(t.sender).toEqual(['Justice Watch', '12 Example Street', 'London N1 1AA', 'letters@justice.example'])
      expect(t.signatory).toEqual(['Maryam Example', 'Director', 'Justice Watch'])
    }
    const none = text('en', 'FR', { countryCount: 0, names: [] })
    expect(none.paragraphs[1]).toContain('None of them has yet given your country')
    expect(none.othersLine).toBeNull()
    expect(none.annexTitle).toBeNull()
    expect(text('ru', 'FR', { countryCount: 3 }).paragraphs[1]).toContain('Из них 3 человека проживают')
    expect(text('ru', 'FR', { countryCount: 5 }).paragraphs[1]).toContain('Из них 5 человек проживают')
  })
})

describe('letter PDF', () => {
  const render = (doc: LetterDocument) =>
    renderLetterPdf({ doc, code: 'ABCD-EFGH-JKMN', verifyUrl: 'https://petition.example/verify/ABCD-EFGH-JKMN', qrPng: QR, author: 'The organisers', createdAt: new Date(Date.UTC(2026, 2, 14)) })

  it('sets Arabic right to left with its letters in reading order, with an English copy and metadata', async () => {
    const ar = text('ar', 'EG')
    const pdf = await render({ title: 't', letters: [ar, text('en', 'EG')] })
    const out = pdfToText(pdf, 'eg')
    // Words poppler must read back in logical order: reversed or unshaped text would not match.
    expect(out).toContain('جمهورية مصر العربية')
    expect(out).toContain('صاحب السعادة')
    expect(out).toContain('يشرفنا أن نكتب إليكم')
    expect(out).toContain('1,234')
    expect(out).toContain('English copy')
    expect(out).toContain('the Arab Republic of Egypt')
    const info = execFileSync('pdfinfo', [path.join(dir, 'eg.pdf')], { encoding: 'utf8' })
    expect(info).toMatch(/Title:\s+الموضوع/)
    expect(info).toMatch(/Author:\s+The organisers/)
    expect(pdf.toString('latin1')).toContain('/Lang (ar)')
    const fonts = execFileSync('pdffonts', [path.join(dir, 'eg.pdf')], { encoding: 'utf8' })
    expect(fonts).toContain('NotoNaskhArabic')
  })

  it('wraps Chinese inside the page and keeps every character', async () => {
    const zh = text('zh', 'CN')
    const pdf = await render({ title: 't', letters: [zh] })
    const out = pdfToText(pdf, 'cn')
    expect(out).toContain('中华人民共和国常驻联合国代表阁下')
    const lines = out.split('\n').filter((l) => /[\u4e00-\u9fff]/.test(l) && !/[A-Za-z]/.test(l))
    // A paragraph laid out on one line would run off the page: wrapped lines stay short...
    // (digits and Latin letters are narrower than ideographs, so a line holding some runs a little longer)
    expect(Math.max(...lines.map((l) => Array.from(l).length))).toBeLessThanOrEqual(56)
    expect(lines.filter((l) => l.length > 40).length).toBeGreaterThan(3)
    // ...and no line starts with closing punctuation.
    expect(lines.filter((l) => /^[，。、；：）”]/.test(l))).toEqual([])
    const flat = out.replace(/\s+/g, '')
    expect(flat).toContain(zh.paragraphs[2].replace(/\s+/g, ''))
    expect(pdf.toString('latin1')).toContain('/Lang (zh)')
  })

  it('names the state and the count in each language', async () => {
    for (const [lang, code, name] of [
      ['fr', 'SN', 'République du Sénégal'],
      ['es', 'MX', 'Estados Unidos Mexicanos'],
      ['ru', 'RU', 'Российской Федерации'],
    ] as const) {
      const out = pdfToText(await render({ title: 't', letters: [text(lang, code)] }), code)
      expect(out).toContain(name)
      expect(out.replace(/[\u202f\u00a0 ]/g, '')).toContain('1234')
    }
  })

  it('offers a line break between CJK characters and nowhere else', () => {
    expect(splitCjk('阁下')).toEqual(['阁', '', '下', ''])
    expect(splitCjk('2018年')).toEqual(['2018', '', '年', ''])
    expect(splitCjk('政府，指出“可能')).toEqual(['政', '', '府，', '', '指', '', '出', '', '“可', '', '能', ''])
  })
})

// A 1x1 white PNG: the QR code itself is tested where letters are generated.
const QR = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=='
