import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { audit, checkPasswordToken, setPasswordWithToken } from '~/models/organiser.server'
import { NewPasswordSchema } from '~/utils/password-schema'
import { Field, FormError } from '~/components/admin/field'

export const meta = () => [{ title: 'Set your password · Organisers' }, { name: 'robots', content: 'noindex' }]

export async function loader({ params, context }: LoaderFunctionArgs) {
  const checked = await checkPasswordToken(context.db, params.token ?? '')
  return json({ state: checked.state }, { status: checked.state === 'valid' ? 200 : 410, headers: { 'Cache-Control': 'no-store' } })
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: NewPasswordSchema })
  if (submission.status !== 'success') return json(submission.reply({ hideFields: ['password', 'confirm'] }), { status: 400 })
  const result = await setPasswordWithToken(context.db, params.token ?? '', submission.value.password)
  if (result.state !== 'done') {
    return json(submission.reply({ formErrors: ['This link has expired or was already used. Ask an admin for a new one.'] }), { status: 410 })
  }
  await audit(context.db, { organiserId: result.organiserId, action: 'password-set', ipHash: context.clientIpHash })
  return redirect('/admin/login')
}

export default function SetPassword() {
  const { state } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'set-password',
    lastResult,
    constraint: getZodConstraint(NewPasswordSchema),
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: NewPasswordSchema }),
  })
  if (state !== 'valid') {
    return (
      <div className="panel narrow">
        <h1>This link no longer works</h1>
        <p>Password links work once, for 24 hours. Ask an admin for a new one, or use “Forgot your password?”.</p>
        <p>
          <Link to="/admin/forgot">Forgot your password?</Link>
        </p>
      </div>
    )
  }
  return (
    <div className="panel narrow">
      <h1>Set your password</h1>
      <Form method="post" {...getFormProps(form)}>
        <FormError errors={form.errors} />
        <div className="field">
          <label htmlFor={fields.password.id}>New password</label>
          <p className="hint" id={`${fields.password.id}-hint`}>
            At least 12 characters.
          </p>
          <input
            {...getInputProps(fields.password, { type: 'password' })}
            autoComplete="new-password"
            aria-describedby={`${fields.password.id}-hint ${fields.password.errorId}`}
          />
          <p className="error" id={fields.password.errorId}>
            {fields.password.errors?.[0]}
          </p>
        </div>
        <Field label="The same password again" meta={fields.confirm}>
          {(describedBy) => <input {...getInputProps(fields.confirm, { type: 'password' })} autoComplete="new-password" aria-describedby={describedBy} />}
        </Field>
        <button type="submit">Set password</button>
      </Form>
    </div>
  )
}
