import { describe, expect, it } from 'vitest'
import { renderEmail } from '~/email-worker.server'
import MissionLetter, { type MissionLetterProps } from './MissionLetter'

const base: MissionLetterProps = { ...(MissionLetter.PreviewProps as MissionLetterProps) }
const render = async (p: Partial<MissionLetterProps>) => (await renderEmail('mission-letter', { to: 'm@example.org', props: { ...base, ...p } })).text

describe('the cover email to a mission', () => {
  it('opens and closes with the formulas of its language and of English, signed by the sending organisation', async () => {
    const fr = await render({ language: 'fr' })
    expect(fr).toContain('Excellence,')
    expect(fr).toContain('adressée au Représentant permanent')
    expect(fr).toContain('Veuillez agréer, Excellence, les assurances de notre très haute considération.')
    expect(fr).toContain('avec le code ABCD-EFGH-JKMN\u00a0:')
    expect(fr).toContain('Excellency,')
    expect(fr).toContain('Please accept, Excellency, the assurances of our highest consideration.')
    expect(fr).toMatch(/Maryam Example\s+Director\s+Justice Watch/)
    const zh = await render({ language: 'zh' })
    expect(zh).toContain('阁下：')
    expect(zh).toContain('核实码 ABCD-EFGH-JKMN：')
    expect(zh).toContain('顺致最崇高的敬意。')
  })

  it('calls an observer mission’s head Permanent Observer', async () => {
    const observer = await render({ language: 'ar', headTitle: 'observer' })
    expect(observer).toContain('موجهة إلى المراقب الدائم')
    expect(observer).toContain('addressed to the Permanent Observer')
    expect(observer).not.toContain('Permanent Representative')
    const fr = await render({ language: 'fr', headTitle: 'observer' })
    expect(fr).toContain('adressée à l’Observateur permanent')
  })
})
