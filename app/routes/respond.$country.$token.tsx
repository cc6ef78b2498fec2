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
import { UN_STATES, type UnLang } from '~/data/un-states'
import { replyText } from '~/letters/reply-text'
import { audit } from '~/models/organiser.server'
import { checkMissionLink, recordResponse, replyContext, reserveLinkBytes } from '~/models/response.server'
import { contentMatchesType } from '~/utils/attachment-sniff'
import { isFile, MAX_ATTACHMENT_BYTES, MAX_RESPONSE_CHARS, ResponseSchema } from '~/utils/response-rules'
import { toAttachment } from '~/utils/response-schema.server'

const NO_STORE = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }

async function link(params: LoaderFunctionArgs['params'], context: LoaderFunctionArgs['context']) {
  const found = await checkMissionLink(context.db, params.country ?? '', params.token ?? '')
  // The same answer for an unknown token and for a token of another mission.
  if (!found) throw new Response('This link is not valid for this mission.', { status: 404, headers: NO_STORE })
  return found
}

/** What the page needs, in the language of the letter the mission received. */
async function pageData(context: LoaderFunctionArgs['context'], found: Awaited<ReturnType<typeof link>>) {
  const { lang, observer } = await replyContext(context.db, found.campaignId, found.country)
  const copy = await context.db
    .selectFrom('campaign_letter_copy')
    .select(['language', 'title'])
    .where('campaign_id', '=', found.campaignId)
    .where('language', 'in', [lang, 'en'])
    .execute()
  const title = copy.find((c) => c.language === lang)?.title ?? copy.find((c) => c.language === 'en')?.title ?? found.slug
  return { lang, observer, country: found.country, title, maxMb: MAX_ATTACHMENT_BYTES / 1024 / 1024 }
}

export async function loader({ params, context }: LoaderFunctionArgs) {
  const found = await link(params, context)
  return json({ ...(await pageData(context, found)), sent: null }, { headers: NO_STORE })
}

type Refusal = 'tooLarge' | 'quota' | 'docMismatch' | 'unreadable'

export async function action({ request, params, context }: ActionFunctionArgs) {
  const found = await link(params, context)
  const page = await pageData(context, found)
  const refuse = (reason: Refusal, status: number) => json({ ...page, sent: null, refusal: reason, result: undefined }, { status, headers: NO_STORE })
  let formData: FormData
  try {
    formData = await unstable_parseMultipartFormData(
      request,
      // The server caps the whole body at 6 MB: a document a little over the limit is read whole and
      // refused below, in the page's language (aborting the read mid-stream leaves the client hanging).
      unstable_createMemoryUploadHandler({ maxPartSize: 2 * MAX_ATTACHMENT_BYTES, filter: ({ name, filename }) => filename === undefined || name === 'document' }),
    )
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return refuse('tooLarge', 413)
    // A broken multipart body (a bad part header, a missing boundary) is the sender's, not ours: 400.
    return refuse('unreadable', 400)
  }
  const document = formData.get('document')
  if (isFile(document) && document.size > MAX_ATTACHMENT_BYTES) return refuse('tooLarge', 413)
  const submission = parseWithZod(formData, { schema: ResponseSchema })
  if (submission.status !== 'success') return json({ ...page, sent: null, refusal: null, result: submission.reply() }, { status: 400, headers: NO_STORE })
  const attachment = await toAttachment(submission.value.document)
  if (attachment && !contentMatchesType(attachment.bytes, attachment.type)) return refuse('docMismatch', 400)
  const bytes = Buffer.byteLength(submission.value.body) + (attachment?.bytes.length ?? 0)
  if (!(await reserveLinkBytes(context.db, found.tokenHash, bytes))) return refuse('quota', 413)
  const publish = submission.value.publish === 'on'
  await recordResponse(context.db, { campaignId: found.campaignId, country: found.country, source: 'mission', body: submission.value.body, attachment, isPublic: publish })
  await audit(context.db, { organiserId: null, action: 'mission.reply', target: found.country, details: { campaign: found.slug, missionConsents: publish } })
  return json({ ...page, sent: { publish }, refusal: null, result: undefined }, { headers: NO_STORE })
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? replyText(data.lang).title(data.title) : 'Reply' },
  { name: 'robots', content: 'noindex' },
]

/** Messages of the shared reply schema, in the page's language. */
function fieldError(message: string | undefined, t: ReturnType<typeof replyText>) {
  if (!message) return null
  if (message === 'Please write your reply.') return t.bodyRequired
  if (message.startsWith('Please attach')) return t.docType
  if (message === 'The document is too large.') return t.tooLarge(MAX_ATTACHMENT_BYTES / 1024 / 1024)
  return message
}

/** A mission's private reply form, in the language of the letter it received. */
export default function Respond() {
  const loaded = useLoaderData<typeof loader>()
  const acted = useActionData<typeof action>() as
    | (Awaited<ReturnType<typeof pageData>> & { sent: { publish: boolean } | null; refusal: Refusal | null; result: never })
    | undefined
  const d = acted ?? loaded
  const lang = d.lang as UnLang
  const t = replyText(lang)
  // From the states' own table: ~/utils/countries would bring every country name in five languages (i18n-iso-countries) to the page.
  const state = UN_STATES.find((s) => s.code === d.country)!
  const dir = lang === 'ar' ? 'rtl' : 'ltr'
  const [form, fields] = useForm({
    lastResult: acted?.result,
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ResponseSchema }),
  })
  return (
    <section className="panel" lang={lang} dir={dir}>
      <h1>{t.title(d.title)}</h1>
      {acted?.sent ? (
        <div role="status">
          <p className="success">{t.thanks}</p>
          <p>{acted.sent.publish ? t.thanksPublic : t.thanksPrivate}</p>
        </div>
      ) : (
        <>
          <p>{t.intro(state, d.observer)}</p>
          {acted?.refusal ? (
            <p className="error" role="alert">
              {acted.refusal === 'tooLarge' ? t.tooLarge(d.maxMb) : acted.refusal === 'quota' ? t.quota : acted.refusal === 'unreadable' ? t.unreadable : t.docMismatch}
            </p>
          ) : null}
          <Form method="post" encType="multipart/form-data" {...getFormProps(form)}>
            {form.errors?.length ? <p className="error">{fieldError(form.errors[0], t)}</p> : null}
            <label htmlFor={fields.body.id}>{t.body}</label>
            <textarea {...getTextareaProps(fields.body)} rows={10} maxLength={MAX_RESPONSE_CHARS} aria-describedby={fields.body.errorId} />
            <p className="error" id={fields.body.errorId}>
              {fieldError(fields.body.errors?.[0], t)}
            </p>
            <label htmlFor={fields.document.id}>{t.document(d.maxMb)}</label>
            <input {...getInputProps(fields.document, { type: 'file' })} accept=".pdf,.doc,.docx,.odt,.png,.jpg,.jpeg,.txt" aria-describedby={fields.document.errorId} />
            <p className="error" id={fields.document.errorId}>
              {fieldError(fields.document.errors?.[0], t)}
            </p>
            <p>
              <input {...getInputProps(fields.publish, { type: 'checkbox' })} /> <label htmlFor={fields.publish.id}>{t.publish}</label>
            </p>
            <button type="submit">{t.submit}</button>
          </Form>
        </>
      )}
    </section>
  )
}

// An action's failure renders here, under the root's messages (app/components/error-page.tsx).
export { ErrorBoundary } from '~/components/error-page'
