import { describe, expect, it } from 'vitest'
import { neutraliseCell, restoreCell } from './mission.server'

describe('CSV cells', () => {
  it('turns anything a spreadsheet would run into text, and back', () => {
    for (const danger of ['=1+1', '+33 1 23', '-2', '@SUM(A1)', '\tx', '\rx']) {
      expect(neutraliseCell(danger)).toBe(`'${danger}`)
      expect(restoreCell(neutraliseCell(danger))).toBe(danger)
    }
    expect(neutraliseCell('Permanent Mission, 866 UN Plaza')).toBe('Permanent Mission, 866 UN Plaza')
    expect(restoreCell("'quoted")).toBe("'quoted")
  })
})
