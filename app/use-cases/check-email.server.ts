import type { AppContext } from '~/context.server'
import { localeFromRequest, messagesFor, translator } from '~/i18n/i18n.server'
import type { Vault } from '~/infra/vault.server'
import { getCampaign } from '~/models/campaign.server'
import { isSuggestibleDomain } from '~/utils/email-suggestion'

/**
 * What "check your email" may show of the address just given, and what "wrong address? change it"
 * keeps of the form: carried from the sign to those pages in a cookie sealed with the vault's key,
 * so the address is never in a URL (nor, therefore, in an access log or a browser's history) and
 * nothing in it is readable on the device (docs/decisions/104-masked-address-and-change-it.md).
 */
export const CHECK_COOKIE = 'sign_check'
const MAX_AGE_S = 60 * 60

/** One bullet run, whatever the length, so the mask tells a shoulder-surfer nothing of the length. */
const HIDDEN = '•••'

/**
 * a•••@e•••.org: the first character of the mailbox and of the domain, and the last label of the
 * domain. Enough for the signer to see a typo in the provider or the top-level domain, too little
 * for someone looking over their shoulder to learn the address.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@')
  if (at <= 0) return HIDDEN
  const local = [...email.slice(0, at)]
  const domain = email.slice(at + 1)
  const dot = domain.lastIndexOf('.')
  const host = [...(dot > 0 ? domain.slice(0, dot) : domain)]
  const tld = dot > 0 ? domain.slice(dot) : ''
  return `${local[0]}${HIDDEN}@${host[0] ?? ''}${HIDDEN}${tld}`
}

export interface CheckCookie {
  slug: string
  masked: string
  name: string
  country: string
}

/** The Set-Cookie for the check-email and sign pages of one campaign, for an hour. */
export function checkCookieHeader(vault: Vault, secure: boolean, value: { slug: string; email: string; name: string; country: string }): string {
  const sealed = vault.encrypt(JSON.stringify({ s: value.slug, m: maskEmail(value.email), n: value.name, c: value.country }))
  return `${CHECK_COOKIE}=${sealed}; Max-Age=${MAX_AGE_S}; Path=/campaigns/${value.slug}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`
}

/** The cookie's content for this campaign, or null when absent, for another campaign, or not ours. */
export function readCheckCookie(vault: Vault, cookieHeader: string | null, slug: string): CheckCookie | null {
  const raw = (cookieHeader ?? '')
    .split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${CHECK_COOKIE}=`))
  if (!raw) return null
  try {
    const v = JSON.parse(vault.decrypt(raw.slice(CHECK_COOKIE.length + 1))) as { s?: unknown; m?: unknown; n?: unknown; c?: unknown }
    if (v.s !== slug || typeof v.m !== 'string' || typeof v.n !== 'string' || typeof v.c !== 'string') return null
    return { slug, masked: v.m, name: v.n, country: v.c }
  } catch {
    return null
  }
}

export const CONFIRMED_COOKIE = 'sign_confirmed'

/**
 * Set by the confirmation link on its way to the thank-you page, which says "your signature counts"
 * only with it: anyone else at that address (a shared link, a typed URL) is asked to share instead.
 */
export function confirmedCookieHeader(vault: Vault, secure: boolean, slug: string): string {
  return `${CONFIRMED_COOKIE}=${vault.encrypt(JSON.stringify({ s: slug }))}; Max-Age=${MAX_AGE_S}; Path=/campaigns/${slug}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`
}

export function confirmedHere(vault: Vault, cookieHeader: string | null, slug: string): boolean {
  const raw = (cookieHeader ?? '')
    .split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${CONFIRMED_COOKIE}=`))
  if (!raw) return false
  try {
    return (JSON.parse(vault.decrypt(raw.slice(CONFIRMED_COOKIE.length + 1))) as { s?: unknown }).s === slug
  } catch {
    return false
  }
}

/**
 * What both "check your email" steps (the campaign's and the embed's) show: the campaign, the page
 * title in the reader's language, and a suggested domain only if the spell checker itself made it
 * (ADR 102). Throws 404 for an unknown campaign.
 */
export async function checkEmailPage(context: Pick<AppContext, 'db'>, request: Request, slug: string) {
  const locale = localeFromRequest(request)
  const found = await getCampaign(context.db, slug, locale)
  if (!found) throw new Response('Not found', { status: 404 })
  const suggest = new URL(request.url).searchParams.get('suggest')
  return {
    found,
    page: {
      slug: found.campaign.slug,
      title: found.copy.title,
      pageTitle: translator(locale)('check.title'),
      i18n: messagesFor(locale, ['check', 'confirm', 'embed', 'error', 'link', 'rateLimit', 'sign']),
      suggest: suggest && isSuggestibleDomain(suggest) ? suggest : null,
    },
  }
}
