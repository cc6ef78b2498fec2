import type { Style } from '@react-pdf/types'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { LetterDocument, LetterText } from './text'

/**
 * Letters as PDF with @react-pdf/renderer (docs/decisions/022-letter-pdf.md). Fonts come from npm
 * packages as TTF/OTF (woff2 crashes react-pdf): Noto Sans for Latin and Cyrillic, Noto Naskh
 * Arabic 1.00 (2.x misplaces dots) and Noto Sans SC. Chinese has no spaces, and react-pdf only
 * breaks lines at spaces or hyphenation points (its issue 2917): the hyphenation callback below
 * offers a break between any two CJK characters, with empty parts so no hyphen is drawn.
 */

const require = createRequire(import.meta.url)
const fontDir = (pkg: string) => path.join(path.dirname(require.resolve(pkg)), '..', 'fonts')

type ReactPdf = typeof import('@react-pdf/renderer')
let reactPdf: ReactPdf | null = null

/**
 * react-pdf and its layout and font engines hold tens of megabytes once loaded: they are loaded
 * the first time a letter is drawn rather than when the server starts, since most servers spend
 * their life taking signatures.
 */
async function loadReactPdf(): Promise<ReactPdf> {
  if (reactPdf) return reactPdf
  const loaded = await import('@react-pdf/renderer')
  registerFonts(loaded.Font)
  reactPdf = loaded
  return loaded
}
/** The components, once loadReactPdf has run. */
const pdf = () => reactPdf!

function registerFonts(Font: ReactPdf['Font']) {
  const latin = fontDir('@embedpdf/fonts-latin')
  const arabic = fontDir('@embedpdf/fonts-arabic')
  const sc = fontDir('@embedpdf/fonts-sc')
  Font.register({
    family: 'Noto Sans',
    fonts: [
      { src: path.join(latin, 'NotoSans-Regular.ttf') },
      { src: path.join(latin, 'NotoSans-Bold.ttf'), fontWeight: 'bold' },
      { src: path.join(latin, 'NotoSans-Italic.ttf'), fontStyle: 'italic' },
    ],
  })
  Font.register({
    family: 'Noto Naskh Arabic',
    fonts: [
      { src: path.join(arabic, 'NotoNaskhArabic-Regular.ttf') },
      { src: path.join(arabic, 'NotoNaskhArabic-Bold.ttf'), fontWeight: 'bold' },
    ],
  })
  // One weight only: each Noto Sans SC file is 8 MB to parse.
  Font.register({
    family: 'Noto Sans SC',
    fonts: [
      { src: path.join(sc, 'NotoSansHans-Regular.otf') },
      { src: path.join(sc, 'NotoSansHans-Regular.otf'), fontWeight: 'bold' },
    ],
  })
  Font.registerHyphenationCallback((word) => (CJK.test(word) ? splitCjk(word) : [word]))
}

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

const families: Record<string, string[]> = {
  ar: ['Noto Naskh Arabic', 'Noto Sans'],
  zh: ['Noto Sans SC', 'Noto Sans'],
}

const styles = {
  page: { paddingTop: 56, paddingBottom: 64, paddingHorizontal: 62, fontSize: 10.5, lineHeight: 1.5 },
  block: { marginBottom: 10 },
  small: { fontSize: 9, color: '#333333' },
  bold: { fontWeight: 'bold' },
  heading: { fontSize: 12, fontWeight: 'bold', marginBottom: 10 },
  item: { flexDirection: 'row', marginBottom: 4 },
  itemNumber: { width: 18 },
  itemText: { flex: 1 },
  certificate: { marginTop: 18, flexDirection: 'row', borderTop: '0.5pt solid #999999', paddingTop: 10 },
  qr: { width: 72, height: 72 },
  certificateText: { flex: 1, fontSize: 8.5, paddingHorizontal: 10 },
  footer: { position: 'absolute', bottom: 28, left: 62, right: 62, fontSize: 8, color: '#555555', textAlign: 'center' },
} satisfies Record<string, Style>

const ENGLISH_COPY = 'English copy'
/** Names per text block: one block per name would make a large annex slow to lay out. */
const NAMES_PER_BLOCK = 400

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
  const { Image, Page, Text, View } = pdf()
  const rtl = letter.dir === 'rtl'
  const align = { textAlign: rtl ? ('right' as const) : ('left' as const), direction: letter.dir }
  const fontFamily = families[letter.lang] ?? ['Noto Sans']
  const P = ({ children, style }: { children: string; style?: Style }) => <Text style={[styles.block, align, style ?? {}]}>{children}</Text>
  const nameBlocks: string[] = []
  for (let i = 0; i < letter.names.length; i += NAMES_PER_BLOCK) nameBlocks.push(letter.names.slice(i, i + NAMES_PER_BLOCK).join(' · '))
  return (
    <>
      <Page size="A4" style={[styles.page, { fontFamily }]}>
        {copy ? <Text style={[styles.heading, align]}>{ENGLISH_COPY}</Text> : null}
        <View style={styles.block}>
          {letter.address.map((line, i) => (
            <Text key={i} style={align}>
              {line}
            </Text>
          ))}
        </View>
        <Text style={[align, styles.small]}>{letter.dateLine}</Text>
        <Text style={[styles.block, align, styles.small]}>{letter.referenceLine}</Text>
        <P style={styles.bold}>{letter.subject}</P>
        <P>{letter.salutation}</P>
        {letter.paragraphs.map((p, i) => (
          <P key={i}>{p}</P>
        ))}
        <P>{letter.askIntro}</P>
        <View style={styles.block}>
          {letter.askItems.map((item, i) => (
            <View key={i} style={[styles.item, { flexDirection: rtl ? 'row-reverse' : 'row' }]}>
              <Text style={[styles.itemNumber, align]}>{`${i + 1}.`}</Text>
              <Text style={[styles.itemText, align]}>{item}</Text>
            </View>
          ))}
        </View>
        {letter.afterAsk.map((p, i) => (
          <P key={i}>{p}</P>
        ))}
        <P>{letter.closing}</P>
        <View style={styles.block}>
          {letter.signatory.map((line, i) => (
            <Text key={i} style={align}>
              {line}
            </Text>
          ))}
        </View>
        <View style={[styles.certificate, { flexDirection: rtl ? 'row-reverse' : 'row' }]} wrap={false}>
          <Image style={styles.qr} src={qrPng} />
          <View style={styles.certificateText}>
            <Text style={{ direction: 'ltr' }}>{verifyUrl}</Text>
            <Text style={{ direction: 'ltr' }}>{code}</Text>
            <LogCitation log={log} />
          </View>
        </View>
        <Text style={styles.footer} fixed render={({ pageNumber, totalPages }) => `${code} · ${pageNumber}/${totalPages}`} />
      </Page>
      <Page size="A4" style={[styles.page, { fontFamily }]}>
        <Text style={[styles.heading, align]}>{letter.annexTitle}</Text>
        <P>{letter.annexIntro}</P>
        {nameBlocks.map((block, i) => (
          <P key={i}>{block}</P>
        ))}
        {letter.othersLine ? <P>{letter.othersLine}</P> : null}
        <Text style={styles.footer} fixed render={({ pageNumber, totalPages }) => `${code} · ${pageNumber}/${totalPages}`} />
      </Page>
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

export async function renderLetterPdf(input: PdfInput): Promise<Buffer> {
  const { Document, renderToBuffer } = await loadReactPdf()
  const [main] = input.doc.letters
  const element = (
    <Document
      title={main.subject}
      author={input.author}
      subject={input.doc.title}
      keywords={input.code}
      creator="un-petitions"
      producer="un-petitions"
      language={main.lang}
      creationDate={input.createdAt}
      modificationDate={input.createdAt}
    >
      {input.doc.letters.map((letter, i) => (
        <LetterPages key={letter.lang} letter={letter} qrPng={input.qrPng} verifyUrl={input.verifyUrl} code={input.code} copy={i > 0} log={input.log} />
      ))}
    </Document>
  )
  return renderToBuffer(element)
}
