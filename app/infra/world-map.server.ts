import { geoCentroid, geoEqualEarth, geoPath } from 'd3-geo'
import type { Feature, FeatureCollection, Geometry } from 'geojson'
import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import { feature } from 'topojson-client'
import type { GeometryCollection, Topology } from 'topojson-specification'
import { UN_STATES } from '~/data/un-states'
import { countryName } from '~/utils/countries'

export const MAP_WIDTH = 960
export const MAP_HEIGHT = 470

export interface MapShape {
  /** ISO alpha-2 of a UN member or observer state; null for other territories, drawn unshaded. */
  code: string | null
  name: string
  d: string
}

/** States too small for the 1:110m outlines, drawn as dots at their centre. */
export interface MapMarker {
  code: string
  name: string
  x: number
  y: number
}

export interface WorldGeometry {
  width: number
  height: number
  shapes: MapShape[]
  markers: MapMarker[]
}

type CountriesTopology = Topology<{ countries: GeometryCollection<{ name: string }> }>

// world-atlas ships JSON only; read through require so no import attributes are needed.
const require = createRequire(import.meta.url)
const ANTARCTICA = '010'
/** Not in world-atlas's 1:50m data either (2.0.2): its centre, from the UN's gazetteer. */
const MISSING_CENTRES: Record<string, [number, number]> = { TV: [179.2, -8.5] }

const BY_M49 = new Map(UN_STATES.map((s) => [s.m49, s.code]))

function countries(file: string): FeatureCollection<Geometry, { name: string }> {
  const topology = require(file) as CountriesTopology
  return feature(topology, topology.objects.countries) as FeatureCollection<Geometry, { name: string }>
}

let cached: WorldGeometry | null = null

/**
 * The world's outlines projected once per process (Equal Earth, so shaded areas are not inflated
 * near the poles), with paths rounded to 0.1px to keep the page small. States missing from the
 * 1:110m outlines are placed from the 1:50m data, read once and let go.
 */
export function worldGeometry(): WorldGeometry {
  if (cached) return cached
  const world = countries('world-atlas/countries-110m.json')
  const drawn: Feature<Geometry, { name: string }>[] = world.features.filter((f) => f.id !== ANTARCTICA)
  const projection = geoEqualEarth().fitSize([MAP_WIDTH, MAP_HEIGHT], { type: 'FeatureCollection', features: drawn })
  const path = geoPath(projection).digits(1)

  const shapes: MapShape[] = []
  const present = new Set<string>()
  for (const f of drawn) {
    const code = (f.id !== undefined && BY_M49.get(String(f.id))) || null
    if (code) present.add(code)
    const d = path(f)
    if (d) shapes.push({ code, name: code ? countryName(code, 'en') : f.properties.name, d })
  }

  const missing = UN_STATES.filter((s) => !present.has(s.code))
  const detailed = missing.length ? countries('world-atlas/countries-50m.json') : null
  const markers: MapMarker[] = []
  for (const s of missing) {
    const f = detailed?.features.find((x) => String(x.id) === s.m49)
    const lonLat = f ? geoCentroid(f) : MISSING_CENTRES[s.code]
    const point = lonLat ? projection(lonLat) : null
    if (point) markers.push({ code: s.code, name: countryName(s.code, 'en'), x: Math.round(point[0] * 10) / 10, y: Math.round(point[1] * 10) / 10 })
  }
  cached = { width: MAP_WIDTH, height: MAP_HEIGHT, shapes, markers }
  return cached
}

/**
 * What a page needs to draw the map: the outlines file's address, then each shape as the id of its
 * outline: a UN member or observer state's code (the page names it in the reader's language), or
 * another territory's id with its name. Small states are dots at a place.
 */
export interface WorldMapData {
  width: number
  height: number
  /** The outlines file, its version in the address so browsers keep it for a year. */
  href: string
  shapes: (string | { id: string; name: string })[]
  markers: { code: string; x: number; y: number }[]
}

/** The address the outlines are served at (app/routes/map[.]svg.ts). */
export const MAP_OUTLINES_PATH = '/map.svg'

const shapeId = (s: MapShape, i: number) => (s.code ? s.code : `x${i}`)

let outlines: { svg: string; version: string } | null = null

/**
 * Every outline once, as one SVG of paths with ids, served from this origin and kept by browsers:
 * the pages point at them with <use> and carry only their codes and shades (ADR 139). Sent inside
 * each page, they were 135 kB of its HTML and 121 kB more of its data.
 */
export function mapOutlines(): { svg: string; version: string } {
  if (outlines) return outlines
  const g = worldGeometry()
  const paths = g.shapes.map((s, i) => `<path id="${shapeId(s, i)}" d="${s.d}"/>`).join('')
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${g.width} ${g.height}">${paths}</svg>`
  outlines = { svg, version: createHash('sha256').update(svg).digest('hex').slice(0, 16) }
  return outlines
}

let mapData: WorldMapData | null = null

/** The map for a page: the same in every language, so made once. */
export function worldMapData(): WorldMapData {
  if (mapData) return mapData
  const g = worldGeometry()
  mapData = {
    width: g.width,
    height: g.height,
    href: `${MAP_OUTLINES_PATH}?v=${mapOutlines().version}`,
    shapes: g.shapes.map((s, i) => s.code ?? { id: shapeId(s, i), name: s.name }),
    markers: g.markers.map(({ code, x, y }) => ({ code, x, y })),
  }
  return mapData
}
