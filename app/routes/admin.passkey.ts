import { json, type ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { audit } from '~/models/organiser.server'
import { organiserName } from '~/models/organiser.server'
import { passkeyRegistrationOptions, passkeySignInOptions, registerPasskey, signInWithPasskey } from '~/models/second-factor.server'
import { endSignInFlow, ensureSignInFlow, requireOrganiser, safeRedirect, sessionBinding, signInFlow, startSession } from '~/infra/auth.server'

const MAX_BODY = 64 * 1024

const BodySchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('sign-in-options') }),
  z.object({ intent: z.literal('sign-in'), response: z.record(z.string(), z.unknown()), redirectTo: z.string().max(2048).optional() }),
  z.object({ intent: z.literal('register-options') }),
  z.object({ intent: z.literal('register'), response: z.record(z.string(), z.unknown()) }),
])

const refuse = (status: number, error: string, headers?: HeadersInit) => json({ error }, { status, headers })

/** The passkey ceremonies: options with a fresh challenge, then the authenticator's answer (ADR 094). */
export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== 'POST') return refuse(405, 'Use POST.')
  const text = await request.text()
  if (text.length > MAX_BODY) return refuse(413, 'That request is too large.')
  let body: z.infer<typeof BodySchema>
  try {
    const parsed = BodySchema.safeParse(JSON.parse(text))
    if (!parsed.success) return refuse(400, 'That request is not a passkey request.')
    body = parsed.data
  } catch {
    return refuse(400, 'That request is not a passkey request.')
  }
  const { db, config } = context

  if (body.intent === 'sign-in-options' || body.intent === 'sign-in') {
    const limited = await context.limits.login(context.clientIpHash)
    if (limited) return refuse(429, 'Too many sign-in attempts. Wait a few minutes and try again.', { 'Retry-After': String(limited.retryAfterSeconds) })
    if (body.intent === 'sign-in-options') {
      const { flow, setCookie } = await ensureSignInFlow(request, context)
      const options = await passkeySignInOptions(db, config.appUrl, flow)
      return json({ options }, { headers: setCookie ? { 'Set-Cookie': setCookie } : undefined })
    }
    const flow = await signInFlow(request, context)
    const organiserId = flow ? await signInWithPasskey(db, config.appUrl, body.response as never, flow) : null
    if (!organiserId) return refuse(401, 'That passkey was not accepted. Try again, or sign in with your password.')
    const organiser = await db.selectFrom('organisers').select(['id', 'disabled_at']).where('id', '=', organiserId).executeTakeFirst()
    if (!organiser || organiser.disabled_at !== null) return refuse(401, 'That passkey was not accepted. Try again, or sign in with your password.')
    const headers = new Headers()
    headers.append('Set-Cookie', await startSession(request, context, organiserId))
    headers.append('Set-Cookie', await endSignInFlow(context))
    await audit(db, { organiserId, action: 'sign-in', details: { factor: 'passkey' }, ipHash: context.clientIpHash })
    return json({ redirectTo: safeRedirect(body.redirectTo) }, { headers })
  }

  const organiser = await requireOrganiser(request, context, 'viewer', { enrolling: true, partner: true })
  const binding = await sessionBinding(request, context)
  if (!binding) return refuse(401, 'Sign in first.')
  if (body.intent === 'register-options') {
    const email = context.vault.decrypt(organiser.email_enc)
    const options = await passkeyRegistrationOptions(db, config.appUrl, organiser.id, email, binding)
    // The display name is the organiser's own, shown by their authenticator only.
    options.user.displayName = organiserName(context.vault, organiser) || email
    return json({ options })
  }
  const ok = await registerPasskey(db, config.appUrl, organiser.id, body.response as never, binding)
  if (!ok) return refuse(400, 'That passkey could not be added. Try again.')
  await audit(db, { organiserId: organiser.id, action: 'second-factor-added', details: { factor: 'passkey' }, ipHash: context.clientIpHash })
  return json({ ok: true })
}
