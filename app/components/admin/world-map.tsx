import { maskedShadeLegend, maskedShadeOf, shadeLegend, shadeOf } from '~/utils/map-scale'

export interface WorldMapProps {
  geometry: {
    width: number
    height: number
    /** The outlines file (app/routes/map[.]svg.ts): each shape is a <use> of one of its paths. */
    href: string
    /** A UN member or observer state's code, or another territory's outline id and name. */
    shapes: (string | { id: string; name: string })[]
    markers: { code: string; x: number; y: number }[]
  }
  /** Every state's name in the page's language (the sign form's list of countries). */
  names: { code: string; name: string }[]
  /** A null count is "fewer than `minShown`": the public map never says how few (ADR 107). */
  countries: { code: string; name: string; count: number | null }[]
  /** The public map: counts under this are masked and share the lightest shade. */
  minShown?: number
  labels?: WorldMapLabels
}

/** Every word the map says; the organisers' dashboard uses the English defaults. */
export interface WorldMapLabels {
  format: (n: number) => string
  /** A country's hover title; count null for "fewer than minShown". */
  country: (name: string, count: number | null) => string
  other: (name: string) => string
  /** The summary read by screen readers, given the countries with signers, most first. */
  summary: (top: { name: string; count: number | null }[], countriesWithSigners: number) => string
  hint: string
  legend: string
  none: string
  fewer: (min: number) => string
}

const fmt = (n: number) => n.toLocaleString('en')
const signatures = (n: number) => `${fmt(n)} verified signature${n === 1 ? '' : 's'}`

export const ENGLISH_MAP_LABELS: WorldMapLabels = {
  format: fmt,
  country: (name, n) => (n === null ? `${name}: fewer than 5 verified signatures` : `${name}: ${signatures(n)}`),
  other: (name) => `${name} (not a UN member or observer state)`,
  summary: (top, n) =>
    n === 0
      ? 'World map of verified signatures by country: no verified signature yet.'
      : `World map of verified signatures by country: ${n} ${n === 1 ? 'country has' : 'countries have'} signers; most from ${top
          .map((c) => (c.count === null ? c.name : `${c.name} (${fmt(c.count)})`))
          .join(', ')}. Every figure is in the table of countries.`,
  hint: 'Verified signatures (small states are dots).',
  legend: 'Map legend',
  none: 'none',
  fewer: (min) => `fewer than ${fmt(min)}`,
}

/**
 * The map as inline SVG, drawn on the server; its outlines come once from a file browsers keep, each
 * shape a <use> of one (ADR 139). Screen readers get one summary (role="img"); the table beside it
 * holds every figure. Each country's <title> is the hover label for everyone else.
 * The organisers' dashboard and the public campaign page both draw it (ADR 107).
 */
export function WorldMap({ geometry, names, countries, minShown, labels = ENGLISH_MAP_LABELS }: WorldMapProps) {
  const nameOf = new Map(names.map((c) => [c.code, c.name]))
  const name = (code: string) => nameOf.get(code) ?? code
  const counts = new Map(countries.map((c) => [c.code, c.count]))
  // A country absent from the list has no verified signer; null (present) is "fewer than minShown".
  const countOf = (code: string) => (counts.has(code) ? counts.get(code)! : 0)
  const exact = countries.map((c) => c.count ?? 0)
  const max = Math.max(0, ...exact)
  const shade = (n: number | null) => (minShown ? maskedShadeOf(n, max, minShown) : shadeOf(n ?? 0, max))
  const shaded = countries.filter((c) => c.count === null || c.count > 0).sort((a, b) => (b.count ?? 0) - (a.count ?? 0))
  const summary = labels.summary(shaded.slice(0, 3), shaded.length)
  const legend = minShown ? maskedShadeLegend(max || null, minShown, countries.some((c) => c.count === null)) : shadeLegend(max)
  const range = (l: { from: number; to: number }, i: number) =>
    minShown && i === 0 && l.to === minShown - 1 ? labels.fewer(minShown) : l.from === l.to ? labels.format(l.from) : `${labels.format(l.from)}–${labels.format(l.to)}`
  return (
    <figure className="world-map">
      <svg viewBox={`0 0 ${geometry.width} ${geometry.height}`} role="img" aria-label={summary} className="map">
        {geometry.shapes.map((s) => {
          if (typeof s !== 'string') {
            return (
              <use key={s.id} href={`${geometry.href}#${s.id}`} className="map-other">
                <title>{labels.other(s.name)}</title>
              </use>
            )
          }
          const n = countOf(s)
          return (
            <use key={s} href={`${geometry.href}#${s}`} className={`shade-${shade(n)}`} data-country={s}>
              <title>{labels.country(name(s), n)}</title>
            </use>
          )
        })}
        {geometry.markers.map((m) => {
          const n = countOf(m.code)
          return (
            <circle key={m.code} cx={m.x} cy={m.y} r={3} className={`marker shade-${shade(n)}`} data-country={m.code}>
              <title>{labels.country(name(m.code), n)}</title>
            </circle>
          )
        })}
      </svg>
      <figcaption>
        <span className="hint">{labels.hint}</span>
        {legend.length ? (
          <ul className="legend" aria-label={labels.legend}>
            <li>
              <svg viewBox="0 0 10 10" aria-hidden="true" className="swatch">
                <rect width="10" height="10" className="shade-0" />
              </svg>
              {labels.none}
            </li>
            {legend.map((l, i) => (
              <li key={l.shade}>
                <svg viewBox="0 0 10 10" aria-hidden="true" className="swatch">
                  <rect width="10" height="10" className={`shade-${l.shade}`} />
                </svg>
                {range(l, i)}
              </li>
            ))}
          </ul>
        ) : null}
      </figcaption>
    </figure>
  )
}
