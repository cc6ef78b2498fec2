import type { AppLoadContext } from '@remix-run/node'
import { messagesFor, type Locale } from '~/i18n/i18n.server'
import { getCampaignStats, recentSigners, type LocalizedCampaign } from '~/models/campaign.server'
import { effectiveStatus, maskSmallCounts, milestonesFor, publicUpdates, PUBLIC_MAP_MIN } from '~/models/campaign-story.server'
import { numberLocale } from '~/i18n/locales'
import { worldMapData } from '~/infra/world-map.server'
import { atRiskStatesCached } from '~/models/risk-policy.server'
import { attributionFrom } from '~/infra/attribution.server'
import { partnerByRef } from '~/models/partner.server'
import { publicPaperTotal } from '~/models/paper-signature.server'
import { countryName, countryOptions } from '~/infra/countries.server'
import { acceptLanguageTags, regionFromLanguages } from '~/utils/country-search'
import { isCountryCode } from '~/utils/countries'
import { renderMarkdown } from '~/infra/markdown.server'
import { OG_HEIGHT, OG_WIDTH } from '~/infra/og-image.server'
import { altFor, getLeadImage, LEAD_IMAGE_WIDTHS } from '~/models/lead-image.server'
import { leadImageUrl } from '~/utils/lead-image'

/** What the public campaign page shows; the organisers' preview builds the same for a draft. */
export async function campaignPageData(request: Request, context: AppLoadContext, found: LocalizedCampaign, locale: Locale) {
  const { campaign, copy, fallback, sources } = found
  const cacheMs = context.config.statsCacheMs
  const [stats, recent, atRisk, milestones, updates, partner, leadImage, paper] = await Promise.all([
    getCampaignStats(context.db, campaign.id, cacheMs),
    recentSigners(context.db, context.vault, campaign.id, 8, cacheMs),
    atRiskStatesCached(context.db, campaign.id, cacheMs),
    milestonesFor(context.db, campaign.id, copy.locale, campaign.default_locale),
    publicUpdates(context.db, campaign.id, locale, 3),
    // A partner's share link (?via=, ADR 122): kept through the form so the signature records it.
    partnerByRef(context.db, campaign.id, new URL(request.url).searchParams.get('via')),
    getLeadImage(context.db, campaign.id),
    publicPaperTotal(context.db, campaign.id),
  ])
  const now = Date.now()
  const status = effectiveStatus(campaign, now)
  const endsAt = campaign.ends_at === null ? null : Number(campaign.ends_at)
  // The same small-count rule for the map, the list and the public counts (ADR 107, ADR 113).
  const countries = maskSmallCounts(stats.byCountry).map((c) => ({ ...c, name: countryName(c.code, locale) }))
  return {
    campaign: {
      slug: campaign.slug,
      status,
      /** The last day signatures are taken, written in the reader's language, or null. */
      endsOn: endsAt === null ? null : formatDay(endsAt - 1, locale),
      ended: endsAt !== null && endsAt <= now,
      victory: campaign.victory_at === null ? null : { text: copy.victory_text ?? null },
      goal: campaign.goal,
      title: copy.title,
      summary: copy.summary,
      copyLocale: copy.locale,
      storyHtml: renderMarkdown(copy.story_md),
      askHtml: renderMarkdown(copy.ask_md),
      sources,
      fallback,
    },
    /** The organisers' picture with its alt text in the reader's language, or the default one's, saying which (ADR 114). */
    leadImage: leadImage
      ? {
          src: leadImageUrl(campaign.slug, leadImage.version, 'large'),
          srcSet: `${leadImageUrl(campaign.slug, leadImage.version, 'small')} ${LEAD_IMAGE_WIDTHS.small}w, ${leadImageUrl(campaign.slug, leadImage.version, 'large')} ${LEAD_IMAGE_WIDTHS.large}w`,
          width: leadImage.width,
          height: leadImage.height,
          alt: altFor(leadImage, locale, campaign.default_locale),
        }
      : null,
    verified: stats.verified,
    /** Signatures gathered on paper, stated apart only where organisers chose to (ADR 134); never in `verified` or the goal. */
    paper,
    milestones: milestones.map((m) => ({ ...m, reached: stats.verified >= m.threshold })),
    updates: updates.map((u) => ({ id: u.id, title: u.title, locale: u.locale, sentOn: formatDay(u.sentAt, locale) })),
    map: {
      // The states are named from `countries` below, in the reader's language.
      geometry: worldMapData(),
      countries,
      minShown: PUBLIC_MAP_MIN,
    },
    topCountries: countries.slice(0, 10),
    recent: recent.map((r) => ({ firstName: r.firstName, country: countryName(r.country, locale) })),
    countries: countryOptions(locale),
    /** Preselected from the browser's language region (fa-IR: Iran), used for this answer only: never stored or logged. */
    defaultCountry: regionFromLanguages(acceptLanguageTags(request.headers.get('accept-language')), isCountryCode),
    /** The at-risk states' names as one list in the reader's language, or null (ADR 085). */
    atRisk: countryList(atRisk, locale),
    attribution: attributionFrom(request, context.config.appUrl),
    partner: partner ? { ref: partner.ref, name: partner.name, privacyUrl: partner.privacyUrl } : null,
    url: `${context.config.appUrl}/campaigns/${campaign.slug}`,
    locale,
    // The sign form's refusals from the server are under campaign, error and rateLimit.
    i18n: messagesFor(locale, ['campaign', 'check', 'error', 'map', 'milestones', 'paper', 'rateLimit', 'sign', 'thanks', 'updates']),
    image: {
      url: `${context.config.appUrl}/campaigns/${campaign.slug}/og.png?lang=${locale}`,
      width: OG_WIDTH,
      height: OG_HEIGHT,
      alt: copy.title,
    },
  }
}

/** A day as the reader's language writes it (Persian in its own calendar), in UTC like the end date. */
export function formatDay(ms: number, locale: Locale): string {
  return new Intl.DateTimeFormat(numberLocale(locale), { dateStyle: 'long', timeZone: 'UTC' }).format(ms)
}

export type CampaignPageData = Awaited<ReturnType<typeof campaignPageData>>

/** Country names joined as the language joins a list ("Iran and Syria", «ایران و سوریه»), or null for none. */
export function countryList(codes: string[], locale: Locale): string | null {
  if (codes.length === 0) return null
  return new Intl.ListFormat(locale, { type: 'conjunction' }).format(codes.map((c) => countryName(c, locale)))
}
