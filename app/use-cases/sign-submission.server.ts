import { json, redirect } from '@remix-run/node'
import type { SubmissionResult } from '@conform-to/react'
import type { AppContext } from '~/context.server'
import { HONEYPOT_FIELD, PARTNER_OPT_IN_FIELD } from '~/components/sign-form'
import type { Locale } from '~/i18n/i18n.server'
import { getCampaignForSigning } from '~/models/campaign.server'
import { partnerByRef } from '~/models/partner.server'
import { atRiskStatesCached } from '~/models/risk-policy.server'
import { signCampaign } from '~/models/signature.server'
import { attributionFromForm } from '~/infra/attribution.server'
import { checkCookieHeader } from '~/use-cases/check-email.server'
import { countryOfIp } from '~/infra/geoip.server'
import { parseSignForm } from '~/utils/sign-schema.server'
import { suggestEmail } from '~/utils/email-suggestion'

/** What the sign action answers: a redirect to "check your email", or the form again with errors. */
export type SignAnswer =
  | { kind: 'redirect'; location: string; headers?: Record<string, string> }
  | { kind: 'reply'; status: number; reply: SubmissionResult<string[]>; headers?: Record<string, string> }
  | { kind: 'not-found' }

/** A sign the server's direct path already went through, handed to the route to answer (or rethrow). */
export type Presubmitted = SignAnswer | { kind: 'failed'; error: unknown }

/**
 * The route's answer to a sign: the redirect to "check your email", or the form again with its
 * errors (marking the request, so the loader titles the page as refused). The campaign page and the
 * embedded form answer through this.
 */
export function signAnswerResponse(answer: Presubmitted, context: Pick<AppContext, 'formRefused'>): Response {
  switch (answer.kind) {
    case 'failed':
      throw answer.error
    case 'not-found':
      throw new Response('Not found', { status: 404 })
    case 'redirect':
      return redirect(answer.location, { status: 303, headers: answer.headers })
    default:
      context.formRefused = true
      return json(answer.reply, { status: answer.status, headers: answer.headers })
  }
}

export type SignContext = Pick<AppContext, 'db' | 'writes' | 'vault' | 'config' | 'limits' | 'clientIp' | 'clientIpHash' | 'wakeOutbox'>

/**
 * The whole sign action, from the posted fields to the answer: honeypot, campaign status, limits,
 * validation, then the signature and its email in one transaction. The campaign route's action and
 * the server's direct path (server/direct-paths.ts) both answer through this, so they cannot drift
 * apart.
 */
export async function submitSignature(context: SignContext, slug: string, locale: Locale, form: FormData | URLSearchParams): Promise<SignAnswer> {
  const found = await getCampaignForSigning(context.db, slug, locale, context.config.statsCacheMs)
  if (!found) return { kind: 'not-found' }
  const { campaign, title } = found
  // A likely typo in the address's domain is named on the next page, as the domain it may have meant
  // (gmail.com), never the address; worked out before the honeypot so a robot gets the same answer.
  const suggestion = suggestEmail(String(form.get('email') ?? ''))
  const checkEmail = {
    kind: 'redirect',
    location: `/campaigns/${campaign.slug}/check-email?lang=${locale}${suggestion ? `&suggest=${encodeURIComponent(suggestion.domain)}` : ''}`,
  } as const

  // A filled honeypot is a robot: it gets the same answer as a person and nothing is stored.
  if (form.get(HONEYPOT_FIELD)) return checkEmail

  const submission = parseSignForm(form)
  if (campaign.status !== 'open') return { kind: 'reply', status: 409, reply: submission.reply({ formErrors: ['campaign.closed'] }) }
  const limited = await context.limits.sign(context.clientIpHash, campaign.id)
  if (limited) {
    return {
      kind: 'reply',
      status: 429,
      reply: submission.reply({ formErrors: ['rateLimit.body'] }),
      headers: { 'Retry-After': String(limited.retryAfterSeconds) },
    }
  }
  if (submission.status !== 'success') return { kind: 'reply', status: 400, reply: submission.reply() }
  // The campaign-wide budget is charged only for a well-formed signature (ADR 088).
  const overBudget = await context.limits.signBudget(campaign.id)
  if (overBudget) {
    return {
      kind: 'reply',
      status: 429,
      reply: submission.reply({ formErrors: ['rateLimit.body'] }),
      headers: { 'Retry-After': String(overBudget.retryAfterSeconds) },
    }
  }

  const attribution = attributionFromForm(form)
  // The partner link (?via=) rides in a hidden field; a ref of another campaign or a removed partner is no partner.
  const partner = await partnerByRef(context.db, campaign.id, typeof form.get('via') === 'string' ? String(form.get('via')) : null)
  // From a state where signers are at risk, a name is never kept for showing, whatever was ticked (ADR 085).
  const atRisk = await atRiskStatesCached(context.db, campaign.id, context.config.statsCacheMs)
  const input = atRisk.includes(submission.value.country) ? { ...submission.value, showName: false } : submission.value
  await signCampaign(
    { db: context.db, writes: context.writes, vault: context.vault, appUrl: context.config.appUrl, retentionDays: context.config.pendingRetentionDays },
    {
      campaign,
      title,
      input,
      locale,
      ipHash: context.clientIpHash,
      ipCountry: countryOfIp(context.clientIp),
      referrer: attribution.referrer,
      utm: { source: attribution.utmSource, medium: attribution.utmMedium, campaign: attribution.utmCampaign },
      partnerId: partner?.id ?? null,
      // The box is shown only beside a partner the server resolved; a tick sent without one means nothing (ADR 131).
      partnerOptIn: partner !== null && form.get(PARTNER_OPT_IN_FIELD) === 'on',
    },
  )
  context.wakeOutbox()
  // The masked address and "change it" ride in a sealed cookie, never in the URL (ADR 104).
  const cookie = checkCookieHeader(context.vault, context.config.appUrl.startsWith('https:'), {
    slug: campaign.slug,
    email: submission.value.email,
    name: submission.value.name,
    country: submission.value.country,
  })
  return { ...checkEmail, headers: { 'Set-Cookie': cookie } }
}
