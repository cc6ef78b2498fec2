import { FORMULA_START } from '~/models/counts-export.server'
import { parse } from 'csv-parse/sync'
import { UN_STATES } from '~/data/un-states'
import { COUNTRY_ALIASES } from '~/data/country-aliases'
import { countryName, isCountryCode, UI_LOCALES } from '~/utils/countries'
import { normalize } from '~/utils/country-search'
import { PAPER_FIELD_MAX, PAPER_MAX_BYTES, PAPER_MAX_ROWS, SHEET_ROWS } from '~/utils/paper-limits'

/**
 * Paper signatures as organisers type them in or upload them (ADR 134): read, checked line by line,
 * and either every row is good or nothing is kept. Pure: no database, so a preview stores nothing.
 */
export { PAPER_FIELD_MAX, PAPER_MAX_BYTES, PAPER_MAX_ROWS, SHEET_ROWS }

export type PaperProblemCode =
  | 'tooLarge'
  | 'notUtf8'
  | 'notCsv'
  | 'empty'
  | 'tooManyRows'
  | 'delimiter'
  | 'missingColumns'
  | 'unknownColumns'
  | 'columnCount'
  | 'nameEmpty'
  | 'nameTooLong'
  | 'control'
  | 'bidi'
  | 'countryMissing'
  | 'countryUnknown'
  | 'placeTooLong'
  | 'dateMissing'
  | 'dateInvalid'
  | 'duplicate'

/** Line 0 is the file as a whole. Params fill the translated message (paper.problem.<code>). */
export interface PaperProblem {
  line: number
  code: PaperProblemCode
  params?: Record<string, string | number>
}

export interface PaperRow {
  line: number
  name: string
  country: string
  place: string | null
  /** UTC midnight, epoch ms */
  collectedAt: number
}

export interface PaperCheck {
  rows: PaperRow[]
  problems: PaperProblem[]
  /** Repeated name and country within the batch: flagged, kept only when the organiser says so. */
  duplicates: PaperProblem[]
  /** Columns read but not kept (an email column: ADR 134). */
  ignored: string[]
}

export interface RawPaperRow {
  line: number
  name: string
  country: string
  place?: string
  date?: string
}

const COLUMN_ALIASES: Record<string, 'name' | 'country' | 'place' | 'date' | 'email'> = {
  name: 'name',
  'full name': 'name',
  country: 'country',
  'country code': 'country',
  country_code: 'country',
  place: 'place',
  city: 'place',
  event: 'place',
  date: 'date',
  collected: 'date',
  collected_on: 'date',
  'collected on': 'date',
  email: 'email',
  'e-mail': 'email',
}

// eslint-disable-next-line no-control-regex -- control characters are what this refuses
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/
/** Embeddings, overrides and isolates reorder what is shown ("Trojan Source"); marks (LRM, RLM) and ZWNJ are ordinary Persian typing. */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/

/** Our export writes a leading apostrophe before = + - @ (ADR 134, as the missions export): taken off again on the way back. */
function restoreCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value
}

/** A spreadsheet runs a cell starting with = + - @ tab or CR as a formula: exported with a leading apostrophe. */
export function neutraliseCell(value: string): string {
  // The same test as every other export (fullwidth signs and leading spaces included).
  return FORMULA_START.test(value) ? `'${value}` : value
}

let countryIndex: Map<string, string> | null = null
/** Every name the app knows a state by, folded: the five interface languages' names, the aliases, alpha-3 codes. */
function countryByName(): Map<string, string> {
  if (countryIndex) return countryIndex
  const index = new Map<string, string>()
  for (const state of UN_STATES) {
    const names = [...UI_LOCALES.map((l) => countryName(state.code, l)), ...(COUNTRY_ALIASES[state.code] ?? []), state.alpha3, state.unName.short.en]
    for (const n of names) {
      const key = normalize(n)
      if (key && !index.has(key)) index.set(key, state.code)
    }
  }
  countryIndex = index
  return index
}

/** An ISO 3166 alpha-2 or alpha-3 code, or a name of the state in any of the app's languages; null when unknown. */
export function resolveCountry(input: string): string | null {
  const value = input.trim()
  if (/^[a-z]{2}$/i.test(value) && isCountryCode(value.toUpperCase())) return value.toUpperCase()
  return countryByName().get(normalize(value)) ?? null
}

/** YYYY-MM-DD, a real day, not after tomorrow (time zones), not before 2000. */
export function parseDay(input: string, now: number): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.trim())
  if (!m) return null
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  if (new Date(ms).toISOString().slice(0, 10) !== input.trim()) return null
  if (ms < Date.UTC(2000, 0, 1) || ms > now + 24 * 60 * 60_000) return null
  return ms
}

/** A cell quoted back in a message: short, and with nothing that could break or reorder the line. */
const shown = (value: string) => [...value].slice(0, 40).join('').replace(new RegExp(`${CONTROL.source}|${BIDI_CONTROL.source}`, 'g'), '?')

function cleanText(raw: string): string {
  return restoreCell(raw).normalize('NFC').trim().replace(/ {2,}/g, ' ')
}

/** The first problem with a line of text, if any. */
function textProblem(value: string, tooLong: PaperProblemCode): PaperProblemCode | null {
  if (CONTROL.test(value)) return 'control'
  if (BIDI_CONTROL.test(value)) return 'bidi'
  if ([...value].length > PAPER_FIELD_MAX) return tooLong
  return null
}

/**
 * Checks rows however they came (a sheet's form or a file): every problem of every line, the good
 * rows, and repeated name-and-country pairs. `defaults` fill a row without its own place or date.
 */
export function checkPaperRows(raw: RawPaperRow[], defaults: { place?: string; date?: string }, now = Date.now()): PaperCheck {
  const rows: PaperRow[] = []
  const problems: PaperProblem[] = []
  const duplicates: PaperProblem[] = []
  const seen = new Map<string, number>()
  const defaultPlace = cleanText(defaults.place ?? '')
  const defaultDate = (defaults.date ?? '').trim()
  if (defaultPlace) {
    const p = textProblem(defaultPlace, 'placeTooLong')
    if (p) problems.push({ line: 0, code: p, params: { field: 'place' } })
  }
  for (const r of raw) {
    const before = problems.length
    const name = cleanText(r.name)
    const place = cleanText(r.place ?? '') || defaultPlace
    const dateText = (r.date ?? '').trim() || defaultDate
    const countryText = cleanText(r.country)
    if (!name) problems.push({ line: r.line, code: 'nameEmpty' })
    else {
      const p = textProblem(name, 'nameTooLong')
      if (p) problems.push({ line: r.line, code: p, params: { field: 'name', max: PAPER_FIELD_MAX } })
    }
    const country = countryText ? resolveCountry(countryText) : null
    if (!countryText) problems.push({ line: r.line, code: 'countryMissing' })
    else if (!country) problems.push({ line: r.line, code: 'countryUnknown', params: { value: shown(countryText) } })
    if (place && place !== defaultPlace) {
      const p = textProblem(place, 'placeTooLong')
      if (p) problems.push({ line: r.line, code: p, params: { field: 'place', max: PAPER_FIELD_MAX } })
    }
    const collectedAt = dateText ? parseDay(dateText, now) : null
    if (!dateText) problems.push({ line: r.line, code: 'dateMissing' })
    else if (collectedAt === null) problems.push({ line: r.line, code: 'dateInvalid' })
    if (problems.length > before || !country || collectedAt === null) continue
    const key = `${normalize(name)}\u0000${country}`
    const first = seen.get(key)
    if (first !== undefined) duplicates.push({ line: r.line, code: 'duplicate', params: { first } })
    else seen.set(key, r.line)
    rows.push({ line: r.line, name, country, place: place || null, collectedAt })
  }
  return { rows, problems, duplicates, ignored: [] }
}

/** The offset of the first byte that is not well-formed UTF-8, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]
    if (b < 0x80) {
      i++
      continue
    }
    const [n, min, max] = b >= 0xc2 && b <= 0xdf ? [1, 0x80, 0xbf] : b === 0xe0 ? [2, 0xa0, 0xbf] : b === 0xed ? [2, 0x80, 0x9f] : b >= 0xe1 && b <= 0xef ? [2, 0x80, 0xbf] : b === 0xf0 ? [3, 0x90, 0xbf] : b === 0xf4 ? [3, 0x80, 0x8f] : b >= 0xf1 && b <= 0xf3 ? [3, 0x80, 0xbf] : [0, 0, 0]
    if (n === 0) return i
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k]
      if (c === undefined || c < (k === 1 ? min : 0x80) || c > (k === 1 ? max : 0xbf)) return i
    }
    i += n + 1
  }
  return -1
}

const lineAt = (bytes: Uint8Array, offset: number) => bytes.subarray(0, offset).reduce((n, b) => n + (b === 0x0a ? 1 : 0), 1)
const fail = (problems: PaperProblem[]): PaperCheck => ({ rows: [], problems, duplicates: [], ignored: [] })

/**
 * Reads a CSV of paper signatures: a header row naming the columns (name and country required;
 * place or city or event, date, in any order; an email column is read past and not kept), then one
 * row per signer. Lines are the file's own, counted from 1 at the header, a quoted newline included.
 */
export function readPaperCsv(bytes: Uint8Array, defaults: { place?: string; date?: string }, now = Date.now()): PaperCheck {
  if (bytes.length > PAPER_MAX_BYTES) return fail([{ line: 0, code: 'tooLarge', params: { max: '2 MB' } }])
  const bad = firstInvalidUtf8(bytes)
  if (bad >= 0) return fail([{ line: lineAt(bytes, bad), code: 'notUtf8' }])
  const text = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '')
  const headerLine = text.split(/\r?\n/, 1)[0] ?? ''
  if (!headerLine.includes(',')) {
    const other = [';', '\t', '|'].find((d) => headerLine.includes(d))
    if (other) return fail([{ line: 1, code: 'delimiter', params: { found: other === '\t' ? 'tab' : other } }])
  }
  let records: { record: string[]; info: { lines: number } }[]
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, info: true, max_record_size: 64 * 1024 }) as unknown as typeof records
  } catch (error) {
    const e = error as { lines?: number }
    return fail([{ line: typeof e.lines === 'number' ? e.lines : 0, code: 'notCsv' }])
  }
  if (records.length < 2) return fail([{ line: 0, code: 'empty' }])
  if (records.length - 1 > PAPER_MAX_ROWS) return fail([{ line: 0, code: 'tooManyRows', params: { max: PAPER_MAX_ROWS } }])
  const header = records[0].record.map((h) => h.trim().toLowerCase())
  const columns = header.map((h) => COLUMN_ALIASES[h] ?? null)
  const unknown = header.filter((h, i) => columns[i] === null && h !== '')
  if (unknown.length) return fail([{ line: 1, code: 'unknownColumns', params: { columns: unknown.slice(0, 5).map((c) => [...c].slice(0, 30).join('')).join(', ') } }])
  const missing = (['name', 'country'] as const).filter((c) => !columns.includes(c))
  if (missing.length) return fail([{ line: 1, code: 'missingColumns', params: { columns: missing.join(', ') } }])

  const problems: PaperProblem[] = []
  const raw: RawPaperRow[] = []
  for (const { record, info } of records.slice(1)) {
    // info.lines is where the record ends; a quoted newline moves its start up.
    const line = info.lines - record.reduce((n, f) => n + (f.match(/\n/g)?.length ?? 0), 0)
    if (record.length > header.length) {
      problems.push({ line, code: 'columnCount', params: { found: record.length, expected: header.length } })
      continue
    }
    const cell = (name: string) => {
      const i = columns.indexOf(name as never)
      return i >= 0 ? (record[i] ?? '') : ''
    }
    raw.push({ line, name: cell('name'), country: cell('country'), place: cell('place'), date: cell('date') })
  }
  const checked = checkPaperRows(raw, defaults, now)
  return { ...checked, problems: [...problems, ...checked.problems].sort((a, b) => a.line - b.line), ignored: columns.includes('email') ? ['email'] : [] }
}
