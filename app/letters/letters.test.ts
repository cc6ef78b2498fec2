import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { UN_LANGUAGES, type UnLang } from '~/data/un-states'
import { unState } from '~/utils/countries'
import { FIRST_CAMPAIGN_LETTER_COPY } from './first-campaign-copy'
import { directionOf, fontStackFor } from './pdf-fonts.server'
import { ANNEX_NAMES_PER_PART, annexParts, FSI, nameSpans, PDI, renderLetterPdf, splitCjk } from './pdf.server'
import { arLi, esOf, frOf, letterText, type LetterCopy, type LetterDocument, type LetterFacts } from './text'

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
function pdfToText(pdf: Buffer, name: string, pages?: { first: number; last: number }): string {
  const file = path.join(dir, `${name}.pdf`)
  writeFileSync(file, pdf)
  const range = pages ? ['-f', String(pages.first), '-l', String(pages.last)] : []
  return execFileSync('pdftotext', ['-enc', 'UTF-8', ...range, file, '-'], { encoding: 'utf8' })
}

function pageCount(pdf: Buffer, name: string): number {
  const file = path.join(dir, `${name}.pdf`)
  writeFileSync(file, pdf)
  return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1])
}

/** pdffonts' rows: name, whether embedded, whether it has a ToUnicode map (text extraction). */
function fontsOf(pdf: Buffer, name: string): { name: string; type: string; emb: string; uni: string }[] {
  const file = path.join(dir, `${name}.pdf`)
  writeFileSync(file, pdf)
  const lines = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2)
  return lines.map((l) => {
    const cols = l.trim().split(/\s+/)
    // name type... encoding emb sub uni object ID
    return { name: cols[0], type: cols.slice(1, -6).join(' '), emb: cols.at(-5)!, uni: cols.at(-3)! }
  })
}

/** Extracted text without the invisible marks of direction (isolates from the PDF, embeddings from poppler). */
const plain = (s: string) => s.replace(/[\u2066-\u2069\u202a-\u202e\u200e\u200f]/g, '').replace(/\s+/g, ' ')

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

  it('names the UN office at Vienna and Nairobi in the six languages (ADR 091)', () => {
    expect(text('en', 'AT', { city: 'vienna' }).address).toEqual(['The Permanent Representative of the Republic of Austria to the United Nations Office at Vienna', 'Vienna'])
    expect(text('fr', 'AT', { city: 'vienna' }).address[0]).toMatch(/ auprès de l’Office des Nations Unies à Vienne$/)
    expect(text('es', 'KE', { city: 'nairobi' }).address).toEqual([expect.stringMatching(/ ante la Oficina de las Naciones Unidas en Nairobi$/), 'Nairobi'])
    expect(text('ar', 'KE', { city: 'nairobi' }).address).toEqual([expect.stringMatching(/ لدى مكتب الأمم المتحدة في نيروبي$/), 'نيروبي'])
    expect(text('ru', 'KZ', { city: 'vienna' }).address).toEqual(['Постоянному представителю Республики Казахстан при Отделении Организации Объединенных Наций в Вене', 'Вена'])
    expect(text('zh', 'CN', { city: 'nairobi' }).address).toEqual(['中华人民共和国常驻联合国内罗毕办事处代表阁下', '内罗毕'])
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


/** Named signers in the scripts the campaign's signers write in, and a few more. */
const SIGNERS = {
  persian: 'مریم رضایی',
  persian2: 'پژمان کیانی',
  arabic: 'يوسف حسن',
  chineseSimplified: '张伟',
  chineseTraditional: '陳美齡',
  korean: '김민준',
  hebrew: 'דוד כהן',
  devanagari: 'अनिता शर्मा',
  latin: 'Ada Example',
  japanese: 'さくら 山田',
  thai: 'สมชาย ใจดี',
  armenian: 'Արամ Պետրոսյան',
  georgian: 'გიორგი ბერიძე',
  greek: 'Αλέξανδρος Παππάς',
  cyrillic: 'Жанна Иванова',
}
/** The face each script's name must be set in (pdffonts' base font names, after the subset tag). */
const FACES: Record<keyof typeof SIGNERS, string> = {
  persian: 'NotoNaskhArabic',
  persian2: 'NotoNaskhArabic',
  arabic: 'NotoNaskhArabic',
  chineseSimplified: 'NotoSansHans',
  chineseTraditional: 'NotoSansHans',
  korean: 'NotoSansKR',
  hebrew: 'NotoSansHebrew',
  devanagari: 'NotoSansDevanagari',
  latin: 'NotoSans-Regular',
  japanese: 'NotoSansJP',
  thai: 'NotoSansThai',
  armenian: 'NotoSansArmenian',
  georgian: 'NotoSansGeorgian',
  greek: 'NotoSans-Regular',
  cyrillic: 'NotoSans-Regular',
}
// Poppler gives back Devanagari in glyph order (the vowel sign ि before its consonant): the name is
// checked by its face and by its consonants, not as a string.
const READ_BACK_WHOLE = (Object.keys(SIGNERS) as (keyof typeof SIGNERS)[]).filter((k) => k !== 'devanagari')

const letterOf = (country: string, names: string[], over: Partial<LetterFacts> = {}): LetterDocument => {
  const lang = unState(country)!.correspondenceLanguage
  const f = facts(country, { names, countryCount: names.length + 3, ...over })
  const letters = [letterText(lang, FIRST_CAMPAIGN_LETTER_COPY[lang], f)]
  if (lang !== 'en') letters.push(letterText('en', FIRST_CAMPAIGN_LETTER_COPY.en, f))
  return { title: 't', letters }
}

/** Checks what every letter must hold on every page: the code and n/N, and more than the footer. */
function expectRunningFooter(pdf: Buffer, name: string, code = 'ABCD-EFGH-JKMN') {
  const pages = pageCount(pdf, name)
  for (let n = 1; n <= pages; n++) {
    const page = pdfToText(pdf, name, { first: n, last: n })
    expect(page, `page ${n} of ${name}`).toContain(`${code} · ${n}/${pages}`)
    const rest = page.replace(`${code} · ${n}/${pages}`, '').replace(/\s+/g, '')
    expect(rest.length, `page ${n} of ${name} holds more than its footer`).toBeGreaterThan(40)
  }
  return pages
}

describe('letter PDF in every script', () => {
  const render = (doc: LetterDocument) =>
    renderLetterPdf({ doc, code: 'ABCD-EFGH-JKMN', verifyUrl: 'https://petition.example/verify/ABCD-EFGH-JKMN', qrPng: QR, author: 'The organisers', createdAt: new Date(Date.UTC(2026, 2, 14)) })

  // Iran, the United Kingdom and the Holy See are written to in English; the others in their
  // mission's language with an English copy.
  for (const country of ['IR', 'GB', 'FR', 'RU', 'KZ', 'CN', 'SA', 'MX', 'VA']) {
    it(`sets every signer's name in ${country}'s letter in an embedded face that has it, readable back, with the code and n/N on every page`, async () => {
      const pdf = await render(letterOf(country, Object.values(SIGNERS)))
      const fonts = fontsOf(pdf, country)
      // No font drawn from the reader's system (Helvetica was the fallback that drew junk).
      expect(fonts.filter((f) => f.emb !== 'yes')).toEqual([])
      expect(fonts.filter((f) => f.uni !== 'yes')).toEqual([])
      expect(fonts.map((f) => f.name).filter((n) => /Helvetica|Times|Courier/i.test(n))).toEqual([])
      for (const face of new Set(Object.values(FACES))) expect(fonts.some((f) => f.name.includes(face)), `${face} in ${country}`).toBe(true)

      const out = plain(pdfToText(pdf, country))
      for (const key of READ_BACK_WHOLE) expect(out, `${key} name in ${country}`).toContain(SIGNERS[key])
      for (const consonants of ['न', 'त', 'श', 'म']) expect(out).toContain(consonants)
      // The letter itself reads back too: its address in its language, and the English letter or copy.
      const first = letterOf(country, []).letters[0]
      // (Arabic: the part of the line without lam-alef, which poppler reads back in visual order.)
      expect(out).toContain(first.lang === 'ar' ? 'سعادة الممثل الدائم' : plain(first.address[0]))
      expect(out).toContain('Excellency,')
      expectRunningFooter(pdf, country)
    })
  }

  it('isolates each name in its own direction: two Persian names between Latin ones keep their places', async () => {
    const pdf = await render(letterOf('GB', ['Ada Example', SIGNERS.persian, SIGNERS.persian2, 'Zoe Example']))
    const file = path.join(dir, 'bidi.pdf')
    writeFileSync(file, pdf)
    const html = execFileSync('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
    const x = (word: string) => Number(new RegExp(`xMin="([0-9.]+)"[^>]*>${word}<`).exec(html)?.[1])
    // The line runs left to right, names in the annex's order; each Persian name, on its own,
    // right to left: its first word is drawn to the right of its second.
    const [maryam, rezaei] = SIGNERS.persian.split(' ')
    const [pezhman, kiani] = SIGNERS.persian2.split(' ')
    // poppler reports Arabic-script words in the order of their glyphs, which is visual order.
    const glyphs = (w: string) => Array.from(w).reverse().join('')
    const xs = { ada: x('Ada'), maryam: x(glyphs(maryam)), rezaei: x(glyphs(rezaei)), pezhman: x(glyphs(pezhman)), kiani: x(glyphs(kiani)), zoe: x('Zoe') }
    for (const v of Object.values(xs)) expect(v).not.toBeNaN()
    expect(xs.ada).toBeLessThan(xs.rezaei)
    expect(xs.rezaei).toBeLessThan(xs.maryam)
    expect(xs.maryam).toBeLessThan(xs.kiani)
    expect(xs.kiani).toBeLessThan(xs.pezhman)
    expect(xs.pezhman).toBeLessThan(xs.zoe)
  })

  it('keeps the verification block with the closing and signature, however long the letter runs', async () => {
    const lang = 'en'
    const base = FIRST_CAMPAIGN_LETTER_COPY[lang]
    // Longer and longer context paragraphs move the end of the letter down the page and past it.
    for (let extra = 0; extra < 12; extra++) {
      const copy: LetterCopy = { ...base, context: `${base.context} ${'The families have asked for the truth for decades. '.repeat(extra * 3)}` }
      const doc = { title: 't', letters: [letterText(lang, copy, facts('GB'))] }
      const pdf = await render(doc)
      expectRunningFooter(pdf, `long-${extra}`)
      // The QR code is the block's one image: its page must be the page of the closing formula.
      const images = execFileSync('pdfimages', ['-list', path.join(dir, `long-${extra}.pdf`)], { encoding: 'utf8' }).trim().split('\n').slice(2)
      const qr = images.map((l) => l.trim().split(/\s+/)).filter((cols) => cols[2] === 'image')
      expect(qr).toHaveLength(1)
      const qrPage = Number(qr[0][0])
      const page = plain(pdfToText(pdf, `long-${extra}`, { first: qrPage, last: qrPage }))
      expect(page, `extra ${extra}`).toContain('Please accept, Excellency')
      expect(page).toContain(plain(doc.letters[0].signatory.at(-1)!))
    }
  }, 120_000)

  it(`draws an annex of ${(5_000).toLocaleString('en')} names in slices of ${ANNEX_NAMES_PER_PART}, every name in, every page numbered`, async () => {
    const names = Array.from({ length: 5_000 }, (_, i) => (i % 10 === 3 ? `${SIGNERS.persian} ${i}` : i % 10 === 7 ? `${SIGNERS.chineseSimplified}${i}` : `Signer ${i} Example`))
    const pdf = await render(letterOf('FR', names))
    // Without the footers, a name cut by a page break reads as one.
    const out = plain(pdfToText(pdf, 'annex').replace(/ABCD-EFGH-JKMN · \d+\/\d+/g, ''))
    for (const i of [0, 1, 2, 1999, 2000, 2001, 4998, 4999]) expect(out).toMatch(new RegExp(`Signer ${i} Example|${i}`))
    expect(out.match(/Signer \d+ Example/g)?.length).toBe(4_000)
    // A line may break between two Han characters, and before the digits.
    expect(out.match(/张 ?伟 ?\d+/g)?.length).toBe(500)
    const pages = expectRunningFooter(pdf, 'annex')
    expect(pages).toBeGreaterThan(15)
    expect(fontsOf(pdf, 'annex').filter((f) => f.emb !== 'yes')).toEqual([])
  }, 120_000)

  it('chooses faces per run of text and a direction per name', () => {
    expect(fontStackFor('Ada Example', ['Noto Sans'])).toEqual(['Noto Sans'])
    expect(fontStackFor(SIGNERS.persian, ['Noto Sans'])).toEqual(['Noto Naskh Arabic', 'Noto Sans'])
    expect(fontStackFor(SIGNERS.korean, ['Noto Naskh Arabic', 'Noto Sans'])).toEqual(['Noto Sans KR', 'Noto Naskh Arabic', 'Noto Sans'])
    // Kana make a name Japanese: the Japanese face sets its Han characters too.
    expect(fontStackFor(SIGNERS.japanese, ['Noto Sans'])).toEqual(['Noto Sans JP', 'Noto Sans'])
    expect(fontStackFor(SIGNERS.chineseTraditional, ['Noto Sans'])).toEqual(['Noto Sans SC', 'Noto Sans'])
    expect(fontStackFor('Ada 김 דוד', ['Noto Sans'])).toEqual(['Noto Sans KR', 'Noto Sans Hebrew', 'Noto Sans'])
    expect(directionOf(SIGNERS.hebrew)).toBe('rtl')
    expect(directionOf(`1988 ${SIGNERS.persian}`)).toBe('rtl')
    expect(directionOf('Ada محمد')).toBe('ltr')
  })

  it('wraps each name in an isolate and merges neighbours of one script into one span', () => {
    const spans = nameSpans(['Ada', 'Bo', SIGNERS.persian, 'Cy'], ['Noto Sans'])
    expect(spans).toEqual([
      { text: `${FSI}Ada${PDI} · ${FSI}Bo${PDI}`, fontFamily: ['Noto Sans'] },
      { text: ` · ${FSI}${SIGNERS.persian}${PDI}`, fontFamily: ['Noto Naskh Arabic', 'Noto Sans'] },
      { text: ` · ${FSI}Cy${PDI}`, fontFamily: ['Noto Sans'] },
    ])
    // A stray override in a name cannot escape its isolate.
    expect(nameSpans(['Ada\u202e', '\u2069Bo'], ['Noto Sans'])).toEqual([{ text: `${FSI}Ada${PDI} · ${FSI}Bo${PDI}`, fontFamily: ['Noto Sans'] }])
    expect(annexParts([])).toEqual([[]])
    expect(annexParts(['a', 'b', 'c'], 2)).toEqual([['a', 'b'], ['c']])
  })
})

// A 1x1 white PNG: the QR code itself is tested where letters are generated.
const QR = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=='
