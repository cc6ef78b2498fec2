import type { Resvg as ResvgClass } from '@resvg/resvg-js'
import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import { localeDir } from '~/i18n/locales'

/**
 * The social card of a campaign (1200×630, the size Open Graph and X's large card expect), drawn
 * as SVG and rasterised by resvg with Vazirmatn, an npm-packaged font that covers Latin, Persian
 * and Arabic: nothing is fetched, no system font is read, so every server draws the same card.
 */
export const OG_WIDTH = 1200
export const OG_HEIGHT = 630
const MARGIN = 80
const TEXT_WIDTH = OG_WIDTH - 2 * MARGIN

const require = createRequire(import.meta.url)
// The rasteriser is loaded when the first card is drawn, not at start.
let resvg: typeof ResvgClass | null = null
const Resvg = (...args: ConstructorParameters<typeof ResvgClass>) =>
  new (resvg ??= (require('@resvg/resvg-js') as { Resvg: typeof ResvgClass }).Resvg)(...args)
const FONT_FILES = ['Regular', 'Bold'].map((w) => require.resolve(`vazirmatn/fonts/ttf/Vazirmatn-${w}.ttf`))
const fontOptions = { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: 'Vazirmatn' }

export interface OgCard {
  /** The language of the site name and the call to sign. */
  uiLocale: string
  /** The language of the title: the campaign's default one where the reader's has no translation. */
  copyLocale: string
  site: string
  title: string
  cta: string
  host: string
}

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)

// resvg's bidi needs the paragraph direction said explicitly: an RTL embedding around each line
// keeps Latin words and digits in their place inside Persian or Arabic text.
const bidi = (text: string, rtl: boolean) => (rtl ? `\u202B${text}\u202C` : text)

function textWidth(text: string, size: number, weight: number, rtl: boolean): number {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${OG_WIDTH * 2}" height="${size * 2}"><text x="0" y="${size * 1.5}" font-size="${size}" font-weight="${weight}"${rtl ? ' direction="rtl"' : ''}>${escapeXml(bidi(text, rtl))}</text></svg>`
  return Resvg(svg, { font: fontOptions }).innerBBox()?.width ?? 0
}

/** Greedy line breaking on spaces, measured with the real font. */
export function wrap(text: string, size: number, weight: number, rtl: boolean, maxWidth = TEXT_WIDTH): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/u).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word
    if (line && textWidth(candidate, size, weight, rtl) > maxWidth) {
      lines.push(line)
      line = word
    } else {
      line = candidate
    }
  }
  if (line) lines.push(line)
  return lines
}

/** The title at the largest size that fits in four lines; past that, cut with an ellipsis. */
function fitTitle(title: string, rtl: boolean): { size: number; lines: string[] } {
  for (const size of [64, 56, 48]) {
    const lines = wrap(title, size, 700, rtl)
    if (lines.length <= 4) return { size, lines }
  }
  const lines = wrap(title, 48, 700, rtl).slice(0, 4)
  lines[3] = `${lines[3]}…`
  return { size: 48, lines }
}

export function ogCardSvg(card: OgCard): string {
  const uiRtl = localeDir(card.uiLocale) === 'rtl'
  const copyRtl = localeDir(card.copyLocale) === 'rtl'
  // The card is laid out in the reader's direction; each line keeps its own language's direction.
  const x = uiRtl ? OG_WIDTH - MARGIN : MARGIN
  const line = (text: string, rtl: boolean, y: number, size: number, weight: number, fill: string) =>
    `<text x="${x}" y="${y}" font-size="${size}" font-weight="${weight}" fill="${fill}"${rtl ? ' direction="rtl"' : ''}${uiRtl ? ' text-anchor="end"' : ''}>${escapeXml(bidi(text, rtl))}</text>`
  const { size, lines } = fitTitle(card.title, copyRtl)
  const lineHeight = Math.round(size * (copyRtl ? 1.45 : 1.2))
  const titleTop = 200
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${OG_WIDTH}" height="${OG_HEIGHT}" viewBox="0 0 ${OG_WIDTH} ${OG_HEIGHT}">`,
    `<rect width="${OG_WIDTH}" height="${OG_HEIGHT}" fill="#1d4e89"/>`,
    `<rect x="0" y="${OG_HEIGHT - 12}" width="${OG_WIDTH}" height="12" fill="#f2c14e"/>`,
    line(card.site, uiRtl, 110, 34, 400, '#dce6f2'),
    ...lines.map((l, i) => line(l, copyRtl, titleTop + size + i * lineHeight, size, 700, '#ffffff')),
    line(`${card.cta} · ${card.host}`, uiRtl, OG_HEIGHT - 70, 34, 700, '#f2c14e'),
    '</svg>',
  ].join('')
}

export function renderOgCard(card: OgCard): Buffer {
  return Resvg(ogCardSvg(card), { font: fontOptions, fitTo: { mode: 'original' } }).render().asPng()
}

export const etagOf = (key: string) => `"${createHash('sha256').update(key).digest('base64url').slice(0, 22)}"`
