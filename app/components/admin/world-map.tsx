import { shadeLegend, shadeOf } from '~/utils/map-scale'

export interface WorldMapProps {
  geometry: {
    width: number
    height: number
    shapes: { code: string | null; name: string; d: string }[]
    markers: { code: string; name: string; x: number; y: number }[]
  }
  countries: { code: string; name: string; count: number }[]
}

const fmt = (n: number) => n.toLocaleString('en')
const signatures = (n: number) => `${fmt(n)} verified signature${n === 1 ? '' : 's'}`

/**
 * The map as inline SVG, drawn on the server. Screen readers get one summary (role="img"); the
 * table beside it holds every figure. Each country's <title> is the hover label for everyone else.
 */
export function WorldMap({ geometry, countries }: WorldMapProps) {
  const counts = new Map(countries.map((c) => [c.code, c.count]))
  const max = Math.max(0, ...countries.map((c) => c.count))
  const shaded = countries.filter((c) => c.count > 0).sort((a, b) => b.count - a.count)
  const summary =
    shaded.length === 0
      ? 'World map of verified signatures by country: no verified signature yet.'
      : `World map of verified signatures by country: ${shaded.length} ${shaded.length === 1 ? 'country has' : 'countries have'} signers; most from ${shaded
          .slice(0, 3)
          .map((c) => `${c.name} (${fmt(c.count)})`)
          .join(', ')}. Every figure is in the table of countries.`
  const legend = shadeLegend(max)
  return (
    <figure className="world-map">
      <svg viewBox={`0 0 ${geometry.width} ${geometry.height}`} role="img" aria-label={summary} className="map">
        {geometry.shapes.map((s, i) => {
          const n = s.code ? (counts.get(s.code) ?? 0) : 0
          return (
            <path key={s.code ?? `other-${i}`} d={s.d} className={s.code ? `shade-${shadeOf(n, max)}` : 'map-other'} data-country={s.code ?? undefined}>
              <title>{s.code ? `${s.name}: ${signatures(n)}` : `${s.name} (not a UN member or observer state)`}</title>
            </path>
          )
        })}
        {geometry.markers.map((m) => {
          const n = counts.get(m.code) ?? 0
          return (
            <circle key={m.code} cx={m.x} cy={m.y} r={3} className={`marker shade-${shadeOf(n, max)}`} data-country={m.code}>
              <title>{`${m.name}: ${signatures(n)}`}</title>
            </circle>
          )
        })}
      </svg>
      <figcaption>
        <span className="hint">Verified signatures (small states are dots).</span>
        {legend.length ? (
          <ul className="legend" aria-label="Map legend">
            <li>
              <svg viewBox="0 0 10 10" aria-hidden="true" className="swatch">
                <rect width="10" height="10" className="shade-0" />
              </svg>
              none
            </li>
            {legend.map((l) => (
              <li key={l.shade}>
                <svg viewBox="0 0 10 10" aria-hidden="true" className="swatch">
                  <rect width="10" height="10" className={`shade-${l.shade}`} />
                </svg>
                {l.from === l.to ? fmt(l.from) : `${fmt(l.from)}–${fmt(l.to)}`}
              </li>
            ))}
          </ul>
        ) : null}
      </figcaption>
    </figure>
  )
}
