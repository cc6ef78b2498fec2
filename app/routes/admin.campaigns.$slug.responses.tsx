import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import {
  json,
  MaxPartSizeExceededError,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { UN_STATES } from '~/data/un-states'
import { campaignForLetters } from '~/models/letter.server'
import { audit } from '~/models/organiser.server'
import { listResponses, MAX_ATTACHMENT_BYTES, recordResponse, setResponsePublic } from '~/models/response.server'
import { organiserCampaign } from '~/use-cases/organiser-campaign.server'
import { unState } from '~/utils/countries'
import { ResponseSchema } from '~/utils/response-rules'
import { toAttachment } from '~/utils/response-schema.server'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { organiser, campaign } = await organiserCampaign(request, context, params.slug, 'viewer', campaignForLetters)
  const responses = await listResponses(context.db, campaign.id, false)
  return json({
    campaign,
    canEdit: organiser.role !== 'viewer',
    responses: responses.map((r) => ({ ...r, name: unState(r.country)?.unName.short.en ?? r.country })),
    states: UN_STATES.map((s) => ({ code: s.code, name: s.unName.short.en })),
  })
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { organiser, campaign } = await organiserCampaign(request, context, params.slug, 'organiser', campaignForLetters)
  let form: FormData
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: MAX_ATTACHMENT_BYTES, filter: ({ name, filename }) => filename === undefined || name === 'document' }),
    )
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return json({ formErrors: ['The document is larger than 5 MB.'] }, { status: 413 })
    // A broken multipart body is the sender's, not ours: 400, nothing recorded.
    return json({ formErrors: ['The form could not be read as it arrived. Nothing was recorded: please send it again.'] }, { status: 400 })
  }
  const ipHash = context.clientIpHash
  if (form.get('intent') === 'visibility') {
    const id = String(form.get('id') ?? '')
    const outcome = await setResponsePublic(context.db, id, form.get('public') === '1', organiser.id)
    if (outcome === 'not-found') throw new Response('Not found', { status: 404 })
    if (outcome === 'no-consent') return json({ formErrors: ['The mission did not allow this reply to be published.'] }, { status: 409 })
    await audit(context.db, { organiserId: organiser.id, action: 'response.visibility', target: id, details: { public: form.get('public') === '1' }, ipHash })
    return redirect(`/admin/campaigns/${campaign.slug}/responses`)
  }
  const submission = parseWithZod(form, { schema: ResponseSchema })
  if (submission.status !== 'success') return json(submission.reply(), { status: 400 })
  const country = submission.value.country ?? ''
  if (!unState(country)) return json(submission.reply({ fieldErrors: { country: ['Choose the delegation that replied.'] } }), { status: 400 })
  const received = submission.value.receivedOn ? Date.parse(submission.value.receivedOn) : NaN
  await recordResponse(context.db, {
    campaignId: campaign.id,
    country,
    source: 'organiser',
    body: submission.value.body,
    attachment: await toAttachment(submission.value.document),
    isPublic: submission.value.publish === 'on',
    recordedBy: organiser.id,
    receivedAt: Number.isNaN(received) ? undefined : received,
  })
  await audit(context.db, { organiserId: organiser.id, action: 'response.record', target: `${campaign.slug}/${country}`, ipHash })
  return redirect(`/admin/campaigns/${campaign.slug}/responses`)
}

export const meta = () => [{ title: 'Replies' }]

export default function AdminResponses() {
  const d = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const refusal = lastResult && 'formErrors' in lastResult && !('status' in lastResult) ? lastResult.formErrors[0] : null
  const [form, fields] = useForm({
    lastResult: lastResult && 'status' in lastResult ? lastResult : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ResponseSchema }),
    shouldValidate: 'onBlur',
  })
  return (
    <>
      <p>
        <Link to={`/admin/campaigns/${d.campaign.slug}/letters`}>Letters</Link>
      </p>
      <h1>Replies: {d.campaign.title}</h1>
      {refusal ? (
        <p className="error" role="alert">
          {refusal}
        </p>
      ) : null}
      {d.responses.map((r) => (
        <article key={r.id} className="panel">
          <h2>
            {r.name} <span className="hint">({r.source === 'mission' ? 'through its private link' : 'recorded by an organiser'})</span>
          </h2>
          <p className="response-body">{r.body}</p>
          {r.attachmentName ? <p>Attachment: {r.attachmentName}</p> : null}
          {r.source === 'mission' ? (
            <p className="hint">
              {r.missionConsents ? 'The mission allowed publication; it is public only once you approve it.' : 'The mission did not allow publication: it stays private.'}
            </p>
          ) : null}
          {d.canEdit && (r.source !== 'mission' || r.missionConsents || r.isPublic) ? (
            <Form method="post" encType="multipart/form-data">
              <input type="hidden" name="intent" value="visibility" />
              <input type="hidden" name="id" value={r.id} />
              <input type="hidden" name="public" value={r.isPublic ? '0' : '1'} />
              <button type="submit" className="link-button">
                {r.isPublic ? 'Published: hide it' : r.source === 'mission' ? 'Approve and publish it' : 'Hidden: publish it'}
              </button>
            </Form>
          ) : null}
        </article>
      ))}
      {d.canEdit ? (
        <>
          <h2>Record a reply received otherwise</h2>
          <Form method="post" encType="multipart/form-data" {...getFormProps(form)}>
            {form.errors?.length ? <p className="error">{form.errors[0]}</p> : null}
            <label htmlFor={fields.country.id}>Delegation</label>
            <select {...getSelectProps(fields.country)}>
              <option value="">Choose</option>
              {d.states.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.name}
                </option>
              ))}
            </select>
            <p className="error" id={fields.country.errorId}>
              {fields.country.errors?.[0]}
            </p>
            <label htmlFor={fields.receivedOn.id}>Received on</label>
            <input {...getInputProps(fields.receivedOn, { type: 'date' })} />
            <label htmlFor={fields.body.id}>Text of the reply</label>
            <textarea {...getTextareaProps(fields.body)} rows={8} />
            <p className="error" id={fields.body.errorId}>
              {fields.body.errors?.[0]}
            </p>
            <label htmlFor={fields.document.id}>Document (optional, up to 5 MB)</label>
            <input {...getInputProps(fields.document, { type: 'file' })} />
            <p className="error" id={fields.document.errorId}>
              {fields.document.errors?.[0]}
            </p>
            <p>
              <label>
                <input {...getInputProps(fields.publish, { type: 'checkbox' })} /> Publish on the campaign’s page of replies
              </label>
            </p>
            <button type="submit">Record the reply</button>
          </Form>
        </>
      ) : null}
    </>
  )
}
