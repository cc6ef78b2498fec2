import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { LOCALE_NAMES, LOCALES } from '~/i18n/locales'
import { countRecipients, createUpdate, listUpdates } from '~/models/news.server'
import { audit } from '~/models/organiser.server'
import { organiserCampaign } from '~/use-cases/organiser-campaign.server'
import { formatUtc } from '~/utils/moderation-params'
import { UpdateCopySchema } from '~/utils/news-schema'
import { Field, FormError } from '~/components/admin/field'
import { DataTable } from '~/components/admin/data-table'

export const meta = () => [{ title: 'News to signers · Organisers' }, { name: 'robots', content: 'noindex' }]

const load = (request: Request, context: LoaderFunctionArgs['context'], slug: string) => organiserCampaign(request, context, slug, 'organiser')

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign } = await load(request, context, params.slug!)
  const [updates, recipients] = await Promise.all([listUpdates(context.db, campaign.id), countRecipients(context.db, campaign.id)])
  return json({ campaign, updates, recipients }, { headers: { 'Cache-Control': 'no-store' } })
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { organiser, campaign } = await load(request, context, params.slug!)
  const submission = parseWithZod(await request.formData(), { schema: UpdateCopySchema })
  if (submission.status !== 'success') return json(submission.reply(), { status: 400 })
  const id = await createUpdate(context.db, campaign.id, submission.value, organiser.id)
  await audit(context.db, {
    organiserId: organiser.id,
    action: 'update.create',
    target: id,
    details: { campaignId: campaign.id, locale: submission.value.locale },
    ipHash: context.clientIpHash,
  })
  return redirect(`/admin/campaigns/${campaign.slug}/updates/${id}`, 303)
}

export default function Updates() {
  const { campaign, updates, recipients } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'new-update',
    lastResult,
    constraint: getZodConstraint(UpdateCopySchema),
    shouldValidate: 'onBlur',
    defaultValue: { locale: campaign.defaultLocale },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: UpdateCopySchema }),
  })
  return (
    <>
      <h1>News to signers: {campaign.title}</h1>
      <p>
        {`${recipients.toLocaleString('en')} verified signer${recipients === 1 ? '' : 's'} asked for news.`}{' '}
        <Link to={`/admin/campaigns/${campaign.slug}/moderation`}>Moderation</Link>
      </p>
      <h2>Updates</h2>
      {updates.length ? (
        <DataTable columns={['Subject', 'Written', 'Status', 'Sent / queued']}>
          {updates.map((u) => (
            <tr key={u.id}>
              <td>
                <Link to={`/admin/campaigns/${campaign.slug}/updates/${u.id}`}>{u.subject}</Link>
              </td>
              <td>{formatUtc(u.created_at)}</td>
              <td>
                {u.status === 'draft'
                  ? 'draft'
                  : u.status === 'scheduled' && u.scheduled_for
                    ? `scheduled for ${formatUtc(u.scheduled_for)}`
                    : u.status === 'queueing'
                      ? 'queueing'
                      : 'sending or sent'}
              </td>
              <td>{u.status === 'draft' || u.status === 'scheduled' ? '—' : `${u.progress.sent} / ${u.progress.queued}`}</td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p>No updates yet.</p>
      )}
      <h2>Write an update</h2>
      <p className="hint">Write it in one language first; add other languages on the next page. Signers get their own language where the update has it.</p>
      <Form method="post" {...getFormProps(form)}>
        <FormError errors={form.errors} />
        <div className="field">
          <label htmlFor={fields.locale.id}>Language</label>
          <select {...getSelectProps(fields.locale)} aria-describedby={fields.locale.errorId}>
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {LOCALE_NAMES[l]}
              </option>
            ))}
          </select>
          <p className="error" id={fields.locale.errorId}>
            {fields.locale.errors?.[0]}
          </p>
        </div>
        <Field label="Subject" meta={fields.subject}>
          {(describedBy) => <input {...getInputProps(fields.subject, { type: 'text' })} dir="auto" aria-describedby={describedBy} />}
        </Field>
        <Field label="Update (Markdown)" meta={fields.body}>
          {(describedBy) => <textarea {...getTextareaProps(fields.body)} rows={12} dir="auto" aria-describedby={describedBy} />}
        </Field>
        <button type="submit">Save and preview</button>
      </Form>
    </>
  )
}
