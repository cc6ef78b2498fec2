import type { Style } from '@react-pdf/types'
import type { ReactElement } from 'react'
import { ARABIC, directionOf, fontFaces, fontStackFor, LATIN, SC } from './pdf-fonts.server'
import { PdfJoiner } from './pdf-join.server'
import type { LetterDocument, LetterText } from './text'

/**
 * Letters as PDF with @react-pdf/renderer (docs/decisions/022-letter-pdf.md, 070 to 072). A letter
 * is drawn in parts, each a small react-pdf document: the letter in the mission's language, its
 * English copy and the first slice of the annex, then the rest of the annex in slices of a fixed
 * number of names, so that no single layout holds a large country's annex; pdf-lib joins the parts
 * and lays a running footer (code, page n/N) over every page once the page count is known.
 *
 * Chinese has no spaces, and react-pdf only breaks lines at spaces or hyphenation points (its
 * issue 2917): the hyphenation callback below offers a break between any two CJK characters, with
 * empty parts so no hyphen is drawn.
 */

type ReactPdf = typeof import('@react-pdf/renderer')
let reactPdf: ReactPdf | null = null

/**
 * react-pdf and its layout and font engines hold tens of megabytes once loaded: they are loaded
 * the first time a letter is drawn rather than when the server starts, since most servers spend
 * their life taking signatures. Font files are read later still, when a run of text needs them.
 */
async function loadReactPdf(): Promise<ReactPdf> {
  if (reactPdf) return reactPdf
  const loaded = await import('@react-pdf/renderer')
  for (const [family, fonts] of Object.entries(fontFaces())) loaded.Font.register({ family, fonts })
  loaded.Font.registerHyphenationCallback((word) => (CJK.test(word) ? splitCjk(word) : [word]))
  reactPdf = loaded
  return loaded
}
/** The components, once loadReactPdf has run. */
const pdf = () => reactPdf!

const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/u

// Chinese line-breaking rules: these never start a line, and these never end one.
const NO_LINE_START = new Set(Array.from('，。、；：？！）》〉」』】”’…—·'))
const NO_LINE_END = new Set(Array.from('（《〈「『【“‘'))

/**
 * Each CJK character becomes its own part, so a line may break before any of them, except before
 * closing punctuation and after opening punctuation.
 */
export function splitCjk(word: string): string[] {
  const units: string[] = []
  let run = ''
  for (const ch of Array.from(word)) {
    if (CJK.test(ch)) {
      if (run) units.push(run)
      run = ''
      units.push(ch)
    } else run += ch
  }
  if (run) units.push(run)
  const parts: string[] = []
  for (const unit of units) {
    const last = parts.length - 2
    if (last >= 0 && (NO_LINE_START.has(unit) || NO_LINE_END.has(parts[last].slice(-1)))) parts[last] += unit
    else parts.push(unit, '')
  }
  if (parts.at(-1) === '' && !CJK.test(Array.from(word).at(-1) ?? '')) parts.pop()
  return parts
}

/** The families a page of each language is set in before any other script's. */
const baseFamilies: Record<string, string[]> = {
  ar: [ARABIC, LATIN],
  zh: [SC, LATIN],
}
const baseOf = (lang: string) => baseFamilies[lang] ?? [LATIN]

/** Room below the text for the running footer laid over each page. */
const FOOTER_BOTTOM = 28
const styles = {
  page: { paddingTop: 56, paddingBottom: 64, paddingHorizontal: 62, fontSize: 10.5, lineHeight: 1.5 },
  block: { marginBottom: 10 },
  small: { fontSize: 9, color: '#333333' },
  bold: { fontWeight: 'bold' },
  heading: { fontSize: 12, fontWeight: 'bold', marginBottom: 10 },
  subheading: { fontSize: 9.5, color: '#333333', marginBottom: 8 },
  item: { flexDirection: 'row', marginBottom: 4 },
  itemNumber: { width: 18 },
  itemText: { flex: 1 },
  certificate: { marginTop: 18, flexDirection: 'row', borderTop: '0.5pt solid #999999', paddingTop: 10 },
  qr: { width: 72, height: 72 },
  certificateText: { flex: 1, fontSize: 8.5, paddingHorizontal: 10 },
  names: { fontSize: 9.5, lineHeight: 1.45, marginBottom: 0 },
  footerPage: { paddingHorizontal: 62 },
  footer: { position: 'absolute', bottom: FOOTER_BOTTOM, left: 62, right: 62, fontSize: 8, color: '#555555', textAlign: 'center', fontFamily: LATIN },
} satisfies Record<string, Style>

const ENGLISH_COPY = 'English copy'
/** Names in one slice of the annex, laid out as one react-pdf document: bounds its memory. */
export const ANNEX_NAMES_PER_PART = 2000
/** Names per paragraph: one paragraph per name would make a large annex slow to lay out. */
const NAMES_PER_BLOCK = 300
const NAME_SEPARATOR = ' · '
/** First-strong isolate and pop directional isolate: each name takes its own direction. */
export const FSI = '\u2068'
export const PDI = '\u2069'
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/gu

/** A run of text in its own direction and in the faces its scripts need. */
function Run({ children, base, dir, style }: { children: string; base: string[]; dir?: 'ltr' | 'rtl'; style?: Style | Style[] }) {
  const { Text } = pdf()
  const own = [style ?? {}].flat()
  return <Text style={[...own, { fontFamily: fontStackFor(children, base), direction: dir ?? directionOf(children) }]}>{children}</Text>
}

/** A UN letter's signatories by country: two columns, the head and total in bold. */
function CountTable({ table, base, dir }: { table: NonNullable<LetterText['table']>; base: string[]; dir: 'ltr' | 'rtl' }) {
  const { View } = pdf()
  const row = (cells: [string, string], key: string, bold = false) => (
    <View key={key} style={{ flexDirection: dir === 'rtl' ? 'row-reverse' : 'row', borderBottom: '0.5pt solid #999', paddingVertical: 1.5 }} wrap={false}>
      <Run base={base} dir={dir} style={[{ flexGrow: 1, flexBasis: 0, textAlign: dir === 'rtl' ? 'right' : 'left' }, bold ? styles.bold : {}]}>
        {cells[0]}
      </Run>
      <Run base={base} dir={dir} style={[{ width: 80, textAlign: dir === 'rtl' ? 'left' : 'right' }, bold ? styles.bold : {}]}>
        {cells[1]}
      </Run>
    </View>
  )
  return (
    <View style={styles.block}>
      {row(table.head, 'head', true)}
      {table.rows.map((r, i) => row(r, String(i)))}
      {row(table.total, 'total', true)}
    </View>
  )
}

/** The public log checkpoint the count was taken from, and the key that signed it (ADR 083). */
function LogCitation({ log }: { log?: PdfInput['log'] }) {
  if (!log) return null
  const { Text } = pdf()
  return (
    <>
      <Text style={{ direction: 'ltr' }}>Log checkpoint: {log.size} entries, root {log.root}</Text>
      <Text style={{ direction: 'ltr' }}>Key: {log.key}</Text>
    </>
  )
}

function LetterPages({ letter, qrPng, verifyUrl, code, copy, log }: { letter: LetterText; qrPng: string; verifyUrl: string; code: string; copy: boolean; log?: PdfInput['log'] }) {
  const { Image, Page, View } = pdf()
  const rtl = letter.dir === 'rtl'
  const align = { textAlign: rtl ? ('right' as const) : ('left' as const) }
  const base = baseOf(letter.lang)
  const P = ({ children, style }: { children: string; style?: Style }) => (
    <Run base={base} dir={letter.dir} style={[styles.block, align, style ?? {}]}>
      {children}
    </Run>
  )
  return (
    <Page size="A4" style={[styles.page, { fontFamily: base }]}>
      {copy ? <P style={styles.heading}>{ENGLISH_COPY}</P> : null}
      {letter.sender?.length ? (
        <View style={[styles.block, styles.small]}>
          {letter.sender.map((line, i) => (
            <Run key={i} base={base} dir={letter.dir} style={align}>
              {line}
            </Run>
          ))}
        </View>
      ) : null}
      <View style={styles.block}>
        {letter.address.map((line, i) => (
          <Run key={i} base={base} dir={letter.dir} style={align}>
            {line}
          </Run>
        ))}
      </View>
      <Run base={base} dir={letter.dir} style={[align, styles.small]}>
        {letter.dateLine}
      </Run>
      <Run base={base} dir={letter.dir} style={[styles.block, align, styles.small]}>
        {letter.referenceLine}
      </Run>
      <P style={styles.bold}>{letter.subject}</P>
      <P>{letter.salutation}</P>
      {letter.paragraphs.map((p, i) => (
        <P key={i}>{p}</P>
      ))}
      {letter.table ? <CountTable table={letter.table} base={base} dir={letter.dir} /> : null}
      <P>{letter.askIntro}</P>
      <View style={styles.block}>
        {letter.askItems.map((item, i) => (
          <View key={i} style={[styles.item, { flexDirection: rtl ? 'row-reverse' : 'row' }]} wrap={false}>
            <Run base={base} dir={letter.dir} style={[styles.itemNumber, align]}>{`${i + 1}.`}</Run>
            <Run base={base} dir={letter.dir} style={[styles.itemText, align]}>
              {item}
            </Run>
          </View>
        ))}
      </View>
      {letter.afterAsk.map((p, i) => (
        <P key={i}>{p}</P>
      ))}
      {/* The closing, the signature and the verification block move to a new page together, so
          the QR code and the code are never left alone on a page. */}
      <View wrap={false}>
        <P>{letter.closing}</P>
        <View style={styles.block}>
          {letter.signatory.map((line, i) => (
            <Run key={i} base={base} dir={letter.dir} style={align}>
              {line}
            </Run>
          ))}
        </View>
        <View style={[styles.certificate, { flexDirection: rtl ? 'row-reverse' : 'row' }]}>
          <Image style={styles.qr} src={qrPng} />
          <View style={styles.certificateText}>
            <Run base={[LATIN]} dir="ltr" style={align}>
              {verifyUrl}
            </Run>
            <Run base={[LATIN]} dir="ltr" style={align}>
              {code}
            </Run>
            <LogCitation log={log} />
          </View>
        </View>
      </View>
    </Page>
  )
}

/**
 * One slice of the annex: the heading on the first slice (in the letter's language, then in
 * English), the names, and the count of unnamed signatories after the last slice. Names run on in
 * paragraphs, each name a span in the faces its scripts need and wrapped in a first-strong isolate
 * (U+2068 ... U+2069), so a Persian name between two Latin ones reads right to left on its own and
 * never pulls its neighbours or the separators into its direction.
 */
function AnnexPages({ letters, names, first, last }: { letters: LetterText[]; names: string[]; first: boolean; last: boolean }) {
  const { Page, Text, View } = pdf()
  const [main, ...copies] = letters
  const rtl = main.dir === 'rtl'
  const align = { textAlign: rtl ? ('right' as const) : ('left' as const) }
  const base = baseOf(main.lang)
  const blocks: string[][] = []
  for (let i = 0; i < names.length; i += NAMES_PER_BLOCK) blocks.push(names.slice(i, i + NAMES_PER_BLOCK))
  return (
    <Page size="A4" style={[styles.page, { fontFamily: base }]}>
      {first ? (
        <View style={styles.block}>
          <Run base={base} dir={main.dir} style={[styles.heading, align]}>
            {main.annexTitle ?? ''}
          </Run>
          {copies.map((c) => (
            <Run key={c.lang} base={baseOf(c.lang)} dir={c.dir} style={[styles.subheading, align]}>
              {c.annexTitle ?? ''}
            </Run>
          ))}
          <Run base={base} dir={main.dir} style={align}>
            {main.annexIntro}
          </Run>
          {copies.map((c) => (
            <Run key={c.lang} base={baseOf(c.lang)} dir={c.dir} style={[styles.small, align]}>
              {c.annexIntro}
            </Run>
          ))}
        </View>
      ) : null}
      {blocks.map((block, i) => (
        <Text key={i} style={[styles.names, align, { direction: main.dir, fontFamily: base }]}>
          {nameSpans(block, base).map((span, j) => (
            <Text key={j} style={{ fontFamily: span.fontFamily }}>
              {span.text}
            </Text>
          ))}
        </Text>
      ))}
      {last && main.othersLine ? (
        <View style={{ marginTop: 10 }} wrap={false}>
          <Run base={base} dir={main.dir} style={align}>
            {main.othersLine}
          </Run>
          {copies.map((c) =>
            c.othersLine ? (
              <Run key={c.lang} base={baseOf(c.lang)} dir={c.dir} style={[styles.small, align]}>
                {c.othersLine}
              </Run>
            ) : null,
          )}
        </View>
      ) : null}
    </Page>
  )
}

/**
 * A paragraph of names as spans: each name isolated, neighbours that need the same faces in one
 * span (a span is a unit of layout work, and most names of a country share a script).
 */
export function nameSpans(names: readonly string[], base: string[]): { text: string; fontFamily: string[] }[] {
  const spans: { text: string; fontFamily: string[]; key: string }[] = []
  names.forEach((raw, i) => {
    // The sign form refuses bidi controls in names (signature-rules.ts); a stray one from elsewhere
    // must not close the isolate early or turn the names after it around.
    const name = raw.replace(BIDI_CONTROLS, '')
    const fontFamily = fontStackFor(name, base)
    const key = fontFamily.join('|')
    const text = `${i > 0 ? NAME_SEPARATOR : ''}${FSI}${name}${PDI}`
    const last = spans.at(-1)
    if (last && last.key === key) last.text += text
    else spans.push({ text, fontFamily, key })
  })
  return spans.map(({ text, fontFamily }) => ({ text, fontFamily }))
}

/** Pages holding nothing but the running footer, laid over the letter's pages one by one. */
function FooterPages({ code, total }: { code: string; total: number }) {
  const { Page, Text } = pdf()
  return (
    <>
      {Array.from({ length: total }, (_, i) => (
        <Page key={i} size="A4" style={styles.footerPage}>
          <Text style={styles.footer}>{`${code} · ${i + 1}/${total}`}</Text>
        </Page>
      ))}
    </>
  )
}

export interface PdfInput {
  doc: LetterDocument
  code: string
  verifyUrl: string
  /** PNG data URL of the QR code leading to verifyUrl */
  qrPng: string
  author: string
  /** fixed creation date, so the bytes depend on the snapshot only */
  createdAt: Date
  /** the log checkpoint cited: size, base64 root, and the verifier key (name+id+key) that signed it */
  log?: { size: number; root: string; key: string }
}

/** The annex slices of a list of names: never empty, so the annex always has its heading. */
export function annexParts(names: readonly string[], size = ANNEX_NAMES_PER_PART): string[][] {
  const parts: string[][] = []
  for (let i = 0; i < names.length; i += size) parts.push(names.slice(i, i + size))
  return parts.length ? parts : [[]]
}

export async function renderLetterPdf(input: PdfInput): Promise<Buffer> {
  const { Document, renderToBuffer } = await loadReactPdf()
  const draw = (pages: ReactElement) => renderToBuffer(<Document>{pages}</Document>)
  const [main] = input.doc.letters
  const joiner = await PdfJoiner.create()
  // A letter to a state with no signer carries no annex at all (its text says so).
  const parts = main.annexTitle === null ? [] : annexParts(main.names)
  const annex = (i: number) =>
    i < parts.length ? <AnnexPages letters={input.doc.letters} names={parts[i]} first={i === 0} last={i === parts.length - 1} /> : null
  // The first slice of the annex shares the letter's document: most letters are that render and
  // the footer's.
  await joiner.append(
    await draw(
      <>
        {input.doc.letters.map((letter, i) => (
          <LetterPages key={letter.lang} letter={letter} qrPng={input.qrPng} verifyUrl={input.verifyUrl} code={input.code} copy={i > 0} log={input.log} />
        ))}
        {annex(0)}
      </>,
    ),
  )
  for (let i = 1; i < parts.length; i++) await joiner.append(await draw(annex(i)!))
  await joiner.overlay(await draw(<FooterPages code={input.code} total={joiner.pageCount} />))
  return joiner.save({
    title: main.subject,
    author: input.author,
    subject: input.doc.title,
    keywords: [input.code],
    producer: 'un-petitions',
    creator: 'un-petitions',
    language: main.lang,
    date: input.createdAt,
  })
}
