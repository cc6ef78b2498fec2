import { describe, expect, it } from 'vitest'
import { normalize } from './sign-form'

describe('the country search', () => {
  it('matches whatever accents, Arabic letter forms or diacritics the reader types', () => {
    expect(normalize('Côte d’Ivoire')).toContain(normalize('cote'))
    expect(normalize('México')).toBe(normalize('mexico'))
    expect(normalize('المملكة العربية السعودية')).toContain(normalize('السعوديه'))
    expect(normalize('إيران')).toBe(normalize('ايران'))
    expect(normalize('كندا')).toBe(normalize('کندا'))
    expect(normalize('سوريـا')).toBe(normalize('سوريا'))
  })
})
