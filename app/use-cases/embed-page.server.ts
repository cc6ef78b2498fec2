import type { AppLoadContext } from '@remix-run/node'
import { messagesFor, type Locale } from '~/i18n/i18n.server'
import { getCampaign, getCampaignStats } from '~/models/campaign.server'
import { effectiveStatus } from '~/models/campaign-story.server'
import { atRiskStatesCached } from '~/models/risk-policy.server'
import { attributionFrom } from '~/infra/attribution.server'
import { PARTNER_REF, partnerByRef } from '~/models/partner.server'
import { countryOptions } from '~/infra/countries.server'
import { acceptLanguageTags, regionFromLanguages } from '~/utils/country-search'
import { isCountryCode } from '~/utils/countries'
import { storedOrigins } from '~/utils/embed'
import { loopbackAllowed } from '~/utils/loopback'
import { countryList } from '~/use-cases/campaign-page.server'
import type { SignAnswer } from '~/use-cases/sign-submission.server'

/**
 * What the embeddable form shows (ADR 132): the title, the verified count and the sign form, without
 * the story, map or signers of the full page. Null for an unknown slug or a draft.
 */
export async function embedPageData(request: Request, context: AppLoadContext, locale: Locale, slug: string) {
  const found = await getCampaign(context.db, slug, locale)
  if (!found) return null
  const { campaign, copy } = found
  const cacheMs = context.config.statsCacheMs
  const [stats, atRisk, partner] = await Promise.all([
    getCampaignStats(context.db, campaign.id, cacheMs),
    atRiskStatesCached(context.db, campaign.id, cacheMs),
    // A partner's embed carries its ref (?via=), so its signers are counted for it (ADR 122).
    partnerByRef(context.db, campaign.id, new URL(request.url).searchParams.get('via')),
  ])
  return {
    campaign: { slug: campaign.slug, title: copy.title, copyLocale: copy.locale, open: effectiveStatus(campaign, Date.now()) === 'open' },
    verified: stats.verified,
    countries: countryOptions(locale),
    defaultCountry: regionFromLanguages(acceptLanguageTags(request.headers.get('accept-language')), isCountryCode),
    atRisk: countryList(atRisk, locale),
    // The referring host is the partner's site: the frame's request carries it (the snippet asks for the origin only).
    attribution: attributionFrom(request, context.config.appUrl),
    partner: partner ? { ref: partner.ref, name: partner.name } : null,
    i18n: messagesFor(locale, ['campaign', 'embed', 'error', 'rateLimit', 'sign']),
    /** The sites that may frame this page, for its script to check the parent against (the header already enforces them). */
    origins: storedOrigins(campaign.embed_origins, loopbackAllowed(context.config.env)),
    locale,
  }
}

export type EmbedPageData = NonNullable<Awaited<ReturnType<typeof embedPageData>>>

/**
 * The sign answer as the frame needs it: "check your email" inside the frame, and no cookie (a frame
 * on another site cannot count on one; the masked address it would carry is not shown there).
 */
export function embedAnswer(answer: SignAnswer, via: string | null): SignAnswer {
  if (answer.kind !== 'redirect') return answer
  const url = new URL(answer.location, 'http://app.invalid')
  // Kept for "sign again" from the step, so a corrected signature still counts for the partner.
  if (via && PARTNER_REF.test(via)) url.searchParams.set('via', via)
  return { kind: 'redirect', location: `/embed${url.pathname}${url.search}` }
}
