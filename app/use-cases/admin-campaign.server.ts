import type { CampaignInput } from '~/models/campaign-admin.server'
import { LOCALES } from '~/i18n/locales'
import { endsAtOf, parseCountryGoals, parseMilestones, type CampaignFormValue } from '~/utils/campaign-schema'

/** The checked form as the model takes it: only languages with copy, goals parsed. */
export function toCampaignInput(value: CampaignFormValue): CampaignInput {
  const copies: CampaignInput['copies'] = {}
  const milestones: CampaignInput['milestones'] = {}
  for (const locale of LOCALES) {
    const c = value.copy?.[locale]
    if (c?.title && c.summary && c.story && c.ask) copies[locale] = { title: c.title, summary: c.summary, story: c.story, ask: c.ask, victory: c.victory || null }
    const parsed = parseMilestones(c?.milestones ?? '')
    if (parsed.ok && parsed.milestones.length) milestones[locale] = parsed.milestones
  }
  return {
    slug: value.slug,
    status: value.status,
    defaultLocale: value.defaultLocale,
    goal: value.goal,
    copies,
    countryGoals: parseCountryGoals(value.countryGoals ?? '').goals,
    milestones,
    endsAt: endsAtOf(value.endsOn),
    victory: value.victory === true,
  }
}
