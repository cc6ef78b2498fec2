import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { audit } from '~/models/organiser.server'
import {
  confirmTotp,
  factorsOf,
  newRecoveryCodes,
  pendingTotpEnrolment,
  removePasskey,
  removeTotp,
  startTotpEnrolment,
} from '~/models/second-factor.server'
import { mustEnrolSecondFactor, requireOrganiser } from '~/infra/auth.server'
import { AddPasskey } from '~/components/admin/passkey'

export const meta = () => [{ title: 'Your account · Organisers' }, { name: 'robots', content: 'noindex' }]

const qrcode = async () => (await import('qrcode')).default

const ActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('totp-start') }),
  z.object({ intent: z.literal('totp-confirm'), code: z.string().trim().regex(/^\d{6}$/, 'Enter the six-digit code your app shows now.') }),
  z.object({ intent: z.literal('totp-remove') }),
  z.object({ intent: z.literal('passkey-remove'), id: z.string().min(1).max(1024) }),
  z.object({ intent: z.literal('recovery-new') }),
])

export async function loader({ request, context }: LoaderFunctionArgs) {
  const organiser = await requireOrganiser(request, context, 'viewer', { enrolling: true, partner: true })
  const email = context.vault.decrypt(organiser.email_enc)
  const [factors, pending, mustEnrol] = await Promise.all([
    factorsOf(context.db, organiser.id),
    pendingTotpEnrolment(context.db, context.vault, organiser.id, email),
    mustEnrolSecondFactor(context, organiser),
  ])
  const qr = pending ? await (await qrcode()).toString(pending.uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }) : null
  return json(
    { factors, pending: pending ? { secret: pending.secret, qr } : null, mustEnrol },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

export async function action({ request, context }: ActionFunctionArgs) {
  const organiser = await requireOrganiser(request, context, 'viewer', { enrolling: true, partner: true })
  const parsed = ActionSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) {
    return json({ error: parsed.error.issues[0]?.message ?? 'That request was not understood.', codes: null }, { status: 400 })
  }
  const body = parsed.data
  const { db, vault } = context
  const ipHash = context.clientIpHash
  const log = (action: string, details: Record<string, unknown>) => audit(db, { organiserId: organiser.id, action, target: organiser.id, details, ipHash })
  switch (body.intent) {
    case 'totp-start': {
      const started = await startTotpEnrolment(db, vault, organiser, vault.decrypt(organiser.email_enc))
      if (!started) return json({ error: 'Remove the authenticator app you have before adding another.', codes: null }, { status: 409 })
      return json({ error: null, codes: null })
    }
    case 'totp-confirm': {
      if (!(await confirmTotp(db, vault, organiser.id, body.code))) {
        return json({ error: 'That code is not the one your app shows now. Check the app and try again.', codes: null }, { status: 400 })
      }
      await log('second-factor-added', { factor: 'totp' })
      // Recovery codes come with the first factor; later ones keep the codes already given.
      const codes = (await factorsOf(db, organiser.id)).recoveryCodesLeft === 0 ? await newRecoveryCodes(db, organiser.id) : null
      if (codes) await log('recovery-codes-issued', { count: codes.length })
      return json({ error: null, codes })
    }
    case 'totp-remove': {
      if (await removeTotp(db, organiser.id)) await log('second-factor-removed', { factor: 'totp' })
      return json({ error: null, codes: null })
    }
    case 'passkey-remove': {
      if (!(await removePasskey(db, organiser.id, body.id))) return json({ error: 'That passkey is not on your account.', codes: null }, { status: 404 })
      await log('second-factor-removed', { factor: 'passkey' })
      return json({ error: null, codes: null })
    }
    case 'recovery-new': {
      const factors = await factorsOf(db, organiser.id)
      if (!factors.totp && factors.passkeys.length === 0) {
        return json({ error: 'Add a passkey or an authenticator app first.', codes: null }, { status: 409 })
      }
      const codes = await newRecoveryCodes(db, organiser.id)
      await log('recovery-codes-issued', { count: codes.length })
      return json({ error: null, codes })
    }
  }
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)

export default function Account() {
  const { factors, pending, mustEnrol } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const [params] = useSearchParams()
  const hasFactor = factors.totp || factors.passkeys.length > 0
  return (
    <div className="panel">
      <h1>Your account</h1>
      {mustEnrol ? (
        <p role="alert" className="notice">
          Admins must sign in with a second factor. Add a passkey or an authenticator app before anything else.
        </p>
      ) : null}
      {params.get('recovered') ? (
        <p role="status">{`You signed in with a recovery code, which no longer works. You have ${factors.recoveryCodesLeft} left.`}</p>
      ) : null}
      {data?.error ? (
        <p className="error" role="alert">
          {data.error}
        </p>
      ) : null}
      {data?.codes ? (
        <section aria-labelledby="codes-heading" className="recovery-codes">
          <h2 id="codes-heading">Your recovery codes</h2>
          <p>Keep these somewhere safe, away from your phone. Each works once, in place of a code from your app or a passkey. They are shown only now.</p>
          <ul>
            {data.codes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="totp-heading">
        <h2 id="totp-heading">Authenticator app</h2>
        {factors.totp ? (
          <Form method="post">
            <p>An authenticator app is in use.</p>
            <input type="hidden" name="intent" value="totp-remove" />
            <button type="submit">Remove the authenticator app</button>
          </Form>
        ) : pending ? (
          <>
            <p>Scan this code with your authenticator app, or type the key into it, then enter the six digits it shows.</p>
            <div role="img" aria-label="QR code of the key for your authenticator app" className="qr" dangerouslySetInnerHTML={{ __html: pending.qr ?? '' }} />
            <p>
              Key: <code>{pending.secret}</code>
            </p>
            <Form method="post">
              <input type="hidden" name="intent" value="totp-confirm" />
              <div className="field">
                <label htmlFor="totp-code">Code from the app</label>
                <input id="totp-code" name="code" type="text" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" required />
              </div>
              <button type="submit">Turn on</button>
            </Form>
          </>
        ) : (
          <Form method="post">
            <input type="hidden" name="intent" value="totp-start" />
            <button type="submit">Set up an authenticator app</button>
          </Form>
        )}
      </section>

      <section aria-labelledby="passkeys-heading">
        <h2 id="passkeys-heading">Passkeys</h2>
        {factors.passkeys.length ? (
          <ul>
            {factors.passkeys.map((p, i) => (
              <li key={p.id}>
                Passkey {i + 1}, added {day(p.createdAt)}
                {p.lastUsedAt ? `, last used ${day(p.lastUsedAt)}` : ''}
                <Form method="post" className="inline">
                  <input type="hidden" name="intent" value="passkey-remove" />
                  <input type="hidden" name="id" value={p.id} />
                  <button type="submit" aria-label={`Remove passkey ${i + 1}`}>
                    Remove
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        ) : (
          <p>No passkey yet.</p>
        )}
        <AddPasskey />
      </section>

      <section aria-labelledby="recovery-heading">
        <h2 id="recovery-heading">Recovery codes</h2>
        <p>{hasFactor ? `${factors.recoveryCodesLeft} unused.` : 'You get recovery codes once you add a second factor.'}</p>
        {hasFactor ? (
          <Form method="post">
            <input type="hidden" name="intent" value="recovery-new" />
            <button type="submit">Make new recovery codes (the old ones stop working)</button>
          </Form>
        ) : null}
      </section>
    </div>
  )
}
