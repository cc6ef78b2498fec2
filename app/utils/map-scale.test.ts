import { describe, expect, it } from 'vitest'
import { maskedShadeLegend, maskedShadeOf, shadeLegend, shadeOf, SHADES } from './map-scale'

describe('map shading', () => {
  it('leaves countries without signatures unshaded and gives the largest the darkest shade', () => {
    expect(shadeOf(0, 500)).toBe(0)
    expect(shadeOf(500, 500)).toBe(SHADES)
    expect(shadeOf(1, 500)).toBe(1)
  })

  it('has a legend whose ranges cover every count from 1 to the maximum, each in its own shade', () => {
    for (const max of [1, 2, 3, 7, 40, 999, 123_456]) {
      const legend = shadeLegend(max)
      expect(legend[0].from).toBe(1)
      expect(legend.at(-1)!.to).toBe(max)
      for (let i = 1; i < legend.length; i++) expect(legend[i].from).toBe(legend[i - 1].to + 1)
      for (const { shade, from, to } of legend) {
        expect(shadeOf(from, max)).toBe(shade)
        expect(shadeOf(to, max)).toBe(shade)
      }
    }
  })
})

describe('the public map scale (ADR 107)', () => {
  it('gives every country under the threshold the same shade, and its legend entry says only "fewer than"', () => {
    for (const max of [5, 6, 30, 4_000, 250_000]) {
      expect(new Set([1, 2, 3, 4].map((n) => maskedShadeOf(n, max, 5)))).toEqual(new Set([1]))
      expect(maskedShadeOf(null, max, 5)).toBe(1)
      expect(maskedShadeOf(0, max, 5)).toBe(0)
      expect(maskedShadeOf(5, max, 5)).toBeGreaterThan(1)
      expect(maskedShadeOf(max, max, 5)).toBe(SHADES)
      const legend = maskedShadeLegend(max, 5, true)
      expect(legend[0]).toEqual({ shade: 1, from: 1, to: 4 })
      expect(legend.at(-1)!.to).toBe(max)
      for (let i = 1; i < legend.length; i++) expect(legend[i].from).toBe(legend[i - 1].to + 1)
      for (const { shade, from, to } of legend.slice(1)) {
        expect(maskedShadeOf(from, max, 5)).toBe(shade)
        expect(maskedShadeOf(to, max, 5)).toBe(shade)
      }
    }
  })
})
