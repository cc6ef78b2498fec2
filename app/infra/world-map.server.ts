import { geoCentroid, geoEqualEarth, geoPath } from 'd3-geo'
import type { Feature, FeatureCollection, Geometry } from 'geojson'
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
