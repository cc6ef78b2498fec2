import { getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import {
  json,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  MaxPartSizeExceededError,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { checkMissionLink, recordResponse } from '~/models/response.server'
import { MAX_ATTACHMENT_BYTES, MAX_RESPONSE_CHARS, ResponseSchema } from '~/utils/response-rules'
import { audit } from '~/models/organiser.server'
import { toAttachment } from '~/utils/response-schema.server'
import { unState } from '~/utils/countries'

async function link(params: LoaderFunctionArgs['params'], context: LoaderFunctionArgs['context']) {
  const found = await checkMissionLink(context.db, params.country ?? '', params.token ?? '')
  // The same answer for an unknown token and for a token of another mission.
  if (!found) throw new Response('This link is not valid for this mission.', { status: 404, headers: { 'Cache-Control': 'no-store' } })
  return found
}

export async function loader({ params, context }: LoaderFunctionArgs) {
  const found = await link(params, context)
  const title = await context.db
    .selectFrom('campaign_letter_copy')
    .select('title')
    .where('campaign_id', '=', found.campaignId)
    .where('language', '=', 'en')
    .executeTakeFirst()
  return json(
    { country: unState(found.country)!.unName.formal.en, title: title?.title ?? found.slug, maxMb: MAX_ATTACHMENT_BYTES / 1024 / 1024, done: false },
    { headers: { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' } },
  )
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const found = await link(params, context)
  let formData: FormData
  try {
    formData = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: MAX_ATTACHMENT_BYTES, filter: ({ name, filename }) => filename === undefined || name === 'document' }),
    )
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) {
      return json({ result: null, tooLarge: true }, { status: 413 })
    }
    // A broken multipart body (a bad part header, a missing boundary) is the sender's, not ours: 400.
    return json({ result: null, tooLarge: false, unreadable: true }, { status: 400 })
  }
  const submission = parseWithZod(formData, { schema: ResponseSchema })
  if (submission.status !== 'success') return json({ result: submission.reply(), tooLarge: false }, { status: 400 })
  const attachment = await toAttachment(submission.value.document)
  await recordResponse(context.db, {
    campaignId: found.campaignId,
    country: found.country,
    source: 'mission',
    body: submission.value.body,
    attachment,
    isPublic: submission.value.publish === 'on',
  })
  await audit(context.db, { organiserId: null, action: 'mission.reply', target: found.country, details: { campaign: found.slug } })
  return json({ result: submission.reply({ resetForm: true }), tooLarge: false, done: true })
}

export const meta: MetaFunction = () => [{ title: 'Reply to the petition' }, { name: 'robots', content: 'noindex' }]

/** A mission's private reply form (in English: the UN's working language for the platform). */
export default function Respond() {
  const d = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as { result: never; tooLarge: boolean; unreadable?: boolean; done?: boolean } | undefined
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ResponseSchema }),
  })
  return (
    <div className="panel" lang="en" dir="ltr">
      <h1>Reply to the petition “{d.title}”</h1>
      <p>This private page is for the permanent mission of {d.country} only. Your reply is shared with the petition’s organisers and, if you allow it below, published on the campaign’s page of replies.</p>
      {actionData?.done ? <p className="success">Thank you: your reply has been received.</p> : null}
      {actionData?.tooLarge ? <p className="error">The document is larger than {d.maxMb} MB. Please attach a smaller file.</p> : null}
      {actionData?.unreadable ? <p className="error">Your reply could not be read as it arrived. Nothing was recorded: please send it again.</p> : null}
      <Form method="post" encType="multipart/form-data" {...getFormProps(form)}>
        {form.errors?.length ? <p className="error">{form.errors[0]}</p> : null}
        <label htmlFor={fields.body.id}>Your reply</label>
        <textarea {...getTextareaProps(fields.body)} rows={10} maxLength={MAX_RESPONSE_CHARS} aria-describedby={fields.body.errorId} />
        <p className="error" id={fields.body.errorId}>
          {fields.body.errors?.[0]}
        </p>
        <label htmlFor={fields.document.id}>A document (optional: PDF, Word, OpenDocument, PNG or JPEG, up to {d.maxMb} MB)</label>
        <input {...getInputProps(fields.document, { type: 'file' })} accept=".pdf,.doc,.docx,.odt,.png,.jpg,.jpeg,.txt" aria-describedby={fields.document.errorId} />
        <p className="error" id={fields.document.errorId}>
          {fields.document.errors?.[0]}
        </p>
        <p>
          <label>
            <input {...getInputProps(fields.publish, { type: 'checkbox' })} defaultChecked /> The organisers may publish this reply
          </label>
        </p>
        <button type="submit">Send the reply</button>
      </Form>
    </div>
  )
}

