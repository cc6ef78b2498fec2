import MailSpellChecker from '@zootools/email-spell-checker'
import { emailDomain } from './email-address'

/**
 * A likely correction of a mistyped email domain ("gmial.com" → "gmail.com"), from
 * @zootools/email-spell-checker's list of popular domains and top-level domains (ADR 102). It runs
 * in the page and on the server alike and makes no network call; it only suggests, never changes
 * what a person typed.
 */
export function suggestEmail(email: string): { full: string; domain: string } | null {
  const trimmed = email.trim()
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(trimmed)) return null
  const suggestion = MailSpellChecker.run({ email: trimmed })
  if (!suggestion || emailDomain(suggestion.domain) === emailDomain(trimmed)) return null
  return { full: suggestion.full, domain: suggestion.domain }
}

/** The checker's own second-level names (yahoo.…, hotmail.…), which it pairs with its top-level domains. */
const SECOND_LEVEL = ['yahoo', 'hotmail', 'mail', 'live', 'outlook']

/**
 * Whether a domain is one the checker may suggest: the check-email page, which takes it from its
 * address, names no other (a crafted link cannot make it suggest a domain of someone's choosing).
 */
export function isSuggestibleDomain(domain: string): boolean {
  if (MailSpellChecker.POPULAR_DOMAINS.includes(domain)) return true
  const dot = domain.indexOf('.')
  return dot > 0 && SECOND_LEVEL.includes(domain.slice(0, dot)) && MailSpellChecker.POPULAR_TLDS.includes(domain.slice(dot + 1))
}
