import { describe, expect, it } from 'vitest'
import { checkPaperRows, firstInvalidUtf8, neutraliseCell, parseDay, readPaperCsv, resolveCountry } from './paper-csv.server'
import { PAPER_MAX_BYTES, PAPER_MAX_ROWS } from './paper-limits'

const NOW = Date.UTC(2026, 11, 3, 9)
const csv = (text: string) => new TextEncoder().encode(text)
const read = (text: string, defaults = {}) => readPaperCsv(csv(text), defaults, NOW)
const codes = (check: { problems: { line: number; code: string }[] }) => check.problems.map((p) => `${p.line}:${p.code}`)

describe('reading a CSV of paper signatures', () => {
  it('reads names, countries (codes and names in the app’s languages), places and dates, with a BOM and CRLF', () => {
    const check = read('\uFEFFname,country,place,date\r\nMaryam Example,IR,London vigil,2026-09-01\r\nعلی نمونه,ایران,,2026-09-02\r\nClaire Example,France,Paris,2026-09-03\r\nJuan Example,esp,,2026-09-03\r\n')
    expect(check.problems).toEqual([])
    expect(check.rows.map((r) => [r.line, r.name, r.country, r.place])).toEqual([
      [2, 'Maryam Example', 'IR', 'London vigil'],
      [3, 'علی نمونه', 'IR', null],
      [4, 'Claire Example', 'FR', 'Paris'],
      [5, 'Juan Example', 'ES', null],
    ])
    expect(check.rows[0].collectedAt).toBe(Date.UTC(2026, 8, 1))
  })

  it('reads LF files, columns in any order, and takes the batch’s place and date for rows without them', () => {
    const check = read('country,name\nIR,Maryam Example\nDE,Hans Example\n', { place: 'Berlin', date: '2026-10-10' })
    expect(check.problems).toEqual([])
    expect(check.rows.map((r) => [r.country, r.place, r.collectedAt])).toEqual([
      ['IR', 'Berlin', Date.UTC(2026, 9, 10)],
      ['DE', 'Berlin', Date.UTC(2026, 9, 10)],
    ])
  })

  it('keeps formula-like cells as text, and the export neutralises them (the import takes the apostrophe off again)', () => {
    const check = read('name,country,date\n"=HYPERLINK(""http://evil.example"",""x"")",IR,2026-09-01\n+Plus,IR,2026-09-01\n-Minus,IR,2026-09-01\n@At,IR,2026-09-01\n\'=Already,IR,2026-09-01\n')
    expect(check.problems).toEqual([])
    expect(check.rows.map((r) => r.name)).toEqual(['=HYPERLINK("http://evil.example","x")', '+Plus', '-Minus', '@At', '=Already'])
    expect(check.rows.map((r) => neutraliseCell(r.name))).toEqual(['\'=HYPERLINK("http://evil.example","x")', "'+Plus", "'-Minus", "'@At", "'=Already"])
    expect(neutraliseCell('\tTab')).toBe("'\tTab")
    // Fullwidth signs and leading spaces, as every other export catches them.
    expect(neutraliseCell('＝1+1')).toBe("'＝1+1")
    expect(neutraliseCell('  =1+1')).toBe("'  =1+1")
    expect(neutraliseCell('\rCR')).toBe("'\rCR")
  })

  it('keeps HTML in a name as text (escaped where it is shown)', () => {
    const check = read('name,country,date\n<script>alert(1)</script>,IR,2026-09-01\n')
    expect(check.rows[0].name).toBe('<script>alert(1)</script>')
  })

  it('gives the line of a quoted newline inside a name, and counts lines after it from the file', () => {
    const check = read('name,country,date\n"Two\nlines",IR,2026-09-01\n,IR,2026-09-01\n')
    expect(codes(check)).toEqual(['2:control', '4:nameEmpty'])
    expect(check.rows).toEqual([])
  })

  it('refuses a file with another delimiter, saying which', () => {
    const check = read('name;country\nMaryam;IR\n')
    expect(check.problems).toEqual([{ line: 1, code: 'delimiter', params: { found: ';' } }])
    expect(read('name\tcountry\nMaryam\tIR\n').problems[0].params).toEqual({ found: 'tab' })
  })

  it('refuses a row with too many cells, on its line', () => {
    expect(codes(read('name,country,date\nA,IR,2026-09-01\nB,IR,2026-09-01,extra\n'))).toEqual(['3:columnCount'])
  })

  it('refuses a file over 2 MB or over 10,000 rows, as a whole', () => {
    expect(codes(readPaperCsv(new Uint8Array(PAPER_MAX_BYTES + 1).fill(0x41), {}, NOW))).toEqual(['0:tooLarge'])
    const many = 'name,country,date\n' + 'A,IR,2026-09-01\n'.repeat(PAPER_MAX_ROWS + 1)
    expect(codes(read(many))).toEqual(['0:tooManyRows'])
    expect(read('name,country,date\n' + 'A,IR,2026-09-01\n'.repeat(PAPER_MAX_ROWS)).problems.filter((p) => p.code !== 'duplicate')).toEqual([])
  })

  it('refuses invalid UTF-8 on the line where it is', () => {
    const bytes = new Uint8Array([...csv('name,country\nA,IR\n'), 0x42, 0xff, 0x43, ...csv(',IR\n')])
    expect(codes(readPaperCsv(bytes, {}, NOW))).toEqual(['3:notUtf8'])
    expect(firstInvalidUtf8(csv('Maryam مریم 日本 😀'))).toBe(-1)
    expect(firstInvalidUtf8(new Uint8Array([0x41, 0xc0, 0x80]))).toBe(1)
    expect(firstInvalidUtf8(new Uint8Array([0xed, 0xa0, 0x80]))).toBe(0)
    expect(firstInvalidUtf8(new Uint8Array([0xe2, 0x82]))).toBe(0)
  })

  it('refuses unknown and empty countries, empty and over-long names, bidi controls, bad dates', () => {
    const long = 'x'.repeat(201)
    const check = read(
      [
        'name,country,date',
        'A,XX,2026-09-01',
        'B,,2026-09-01',
        `${long},IR,2026-09-01`,
        'Evil\u202Egnp.exe,IR,2026-09-01',
        'Isolate\u2067x,IR,2026-09-01',
        'C,IR,2026-02-30',
        'D,IR,01/09/2026',
        'E,IR,2027-01-01',
        'F,IR,',
        'مریم\u200cنمونه\u200f,IR,2026-09-01',
      ].join('\n'),
    )
    expect(codes(check)).toEqual(['2:countryUnknown', '3:countryMissing', '4:nameTooLong', '5:bidi', '6:bidi', '7:dateInvalid', '8:dateInvalid', '9:dateInvalid', '10:dateMissing'])
    // ZWNJ and RLM are ordinary Persian typing: kept.
    expect(check.rows.map((r) => r.line)).toEqual([11])
    expect(check.problems[0].params).toEqual({ value: 'XX' })
    expect(read('name,country,date\nA,X\u202EY\u202EZ\u2066,2026-09-01\n').problems[0].params).toEqual({ value: 'X?Y?Z?' })
  })

  it('refuses a missing or unknown header column, and reads past an email column without keeping it', () => {
    expect(codes(read('name,date\nA,2026-09-01\n'))).toEqual(['1:missingColumns'])
    expect(codes(read('name,country,surname\nA,IR,B\n'))).toEqual(['1:unknownColumns'])
    const withEmail = read('name,country,email,date\nA,IR,a@example.org,2026-09-01\n')
    expect(withEmail.problems).toEqual([])
    expect(withEmail.ignored).toEqual(['email'])
    expect(JSON.stringify(withEmail.rows)).not.toContain('example.org')
  })

  it('refuses a broken quote and an empty file', () => {
    expect(codes(read('name,country\nA,"IR\nB,FR\n'))).toEqual(['3:notCsv'])
    expect(codes(read('name,country\n'))).toEqual(['0:empty'])
    expect(codes(read(''))).toEqual(['0:empty'])
  })

  it('flags a repeated name and country within the batch, naming the first line', () => {
    const check = read('name,country,date\nMaryam Example,IR,2026-09-01\nmaryam  example,Iran,2026-09-02\nMaryam Example,FR,2026-09-01\n')
    expect(check.problems).toEqual([])
    expect(check.duplicates).toEqual([{ line: 3, code: 'duplicate', params: { first: 2 } }])
    expect(check.rows).toHaveLength(3)
  })
})

describe('the parts', () => {
  it('resolves ISO codes, alpha-3, names in five languages and aliases; nothing else', () => {
    expect(['ir', 'IRN', 'Iran', 'ایران', 'إيران', 'Irán', 'royaume-uni', 'UK', 'Allemagne'].map(resolveCountry)).toEqual(['IR', 'IR', 'IR', 'IR', 'IR', 'IR', 'GB', 'GB', 'DE'])
    expect(['XX', 'Atlantis', '', 'I R'].map(resolveCountry)).toEqual([null, null, null, null])
  })

  it('reads only real days in YYYY-MM-DD, from 2000 to tomorrow', () => {
    expect(parseDay('2026-12-04', NOW)).toBe(Date.UTC(2026, 11, 4))
    expect(parseDay('2026-12-05', NOW)).toBeNull()
    expect(parseDay('1999-12-31', NOW)).toBeNull()
    expect(parseDay('2026-13-01', NOW)).toBeNull()
  })

  it('checks a typed sheet the same way, with the sheet’s date', () => {
    const check = checkPaperRows(
      [
        { line: 1, name: 'Maryam Example', country: 'IR' },
        { line: 2, name: '', country: 'IR' },
      ],
      { date: '2026-09-01', place: 'Vigil, Trafalgar Square' },
      NOW,
    )
    expect(codes(check)).toEqual(['2:nameEmpty'])
    expect(check.rows).toEqual([{ line: 1, name: 'Maryam Example', country: 'IR', place: 'Vigil, Trafalgar Square', collectedAt: Date.UTC(2026, 8, 1) }])
  })
})
