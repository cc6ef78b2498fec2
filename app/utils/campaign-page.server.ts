import type { AppLoadContext } from '@remix-run/node'
import type { Locale } from '~/i18n/i18n.server'
import { getCampaignStats, recentSigners, type LocalizedCampaign } from '~/models/campaign.server'
import { atRiskStatesCached } from '~/models/risk-policy.server'
import { attributionFrom } from '~/utils/attribution.server'
import { countryName, countryOptions } from '~/utils/countries.server'
import { acceptLanguageTags, regionFromLanguages } from '~/utils/country-search'
import { isCountryCode } from '~/utils/countries'
import { renderMarkdown } from '~/utils/markdown.server'
import { OG_HEIGHT, OG_WIDTH } from '~/utils/og-image.server'

/** What the public campaign page shows; the organisers' preview builds the same for a draft. */
export async function campaignPageData(request: Request, context: AppLoadContext, found: LocalizedCampaign, locale: Locale) {
  const { campaign, copy, fallback, sources } = found
  const cacheMs = context.config.statsCacheMs
  const [stats, recent, atRisk] = await Promise.all([
    getCampaignStats(context.db, campaign.id, cacheMs),
    recentSigners(context.db, context.vault, campaign.id, 8, cacheMs),
    atRiskStatesCached(context.db, campaign.id, cacheMs),
  ])
  return {
    campaign: {
      slug: campaign.slug,
      status: campaign.status,
      goal: campaign.goal,
      title: copy.title,
      summary: copy.summary,
      copyLocale: copy.locale,
      storyHtml: renderMarkdown(copy.story_md),
      askHtml: renderMarkdown(copy.ask_md),
      sources,
      fallback,
    },
    verified: stats.verified,
    topCountries: stats.byCountry.slice(0, 10).map((c) => ({ ...c, name: countryName(c.code, locale) })),
    recent: recent.map((r) => ({ firstName: r.firstName, country: countryName(r.country, locale) })),
    countries: countryOptions(locale),
    /** Preselected from the browser's language region (fa-IR: Iran), used for this answer only: never stored or logged. */
    defaultCountry: regionFromLanguages(acceptLanguageTags(request.headers.get('accept-language')), isCountryCode),
    /** The at-risk states' names as one list in the reader's language, or null (ADR 085). */
    atRisk: countryList(atRisk, locale),
    attribution: attributionFrom(request, context.config.appUrl),
    url: `${context.config.appUrl}/campaigns/${campaign.slug}`,
    locale,
    image: {
      url: `${context.config.appUrl}/campaigns/${campaign.slug}/og.png?lang=${locale}`,
      width: OG_WIDTH,
      height: OG_HEIGHT,
      alt: copy.title,
    },
  }
}

export type CampaignPageData = Awaited<ReturnType<typeof campaignPageData>>

/** Country names joined as the language joins a list ("Iran and Syria", «ایران و سوریه»), or null for none. */
export function countryList(codes: string[], locale: Locale): string | null {
  if (codes.length === 0) return null
  return new Intl.ListFormat(locale, { type: 'conjunction' }).format(codes.map((c) => countryName(c, locale)))
}
