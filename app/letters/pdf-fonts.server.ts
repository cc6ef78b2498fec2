import { createRequire } from 'node:module'
import path from 'node:path'

/**
 * The fonts letters are set in, and the choice of font for each run of text
 * (docs/decisions/070-letter-fonts-every-script.md). Every family is registered with react-pdf when
 * the first letter is drawn, but a font file is only read when a run of text names its family: a
 * letter with no Korean name never loads the Korean font.
 */

const require = createRequire(import.meta.url)
/** The fonts folder of an @embedpdf/fonts-* package (TTF/OTF). */
const embedpdf = (pkg: string, file: string) => path.join(path.dirname(require.resolve(pkg)), '..', 'fonts', file)
/** A WOFF file of an @fontsource package (WOFF, never WOFF2: react-pdf's fontkit crashes on it). */
const fontsource = (pkg: string, file: string) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'files', file)

export const LATIN = 'Noto Sans'
export const ARABIC = 'Noto Naskh Arabic'
export const HEBREW = 'Noto Sans Hebrew'
export const SC = 'Noto Sans SC'
export const JP = 'Noto Sans JP'
export const KR = 'Noto Sans KR'
export const DEVANAGARI = 'Noto Sans Devanagari'
export const THAI = 'Noto Sans Thai'
export const ARMENIAN = 'Noto Sans Armenian'
export const GEORGIAN = 'Noto Sans Georgian'

interface Face {
  src: string
  fontWeight?: 'bold'
  fontStyle?: 'italic'
}

/** Each family's files. CJK fonts have one weight each: every file is 4 to 8 MB to parse. */
export function fontFaces(): Record<string, Face[]> {
  const fs = (pkg: string, script: string): Face[] => [
    { src: fontsource(pkg, `${pkg.split('/')[1]}-${script}-400-normal.woff`) },
    { src: fontsource(pkg, `${pkg.split('/')[1]}-${script}-700-normal.woff`), fontWeight: 'bold' },
  ]
  const one = (src: string): Face[] => [{ src }, { src, fontWeight: 'bold' }]
  return {
    [LATIN]: [
      { src: embedpdf('@embedpdf/fonts-latin', 'NotoSans-Regular.ttf') },
      { src: embedpdf('@embedpdf/fonts-latin', 'NotoSans-Bold.ttf'), fontWeight: 'bold' },
      { src: embedpdf('@embedpdf/fonts-latin', 'NotoSans-Italic.ttf'), fontStyle: 'italic' },
    ],
    [ARABIC]: [
      { src: embedpdf('@embedpdf/fonts-arabic', 'NotoNaskhArabic-Regular.ttf') },
      { src: embedpdf('@embedpdf/fonts-arabic', 'NotoNaskhArabic-Bold.ttf'), fontWeight: 'bold' },
    ],
    [HEBREW]: [
      { src: embedpdf('@embedpdf/fonts-hebrew', 'NotoSansHebrew-Regular.ttf') },
      { src: embedpdf('@embedpdf/fonts-hebrew', 'NotoSansHebrew-Bold.ttf'), fontWeight: 'bold' },
    ],
    [SC]: one(embedpdf('@embedpdf/fonts-sc', 'NotoSansHans-Regular.otf')),
    [JP]: one(embedpdf('@embedpdf/fonts-jp', 'NotoSansJP-Regular.otf')),
    [KR]: one(embedpdf('@embedpdf/fonts-kr', 'NotoSansKR-Regular.otf')),
    [DEVANAGARI]: fs('@fontsource/noto-sans-devanagari', 'devanagari'),
    [THAI]: fs('@fontsource/noto-sans-thai', 'thai'),
    [ARMENIAN]: fs('@fontsource/noto-sans-armenian', 'armenian'),
    [GEORGIAN]: fs('@fontsource/noto-sans-georgian', 'georgian'),
  }
}

/**
 * Which family sets which script. Latin, Greek and Cyrillic are in Noto Sans; Noto Sans SC also
 * holds the traditional characters and kana, so a name in Han characters alone is set in it;
 * kana make a name Japanese and Hangul Korean, whose fonts carry Han characters in their forms.
 */
const SCRIPTS: [RegExp, string][] = [
  [/[\p{Script=Arabic}]/u, ARABIC],
  [/[\p{Script=Hebrew}]/u, HEBREW],
  [/[\p{Script=Hangul}]/u, KR],
  [/[\p{Script=Hiragana}\p{Script=Katakana}]/u, JP],
  [/[\p{Script=Han}\p{Script=Bopomofo}\u3000-\u303f\uff00-\uffef]/u, SC],
  [/[\p{Script=Devanagari}]/u, DEVANAGARI],
  [/[\p{Script=Thai}]/u, THAI],
  [/[\p{Script=Armenian}]/u, ARMENIAN],
  [/[\p{Script=Georgian}]/u, GEORGIAN],
]

/**
 * The font stack for one run of text: one family per script the run holds, in the order they
 * appear, then the page's own families, with Noto Sans last (Latin, Greek and Cyrillic).
 * react-pdf picks, character by character, the first family of the stack that has the glyph, so a
 * name in one script is set in one face, its spaces included, and shapes as a whole.
 */
export function fontStackFor(text: string, base: readonly string[]): string[] {
  const found: { at: number; family: string }[] = []
  for (const [re, family] of SCRIPTS) {
    const at = text.search(re)
    if (at >= 0) found.push({ at, family })
  }
  found.sort((a, b) => a.at - b.at)
  const stack: string[] = []
  for (const { family } of found) {
    // Korean and Japanese faces carry Han characters: no Chinese face is needed beside them.
    if (family === SC && found.some((f) => f.family === KR || f.family === JP)) continue
    stack.push(family)
  }
  for (const family of [...base, LATIN]) if (!stack.includes(family)) stack.push(family)
  return stack
}

const RTL_CHAR = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u
const STRONG_CHAR = /[\p{L}]/u

/** A name's own direction, from its first letter (the rule of Unicode's first-strong isolate). */
export function directionOf(text: string): 'ltr' | 'rtl' {
  const first = Array.from(text).find((ch) => STRONG_CHAR.test(ch))
  return first && RTL_CHAR.test(first) ? 'rtl' : 'ltr'
}
