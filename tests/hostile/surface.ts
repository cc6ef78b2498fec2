/**
 * The public surface the hostile battery and the header checks walk. A new public form, token link
 * or page is one line here, and every payload in payloads.ts is then thrown at it.
 */
export const SLUG = 'justice-for-1988'

export interface PublicForm {
  name: string
  path: string
  /** A valid submission; each field in turn is replaced by each payload. */
  fields: Record<string, string>
  /** The field holding the signer's address, made unique per case so caps never hide a result. */
  emailField?: string
}

export const FORMS: PublicForm[] = [
  { name: 'sign', path: `/campaigns/${SLUG}?lang=en`, fields: { name: 'Hostile Tester', email: 'x@example.org', country: 'SE', showName: 'on', newsOptIn: 'on' }, emailField: 'email' },
  // The embeddable form (ADR 132), with the partner consent field (ADR 131) a partner's link adds.
  { name: 'embedded sign', path: `/embed/campaigns/${SLUG}?lang=en`, fields: { name: 'Hostile Tester', email: 'x@example.org', country: 'SE', newsOptIn: 'on', via: 'AAAAAAAAAAAA', partnerOptIn: 'on' }, emailField: 'email' },
  { name: 'resend', path: `/campaigns/${SLUG}/resend?lang=en`, fields: { email: 'x@example.org' }, emailField: 'email' },
  { name: 'organiser sign-in', path: '/admin/login', fields: { email: 'x@example.org', password: 'not the password', redirectTo: '/admin' } },
  { name: 'organiser password reset', path: '/admin/forgot', fields: { email: 'x@example.org' }, emailField: 'email' },
]

/** Links that carry a token in their path; each is tried with GET and POST. */
export const TOKEN_PATHS = ['/s/confirm/', '/s/withdraw/', '/s/unsubscribe/', '/s/inclusion/', '/admin/password/', '/respond/IR/', '/verify/']

/** Every kind of public page and resource, for query-string payloads and the header checks. */
export const PAGES = [
  '/',
  `/campaigns/${SLUG}`,
  `/campaigns/${SLUG}/check-email`,
  `/campaigns/${SLUG}/thanks`,
  `/campaigns/${SLUG}/resend`,
  '/privacy',
  '/dev/mailbox',
  '/no-such-page',
  `/campaigns/no-such-campaign`,
  `/campaigns/${SLUG}/responses`,
  '/admin/login',
  '/admin/forgot',
  `/embed/campaigns/${SLUG}`,
  `/embed/campaigns/${SLUG}/check-email`,
]

export const RESOURCES = [
  `/campaigns/${SLUG}.json`,
  `/campaigns/${SLUG}.csv`,
  '/dev/mailbox/1/html',
  `/campaigns/${SLUG}/og.png`,
  '/.well-known/petition-signing-key',
  // The partners' API (ADR 133): without a key, every path answers a JSON refusal.
  '/api/osdi/v1',
  `/api/osdi/v1/petitions/${SLUG}`,
  `/api/osdi/v1/petitions/${SLUG}/signatures`,
  '/api/osdi/v1/people',
]
