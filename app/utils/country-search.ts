/**
 * The sign form's country search (browser and server alike): what a reader types is matched, folded,
 * against the name in their language, the English name and the aliases (app/data/country-aliases.ts),
 * and the best matches come first: a whole name or alias, then one starting with the letters, then
 * one containing them, each group in the list's own alphabetical order.
 */
export interface CountryOption {
  code: string
  name: string
  /** Other names it is found by: the English one in other languages, and its aliases. */
  also?: string[]
}

/**
 * Folds what a reader may type differently from the list: accents and Arabic diacritics (via NFD,
 * which also parts alef from its hamza or madda), Arabic and Persian yeh and kaf, teh marbuta and
 * heh, the tatweel, and punctuation and spacing.
 */
export function normalize(s: string) {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[يى]/g, 'ی')
    .replace(/ك/g, 'ک')
    .replace(/ة/g, 'ه')
    .replace(/ـ/g, '')
    .replace(/[.\u200c]/g, '')
    .replace(/[-’'‘]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLocaleLowerCase()
}

/** 0 for a whole name, 1 for a name or word starting with the needle, 2 for one containing it, or -1. */
function rank(option: CountryOption, needle: string): number {
  let best = -1
  for (const term of [option.name, ...(option.also ?? [])]) {
    const t = normalize(term)
    const r = t === needle ? 0 : t.startsWith(needle) || t.split(' ').some((w) => w.startsWith(needle)) ? 1 : t.includes(needle) ? 2 : -1
    if (r === 0) return 0
    if (r >= 0 && (best < 0 || r < best)) best = r
  }
  return best
}

/** The options matching what was typed, best first; all of them, in order, for an empty search. */
export function searchCountries<T extends CountryOption>(options: readonly T[], query: string): T[] {
  const needle = normalize(query)
  if (!needle) return [...options]
  const ranked: [number, number, T][] = []
  options.forEach((option, i) => {
    const r = rank(option, needle)
    if (r >= 0) ranked.push([r, i, option])
  })
  return ranked.sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, , option]) => option)
}

/**
 * The region of the first language tag that names one (`fa-IR` → IR, `en-GB` → GB), if it is a
 * country in the list: the browser's language settings, never the reader's address (ADR 102).
 */
export function regionFromLanguages(tags: readonly string[], isCountry: (code: string) => boolean): string | null {
  for (const tag of tags) {
    const region = /^[a-z]{2,3}(?:-[a-z]{4})?-([a-z]{2})(?:-|$)/i.exec(tag.trim())?.[1]?.toUpperCase()
    if (region && region !== 'ZZ' && isCountry(region)) return region
  }
  return null
}

/** The language tags of an Accept-Language header, most preferred first. */
export function acceptLanguageTags(header: string | null | undefined): string[] {
  if (!header) return []
  return header
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';')
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? 1)
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, i }
    })
    .filter((l) => l.tag && l.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((l) => l.tag)
    .slice(0, 20)
}
