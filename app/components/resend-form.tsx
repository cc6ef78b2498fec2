import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react'
import { Form } from '@remix-run/react'
import { useI18n } from '~/i18n/react'
import type { MessageKey } from '~/i18n/types'
import { validateResendForm } from '~/utils/signature-rules'

/** "Send me a new link": posts to /campaigns/:slug/resend, which never says whether the address signed. */
export function ResendForm({ slug, lastResult }: { slug: string; lastResult?: SubmissionResult<string[]> | null }) {
  const { locale, t } = useI18n()
  const [form, fields] = useForm({
    id: 'resend',
    lastResult,
    constraint: { email: { required: true } },
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => validateResendForm(formData),
  })
  const error = fields.email.errors?.[0] ?? form.errors?.[0]
  return (
    <Form method="post" action={`/campaigns/${slug}/resend?lang=${locale}`} {...getFormProps(form)}>
      <div className="field">
        <label htmlFor={fields.email.id}>{t('sign.email')}</label>
        <input
          {...getInputProps(fields.email, { type: 'email' })}
          autoComplete="email"
          dir="ltr"
          aria-describedby={fields.email.errorId}
        />
        <p className="error" id={fields.email.errorId} role={error ? 'alert' : undefined}>
          {error ? t(error as MessageKey) : null}
        </p>
      </div>
      <button type="submit">{t('link.resend')}</button>
    </Form>
  )
}
