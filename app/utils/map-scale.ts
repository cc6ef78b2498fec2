/** Shades of the map, lightest (1) to darkest (SHADES); 0 is "no verified signature". */
export const SHADES = 5

// A logarithmic scale: one country with most signers would otherwise leave every other one pale.
export function shadeOf(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0
  return Math.min(SHADES, Math.max(1, Math.ceil((SHADES * Math.log(count + 1)) / Math.log(max + 1) - 1e-9)))
}

/** The count range each shade stands for, for the legend; shades no count can reach are left out. */
export function shadeLegend(max: number): { shade: number; from: number; to: number }[] {
  if (max <= 0) return []
  const upper = (k: number) => (k === SHADES ? max : Math.floor((max + 1) ** (k / SHADES) - 1 + 1e-9))
  const legend: { shade: number; from: number; to: number }[] = []
  let from = 1
  for (let k = 1; k <= SHADES; k++) {
    const to = Math.min(max, upper(k))
    if (to >= from) {
      legend.push({ shade: k, from, to })
      from = to + 1
    }
  }
  return legend
}
