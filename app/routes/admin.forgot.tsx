import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { json, type ActionFunctionArgs } from '@remix-run/node'
import { Form, useActionData } from '@remix-run/react'
import { z } from 'zod'
import { enqueueEmail } from '~/email.server'
import { findOrganiserByEmail, issuePasswordToken, mayResetAgain } from '~/models/organiser.server'
import { Field, FormError } from '~/components/admin/field'

const ForgotSchema = z.object({
  email: z.string({ error: 'Enter your email address.' }).trim().max(254).pipe(z.email('Enter a valid email address.')),
})

export const meta = () => [{ title: 'Forgot your password · Organisers' }, { name: 'robots', content: 'noindex' }]

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: ForgotSchema })
  if (submission.status !== 'success') return json({ result: submission.reply(), sent: false }, { status: 400 })
  const limited = await context.limits.login(context.clientIpHash)
  if (limited) {
    return json({ result: submission.reply({ formErrors: ['Too many attempts. Wait a few minutes and try again.'] }), sent: false }, { status: 429 })
  }
  // Answered before the look-up's outcome is acted on: a known and an unknown address take the same
  // time (issue 13). At most RESETS_PER_HOUR links an hour per account, and each supersedes the last.
  void sendResetLink(context, submission.value.email).catch((e: Error) => console.error(`password reset failed: ${e.name}`))
  // The same answer whether or not the address has an account.
  return json({ result: submission.reply({ resetForm: true }), sent: true })
}

async function sendResetLink(context: ActionFunctionArgs['context'], email: string) {
  const organiser = await findOrganiserByEmail(context.db, context.vault, email)
  if (!organiser || organiser.disabled_at !== null || !(await mayResetAgain(context.db, organiser.id))) return
  await context.db.transaction().execute(async (trx) => {
    const token = await issuePasswordToken(trx, organiser.id, 'reset-password')
    await enqueueEmail(trx, context.vault, {
      template: 'password-reset',
      locale: 'en',
      to: context.vault.decrypt(organiser.email_enc),
      props: { url: `${context.config.appUrl}/admin/password/${token}`, purpose: 'reset-password' },
    })
  })
  context.wakeOutbox()
}

export default function Forgot() {
  const data = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'forgot',
    lastResult: data?.result,
    constraint: getZodConstraint(ForgotSchema),
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ForgotSchema }),
  })
  return (
    <div className="panel narrow">
      <h1>Forgot your password?</h1>
      {data?.sent ? (
        <p role="status">If an organiser account uses that address, we have emailed it a link to choose a new password.</p>
      ) : null}
      <Form method="post" {...getFormProps(form)}>
        <FormError errors={form.errors} />
        <Field label="Email" meta={fields.email}>
          {(describedBy) => <input {...getInputProps(fields.email, { type: 'email' })} autoComplete="username" aria-describedby={describedBy} />}
        </Field>
        <button type="submit">Email me a link</button>
      </Form>
    </div>
  )
}
