/** Shades of the map, lightest (1) to darkest (SHADES); 0 is "no verified signature". */
export const SHADES = 5

// A logarithmic scale: one country with most signers would otherwise leave every other one pale.
export function shadeOf(count: number, max: number, shades = SHADES): number {
  if (count <= 0 || max <= 0) return 0
  return Math.min(shades, Math.max(1, Math.ceil((shades * Math.log(count + 1)) / Math.log(max + 1) - 1e-9)))
}

/** The count range each shade stands for, for the legend; shades no count can reach are left out. */
export function shadeLegend(max: number, shades = SHADES): { shade: number; from: number; to: number }[] {
  if (max <= 0) return []
  const upper = (k: number) => (k === shades ? max : Math.floor((max + 1) ** (k / shades) - 1 + 1e-9))
  const legend: { shade: number; from: number; to: number }[] = []
  let from = 1
  for (let k = 1; k <= shades; k++) {
    const to = Math.min(max, upper(k))
    if (to >= from) {
      legend.push({ shade: k, from, to })
      from = to + 1
    }
  }
  return legend
}

/**
 * The public map's scale (ADR 107): a country with fewer than `min` verified signers is only
 * "fewer than min" (count null), always shade 1; counts from `min` up share the other shades on
 * the same logarithmic scale, so no shade or legend entry narrows a small count down.
 */
export function maskedShadeOf(count: number | null, max: number, min: number): number {
  if (count === null) return 1
  if (count <= 0) return 0
  if (count < min) return 1
  return 1 + shadeOf(count - min + 1, max - min + 1, SHADES - 1)
}

export function maskedShadeLegend(max: number | null, min: number, hasMasked: boolean): { shade: number; from: number; to: number }[] {
  const low = hasMasked ? [{ shade: 1, from: 1, to: min - 1 }] : []
  if (max === null || max < min) return low
  return [...low, ...shadeLegend(max - min + 1, SHADES - 1).map((l) => ({ shade: l.shade + 1, from: l.from + min - 1, to: l.to + min - 1 }))]
}
