import { createCookie, json, redirect, type AppLoadContext } from '@remix-run/node'
import type { RoleNeeded } from '~/utils/role-needed'
import type { Organiser, Role } from '~/db.server'
import { createSession, endSession, hasRole, organiserForSession, SESSION_TTL } from '~/models/organiser.server'
import { CHALLENGE_TTL, hasSecondFactor, newFlowToken } from '~/models/second-factor.server'
import { hashToken } from '~/infra/vault.server'

function sessionCookie(context: AppLoadContext) {
  const secure = context.config.appUrl.startsWith('https:')
  // __Host- binds the cookie to this exact origin; browsers accept the prefix only over HTTPS.
  return createCookie(secure ? '__Host-session' : 'session', {
    secrets: [context.config.secrets.SESSION_SECRET.toString('base64')],
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: SESSION_TTL / 1000,
  })
}

async function sessionId(request: Request, context: AppLoadContext): Promise<string | null> {
  const value = await sessionCookie(context).parse(request.headers.get('Cookie'))
  return typeof value === 'string' && value.length > 0 ? value : null
}

/** What a WebAuthn challenge made for a signed-in organiser is bound to: their session, hashed. */
export async function sessionBinding(request: Request, context: AppLoadContext): Promise<string | null> {
  const id = await sessionId(request, context)
  return id ? `session:${hashToken(id)}` : null
}

/**
 * The cookie of a sign-in in progress (after the password, before the second factor; or a passkey
 * ceremony): a random value the pending sign-in and challenges are bound to, for five minutes.
 */
function flowCookie(context: AppLoadContext) {
  const secure = context.config.appUrl.startsWith('https:')
  return createCookie(secure ? '__Host-signin' : 'signin', {
    secrets: [context.config.secrets.SESSION_SECRET.toString('base64')],
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: '/',
    maxAge: CHALLENGE_TTL / 1000,
  })
}

export async function signInFlow(request: Request, context: AppLoadContext): Promise<string | null> {
  const value = await flowCookie(context).parse(request.headers.get('Cookie'))
  return typeof value === 'string' && value.length > 0 ? value : null
}

/** The flow of this request, or a new one with the Set-Cookie header that starts it. */
export async function ensureSignInFlow(request: Request, context: AppLoadContext): Promise<{ flow: string; setCookie: string | null }> {
  const existing = await signInFlow(request, context)
  if (existing) return { flow: existing, setCookie: null }
  const flow = newFlowToken()
  return { flow, setCookie: await flowCookie(context).serialize(flow) }
}

export async function newSignInFlow(context: AppLoadContext): Promise<{ flow: string; setCookie: string }> {
  const flow = newFlowToken()
  return { flow, setCookie: await flowCookie(context).serialize(flow) }
}

export function endSignInFlow(context: AppLoadContext): Promise<string> {
  return flowCookie(context).serialize('', { maxAge: 0 })
}

/** Whether this organiser must add a second factor before anything else (ADR 094). */
export async function mustEnrolSecondFactor(context: AppLoadContext, organiser: Organiser): Promise<boolean> {
  return context.config.requireSecondFactorForAdmins && organiser.role === 'admin' && !(await hasSecondFactor(context.db, organiser.id))
}

export async function optionalOrganiser(request: Request, context: AppLoadContext): Promise<Organiser | null> {
  const id = await sessionId(request, context)
  return id ? organiserForSession(context.db, id) : null
}

/**
 * The signed-in organiser with at least `role`. Without a session: to the sign-in page (a GET) or
 * 401; with too small a role: 403. A partner's organiser (ADR 131) is refused (403) by every route
 * that does not say `partner: true`, whatever its role: the scope is closed unless a route opens it.
 */
export async function requireOrganiser(
  request: Request,
  context: AppLoadContext,
  role: Role = 'viewer',
  opts: { enrolling?: boolean; partner?: boolean } = {},
): Promise<Organiser> {
  const organiser = await optionalOrganiser(request, context)
  if (!organiser) {
    if (request.method === 'GET') {
      const url = new URL(request.url)
      throw redirect(`/admin/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`)
    }
    throw new Response('Sign in first', { status: 401 })
  }
  if (organiser.partner_id !== null && !opts.partner) {
    throw json({ reason: 'role', needed: role, have: organiser.role, partner: true } satisfies RoleNeeded, { status: 403 })
  }
  // Read by the organisers' error page (app/components/admin/role-needed.tsx), which names the role.
  if (!hasRole(organiser.role, role)) throw json({ reason: 'role', needed: role, have: organiser.role } satisfies RoleNeeded, { status: 403 })
  // An admin without a second factor, where one is required, may only add one (ADR 094).
  if (!opts.enrolling && (await mustEnrolSecondFactor(context, organiser))) {
    if (request.method === 'GET') throw redirect('/admin/account')
    throw new Response('Add a passkey or an authenticator app on your account page first', { status: 403 })
  }
  return organiser
}

export async function startSession(request: Request, context: AppLoadContext, organiserId: string): Promise<string> {
  const id = await createSession(context.db, organiserId, {
    ipHash: context.clientIpHash,
    userAgent: request.headers.get('User-Agent'),
  })
  return sessionCookie(context).serialize(id)
}

export async function closeSession(request: Request, context: AppLoadContext): Promise<string> {
  const id = await sessionId(request, context)
  if (id) await endSession(context.db, id)
  return sessionCookie(context).serialize('', { maxAge: 0 })
}

// Browsers drop tabs and newlines inside a URL and read a backslash as a slash, so `/<tab>/host` and
// `/\host` are `//host`: no control character or backslash is allowed, raw or percent-encoded.
// eslint-disable-next-line no-control-regex -- control characters are what this refuses
const UNSAFE_IN_REDIRECT = /[\u0000-\u001f\u007f\\]/

/** Only paths on this site, never //other.host or a scheme: a user-given redirect stays home. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/admin'): string {
  if (typeof to !== 'string' || to.length > 2048 || !to.startsWith('/') || to.startsWith('//')) return fallback
  let decoded: string
  try {
    decoded = decodeURIComponent(to)
  } catch {
    return fallback
  }
  if (UNSAFE_IN_REDIRECT.test(to) || UNSAFE_IN_REDIRECT.test(decoded) || decoded.startsWith('//')) return fallback
  const base = 'http://same-origin.invalid'
  const url = new URL(to, base)
  // Dot segments collapse after the checks above: `/..//host` and `/%2e//host` come out as `//host`.
  if (url.origin !== base || url.pathname.startsWith('//')) return fallback
  return `${url.pathname}${url.search}${url.hash}`
}
