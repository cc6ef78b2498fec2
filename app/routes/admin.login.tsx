import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { json, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { audit, authenticate } from '~/models/organiser.server'
import { hasSecondFactor, startPendingSignIn } from '~/models/second-factor.server'
import { newSignInFlow, optionalOrganiser, safeRedirect, startSession } from '~/infra/auth.server'
import { PasskeySignIn } from '~/components/admin/passkey'
import { networkWaitMessage } from '~/utils/sign-in-messages'
import { Field, FormError } from '~/components/admin/field'

const LoginSchema = z.object({
  email: z.string({ error: 'Enter your email address.' }).trim().max(254).pipe(z.email('Enter a valid email address.')),
  password: z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.').max(1024),
  redirectTo: z.string().optional(),
})

const NO_MATCH =
  'That email and password do not match an active account. After several failed attempts, an account takes the next one only after a wait that grows with each failure, except from a network you signed in from before.'

// A full-page answer carries the action's Retry-After only through this.
export const headers: HeadersFunction = ({ actionHeaders, loaderHeaders }) => (actionHeaders.has('Retry-After') ? actionHeaders : loaderHeaders)

export const meta = () => [{ title: 'Sign in · Organisers' }, { name: 'robots', content: 'noindex' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await optionalOrganiser(request, context)) return redirect('/admin')
  return json(null)
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: LoginSchema })
  if (submission.status !== 'success') return json(submission.reply({ hideFields: ['password'] }), { status: 400 })
  const ipHash = context.clientIpHash
  const limited = await context.limits.login(ipHash)
  if (limited) {
    return json(submission.reply({ formErrors: ['Too many sign-in attempts. Wait a few minutes and try again.'], hideFields: ['password'] }), {
      status: 429,
      headers: { 'Retry-After': String(limited.retryAfterSeconds) },
    })
  }
  // A network whose sign-ins kept failing waits, doubling each time (ADR 095): told so plainly, since
  // it says nothing about any account.
  const waiting = await context.limits.loginWait(ipHash)
  if (waiting) {
    return json(submission.reply({ formErrors: [networkWaitMessage(waiting.retryAfterSeconds)], hideFields: ['password'] }), {
      status: 429,
      headers: { 'Retry-After': String(waiting.retryAfterSeconds) },
    })
  }
  const organiser = await authenticate(context.db, context.vault, submission.value.email, submission.value.password, { networkHash: ipHash })
  if (!organiser) {
    await context.limits.loginFailed(ipHash)
    // The same words whether the address is unknown, the password wrong or the account waiting.
    return json(submission.reply({ formErrors: [NO_MATCH], hideFields: ['password'] }), {
      status: 401,
    })
  }
  const redirectTo = safeRedirect(submission.value.redirectTo)
  // With a second factor, the password only opens the next step: a code or a passkey (ADR 094).
  if (await hasSecondFactor(context.db, organiser.id)) {
    const { flow, setCookie } = await newSignInFlow(context)
    await startPendingSignIn(context.db, organiser.id, flow)
    return redirect(`/admin/login/code?redirectTo=${encodeURIComponent(redirectTo)}`, { headers: { 'Set-Cookie': setCookie } })
  }
  const cookie = await startSession(request, context, organiser.id)
  await audit(context.db, { organiserId: organiser.id, action: 'sign-in', ipHash })
  return redirect(redirectTo, { headers: { 'Set-Cookie': cookie } })
}

const safeRedirectClient = (to: string | null) => (to && to.startsWith('/') && !to.startsWith('//') ? to : '/admin')

export default function Login() {
  const lastResult = useActionData<typeof action>()
  const [params] = useSearchParams()
  const [form, fields] = useForm({
    id: 'login',
    lastResult,
    constraint: getZodConstraint(LoginSchema),
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginSchema }),
  })
  return (
    <div className="panel narrow">
      <h1>Organisers: sign in</h1>
      <Form method="post" {...getFormProps(form)}>
        <FormError errors={form.errors} />
        <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? '/admin'} />
        <Field label="Email" meta={fields.email}>
          {(describedBy) => <input {...getInputProps(fields.email, { type: 'email' })} autoComplete="username" aria-describedby={describedBy} />}
        </Field>
        <Field label="Password" meta={fields.password}>
          {(describedBy) => <input {...getInputProps(fields.password, { type: 'password' })} autoComplete="current-password" aria-describedby={describedBy} />}
        </Field>
        <button type="submit">Sign in</button>
      </Form>
      <PasskeySignIn redirectTo={safeRedirectClient(params.get('redirectTo'))} label="Use a passkey instead" />
      <p>
        <Link to="/admin/forgot">Forgot your password?</Link>
      </p>
    </div>
  )
}
