#!/usr/bin/env node
/**
 * One-off generator for app/data/un-states.ts, the project's own table of the 193 UN member states
 * and the 2 permanent observer states. The app never reads the reference files at run time: re-run
 * this by hand when the reference data changes and commit the regenerated file.
 *
 *   node scripts/generate-un-states.mjs [path/to/shared/data]
 *
 * Sources (default ../shared/data, next to the repository):
 *   country-codes.csv              datasets/country-codes (ODC PDDL): ISO codes, M49, UNTERM names
 *   un-correspondence-language.tsv proposed language for correspondence with each member's mission
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dataDir = resolve(process.argv[2] ?? resolve(root, '../shared/data'))
const outFile = resolve(root, 'app/data/un-states.ts')

const UN_LANGS = ['en', 'fr', 'es', 'ar', 'ru', 'zh']
const UNTERM_LANG = { en: 'English', fr: 'French', es: 'Spanish', ar: 'Arabic', ru: 'Russian', zh: 'Chinese' }
const CONFIDENCES = ['high', 'med', 'low']

/**
 * The CSV's UNTERM columns are empty for these two. Côte d'Ivoire is copied from an earlier UNTERM
 * export (datasets/country-codes data/unterm_names.csv, commit a09b84a), apostrophes as given there.
 * Türkiye: since 1 June 2022 the UN writes "Türkiye" in English, French and Spanish at the
 * government's request; the Arabic, Chinese and Russian names did not change, so those are the
 * earlier export's names for Turkey.
 */
const UNTERM_GAPS = {
  CIV: {
    short: { en: "Côte d'Ivoire", fr: "Côte d'Ivoire (la)", es: 'Côte d’Ivoire', ar: 'كوت ديفوار', ru: 'Кот-д’Ивуар', zh: '科特迪瓦' },
    formal: {
      en: "the Republic of Côte d'Ivoire",
      fr: "la République de Côte d'Ivoire",
      es: 'la República de Côte d’Ivoire',
      ar: 'جمهورية كوت ديفوار',
      ru: 'Республика Кот-д’Ивуар',
      zh: '科特迪瓦共和国',
    },
  },
  TUR: {
    short: { en: 'Türkiye', fr: 'Türkiye (la)', es: 'Türkiye', ar: 'تركيا', ru: 'Турция', zh: '土耳其' },
    formal: {
      en: 'the Republic of Türkiye',
      fr: 'la République de Türkiye',
      es: 'la República de Türkiye',
      ar: 'جمهورية تركيا',
      ru: 'Турецкая Республика',
      zh: '土耳其共和国',
    },
  },
}

/**
 * The TSV covers members only. The observers get the same rule the TSV applies to members.
 * Holy See: its official languages (Italian, Latin) include no UN language, so the English default;
 * its New York mission publishes in English, and French, the Holy See's traditional diplomatic
 * language, is the plausible alternative, hence low.
 * State of Palestine: Arabic is its only official language, which the TSV rates high for every
 * member in that position (all Arab League members are 'ar'). Its mission also works in English;
 * organisers can switch it.
 */
const OBSERVERS = {
  VAT: { language: 'en', confidence: 'low', note: 'Holy See: no UN language official; English default (French the alternative)' },
  PSE: { language: 'ar', confidence: 'high', note: 'State of Palestine: Arabic sole official language, as for Arab member states' },
}

function parseCsv(text) {
  const rows = []
  let row = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else if (c !== '\r') field += c
  }
  if (field !== '' || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  const [header, ...body] = rows
  return body.map((r) => {
    if (r.length !== header.length) throw new Error(`CSV row has ${r.length} fields, header ${header.length}: ${r.join(',')}`)
    return Object.fromEntries(header.map((name, i) => [name, r[i]]))
  })
}

function fail(message) {
  throw new Error(message)
}

// UNTERM marks observers with " *" (and non-member states with " **"); one Russian name has a double space.
const clean = (name) => name.replace(/\s*\*+\s*$/, '').replace(/\s+/g, ' ').trim()

const csv = parseCsv(readFileSync(resolve(dataDir, 'country-codes.csv'), 'utf8'))
const byAlpha3 = new Map(csv.map((row) => [row['ISO3166-1-Alpha-3'], row]))

const tsvLines = readFileSync(resolve(dataDir, 'un-correspondence-language.tsv'), 'utf8').trim().split('\n')
const tsvHeader = tsvLines[0].split('\t')
const members = tsvLines.slice(1).map((line) => {
  const cells = line.split('\t')
  return Object.fromEntries(tsvHeader.map((name, i) => [name, (cells[i] ?? '').trim()]))
})

const entries = [
  ...members.map((m) => ({ alpha3: m.iso3, status: 'member', language: m.proposed_un_language, confidence: m.confidence, note: '' })),
  ...Object.entries(OBSERVERS).map(([alpha3, o]) => ({ alpha3, status: 'observer', ...o })),
]

const states = entries.map(({ alpha3, status, language, confidence, note }) => {
  const row = byAlpha3.get(alpha3) ?? fail(`${alpha3} is not in country-codes.csv`)
  const code = row['ISO3166-1-Alpha-2']
  const m49 = row.M49.padStart(3, '0')
  if (!/^[A-Z]{2}$/.test(code)) fail(`${alpha3}: bad alpha-2 ${code}`)
  if (!/^\d{3}$/.test(m49)) fail(`${alpha3}: bad M49 ${row.M49}`)
  if (!UN_LANGS.includes(language)) fail(`${alpha3}: bad language ${language}`)
  if (!CONFIDENCES.includes(confidence)) fail(`${alpha3}: bad confidence ${confidence}`)

  const fromCsv = (form) =>
    Object.fromEntries(UN_LANGS.map((lang) => [lang, clean(row[`UNTERM ${UNTERM_LANG[lang]} ${form}`] ?? '')]))
  const gap = UNTERM_GAPS[alpha3]
  const unName = gap ?? { short: fromCsv('Short'), formal: fromCsv('Formal') }
  for (const form of ['short', 'formal']) {
    for (const lang of UN_LANGS) {
      const name = unName[form][lang]
      if (!name) fail(`${alpha3}: empty UNTERM ${form} name in ${lang}`)
      if (name.includes('*')) fail(`${alpha3}: "*" left in ${name}`)
    }
  }
  if (gap && row['UNTERM English Short']) fail(`${alpha3}: the CSV now has UNTERM names; drop its UNTERM_GAPS entry`)
  const notes = [note, gap ? 'UNTERM names filled in by hand (empty in country-codes.csv)' : ''].filter(Boolean)
  return { code, alpha3, m49, status, correspondenceLanguage: language, correspondenceConfidence: confidence, unName, notes }
})

const count = (status) => states.filter((s) => s.status === status).length
if (count('member') !== 193) fail(`expected 193 members, got ${count('member')}`)
if (count('observer') !== 2) fail(`expected 2 observers, got ${count('observer')}`)
for (const key of ['code', 'alpha3', 'm49']) {
  if (new Set(states.map((s) => s[key])).size !== states.length) fail(`duplicate ${key}`)
}

states.sort((a, b) => (a.code < b.code ? -1 : 1))

const q = (s) => JSON.stringify(s)
const names = (record) => `{ ${UN_LANGS.map((lang) => `${lang}: ${q(record[lang])}`).join(', ')} }`
const body = states
  .map((s) =>
    [
      ...s.notes.map((n) => `  // ${n}`),
      '  {',
      `    code: ${q(s.code)},`,
      `    alpha3: ${q(s.alpha3)},`,
      `    m49: ${q(s.m49)},`,
      `    status: ${q(s.status)},`,
      `    correspondenceLanguage: ${q(s.correspondenceLanguage)},`,
      `    correspondenceConfidence: ${q(s.correspondenceConfidence)},`,
      '    unName: {',
      `      short: ${names(s.unName.short)},`,
      `      formal: ${names(s.unName.formal)},`,
      '    },',
      '  },',
    ].join('\n'),
  )
  .join('\n')

const out = `// Generated by scripts/generate-un-states.mjs from the shared reference data (country-codes.csv,
// datasets/country-codes, ODC PDDL; un-correspondence-language.tsv). Edit the generator, not this file.

/** The six official languages of the United Nations. */
export const UN_LANGUAGES = ['en', 'fr', 'es', 'ar', 'ru', 'zh'] as const
export type UnLang = (typeof UN_LANGUAGES)[number]

export type UnStatus = 'member' | 'observer'

/**
 * high: exactly one UN language among the state's official languages; med/low: a judgement or the
 * English default. The authority is the UN Protocol's Blue Book, of which no machine-readable copy
 * was found, so organisers must be able to override these in the app.
 */
export type CorrespondenceConfidence = 'high' | 'med' | 'low'

export interface UnState {
  /** ISO 3166-1 alpha-2 */
  readonly code: string
  readonly alpha3: string
  /** UN M49 numeric code, zero-padded to 3 digits */
  readonly m49: string
  readonly status: UnStatus
  readonly correspondenceLanguage: UnLang
  readonly correspondenceConfidence: CorrespondenceConfidence
  /**
   * UNTERM names. \`short\` is UNTERM's list form, article last ("Holy See (the)",
   * "Iran (Islamic Republic of)"): fit for lists, not for running text; letters want \`formal\`.
   */
  readonly unName: {
    readonly short: Readonly<Record<UnLang, string>>
    readonly formal: Readonly<Record<UnLang, string>>
  }
}

/** The 193 member states and the 2 permanent observer states, by alpha-2 code. */
export const UN_STATES: readonly UnState[] = [
${body}
]
`

writeFileSync(outFile, out)
console.log(`wrote ${outFile}: ${count('member')} members, ${count('observer')} observers`)
