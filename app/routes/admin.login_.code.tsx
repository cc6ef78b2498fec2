import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { json, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { audit } from '~/models/organiser.server'
import { completeWithCode, factorsOf, pendingSignIn } from '~/models/second-factor.server'
import { endSignInFlow, safeRedirect, signInFlow, startSession } from '~/infra/auth.server'
import { Field, FormError } from '~/components/admin/field'
import { PasskeySignIn } from '~/components/admin/passkey'
import { networkWaitMessage } from '~/utils/sign-in-messages'

const CodeSchema = z.object({
  code: z.string({ error: 'Enter the code from your authenticator app, or a recovery code.' }).trim().min(6, 'Enter the code from your authenticator app, or a recovery code.').max(64),
  redirectTo: z.string().optional(),
})

const EXPIRED = 'This sign-in has expired or was ended after too many wrong codes. Sign in with your password again.'

// A full-page answer carries the action's Retry-After only through this.
export const headers: HeadersFunction = ({ actionHeaders, loaderHeaders }) => (actionHeaders.has('Retry-After') ? actionHeaders : loaderHeaders)

export const meta = () => [{ title: 'Second step · Sign in · Organisers' }, { name: 'robots', content: 'noindex' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const flow = await signInFlow(request, context)
  const organiserId = flow ? await pendingSignIn(context.db, flow) : null
  if (!organiserId) return redirect('/admin/login')
  const factors = await factorsOf(context.db, organiserId)
  return json({ totp: factors.totp, passkey: factors.passkeys.length > 0 }, { headers: { 'Cache-Control': 'no-store' } })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: CodeSchema })
  if (submission.status !== 'success') return json(submission.reply({ hideFields: ['code'] }), { status: 400 })
  const ipHash = context.clientIpHash
  const limited = await context.limits.login(ipHash)
  if (limited) {
    return json(submission.reply({ formErrors: ['Too many sign-in attempts. Wait a few minutes and try again.'], hideFields: ['code'] }), {
      status: 429,
      headers: { 'Retry-After': String(limited.retryAfterSeconds) },
    })
  }
  const waiting = await context.limits.loginWait(ipHash)
  if (waiting) {
    return json(submission.reply({ formErrors: [networkWaitMessage(waiting.retryAfterSeconds)], hideFields: ['code'] }), {
      status: 429,
      headers: { 'Retry-After': String(waiting.retryAfterSeconds) },
    })
  }
  const flow = await signInFlow(request, context)
  const result = flow ? await completeWithCode(context.db, context.vault, flow, submission.value.code) : ({ ok: false, reason: 'no-pending' } as const)
  if (!result.ok) {
    if (result.reason === 'no-pending') return json(submission.reply({ formErrors: [EXPIRED], hideFields: ['code'] }), { status: 401 })
    await context.limits.loginFailed(ipHash)
    await audit(context.db, { organiserId: null, action: 'second-factor-failed', ipHash })
    return json(submission.reply({ formErrors: ['That code is not right, or was already used. Try the current code.'], hideFields: ['code'] }), { status: 401 })
  }
  const headers = new Headers()
  headers.append('Set-Cookie', await startSession(request, context, result.organiserId))
  headers.append('Set-Cookie', await endSignInFlow(context))
  if (result.usedRecoveryCode) {
    await audit(context.db, { organiserId: result.organiserId, action: 'recovery-code-used', details: { left: result.recoveryCodesLeft }, ipHash })
  }
  await audit(context.db, { organiserId: result.organiserId, action: 'sign-in', details: { factor: result.usedRecoveryCode ? 'recovery-code' : 'totp' }, ipHash })
  // Someone who just spent a recovery code goes to their account page, to see how many are left.
  return redirect(result.usedRecoveryCode ? '/admin/account?recovered=1' : safeRedirect(submission.value.redirectTo), { headers })
}

export default function SecondFactor() {
  const { totp, passkey } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const [params] = useSearchParams()
  const redirectTo = params.get('redirectTo') ?? '/admin'
  const [form, fields] = useForm({
    id: 'second-factor',
    lastResult,
    constraint: getZodConstraint(CodeSchema),
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CodeSchema }),
  })
  return (
    <div className="panel narrow">
      <h1>Sign in: second step</h1>
      {passkey ? <PasskeySignIn redirectTo={redirectTo.startsWith('/') && !redirectTo.startsWith('//') ? redirectTo : '/admin'} label="Use your passkey" /> : null}
      <Form method="post" {...getFormProps(form)}>
        <FormError errors={form.errors} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field
          label={totp ? 'Code from your authenticator app, or a recovery code' : 'Recovery code'}
          hint="Each code works once."
          meta={fields.code}
        >
          {(describedBy) => <input {...getInputProps(fields.code, { type: 'text' })} autoComplete="one-time-code" inputMode="text" spellCheck={false} aria-describedby={describedBy} />}
        </Field>
        <button type="submit">Continue</button>
      </Form>
      <p>
        <Link to="/admin/login">Start again</Link>
      </p>
    </div>
  )
}
