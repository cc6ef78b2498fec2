import { getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useRevalidator } from '@remix-run/react'
import { useEffect } from 'react'
import { LOCALE_NAMES, LOCALES, localeDir, type Locale } from '~/i18n/locales'
import { countRecipients, getUpdate, queueNewsUpdate, saveTranslation, startSending } from '~/models/news.server'
import { audit } from '~/models/organiser.server'
import { setUpdatePublic } from '~/models/campaign-story.server'
import { organiserCampaign } from '~/utils/organiser-campaign.server'
import { renderMarkdown } from '~/utils/markdown.server'
import { formatUtc } from '~/utils/moderation-params'
import { UpdateCopySchema } from '~/utils/news-schema'
import { FormError } from '~/components/admin/field'

export const meta = () => [{ title: 'Update · Organisers' }, { name: 'robots', content: 'noindex' }]

async function load(request: Request, context: LoaderFunctionArgs['context'], slug: string, id: string) {
  const { organiser, campaign } = await organiserCampaign(request, context, slug, 'organiser')
  const found = await getUpdate(context.db, campaign.id, id)
  if (!found) throw new Response('No such update', { status: 404 })
  return { organiser, campaign, ...found }
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign, update, translations, progress } = await load(request, context, params.slug!, params.id!)
  return json(
    {
      campaign,
      update: { id: update.id, status: update.status, isPublic: update.is_public === 1, defaultLocale: update.default_locale, createdAt: update.created_at, queuedAt: update.queued_at },
      translations: translations.map((t) => ({ locale: t.locale as Locale, subject: t.subject, body: t.body_md, html: renderMarkdown(t.body_md) })),
      progress,
      recipients: update.status === 'draft' ? await countRecipients(context.db, campaign.id) : progress.queued,
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { organiser, campaign, update } = await load(request, context, params.slug!, params.id!)
  const form = await request.formData()
  const here = `/admin/campaigns/${campaign.slug}/updates/${update.id}`
  const ipHash = context.clientIpHash
  const intent = form.get('intent')
  if (intent === 'publish' || intent === 'unpublish') {
    // Public updates are listed on the campaign's page and feed once sent (ADR 108).
    await setUpdatePublic(context.db, campaign.id, update.id, intent === 'publish')
    await audit(context.db, { organiserId: organiser.id, action: `update.${intent}`, target: update.id, details: { campaignId: campaign.id }, ipHash })
    return redirect(here, 303)
  }
  if (intent === 'send') {
    if (!(await startSending(context.db, campaign.id, update.id, organiser.id))) {
      return json({ status: 'error' as const, error: ['This update was already sent.'] }, { status: 409 })
    }
    await audit(context.db, { organiserId: organiser.id, action: 'update.send', target: update.id, details: { campaignId: campaign.id }, ipHash })
    // The fan-out runs on after the answer; its cursor lets a restarted server finish it.
    void queueNewsUpdate({ db: context.db, vault: context.vault, appUrl: context.config.appUrl, wake: context.wakeOutbox }, update.id).catch(() => {
      // resumeNewsQueues picks it up at the next start.
    })
    return redirect(here, 303)
  }
  const submission = parseWithZod(form, { schema: UpdateCopySchema })
  if (submission.status !== 'success') return json(submission.reply(), { status: 400 })
  const saved = await saveTranslation(context.db, campaign.id, update.id, submission.value)
  if (saved === 'sent') return json(submission.reply({ formErrors: ['A sent update cannot be changed.'] }), { status: 409 })
  await audit(context.db, { organiserId: organiser.id, action: 'update.edit', target: update.id, details: { locale: submission.value.locale }, ipHash })
  return redirect(here, 303)
}

/** Progress refreshes every few seconds while messages are still going out (with JS; else the Refresh link). */
function useRefreshWhile(active: boolean) {
  const revalidator = useRevalidator()
  useEffect(() => {
    if (!active) return
    const timer = setInterval(() => revalidator.state === 'idle' && revalidator.revalidate(), 3000)
    return () => clearInterval(timer)
  }, [active, revalidator])
}

function CopyForm({ locale, subject, body, lastResult }: { locale: Locale; subject: string; body: string; lastResult: unknown }) {
  const [form, fields] = useForm({
    id: `copy-${locale}`,
    lastResult: (lastResult as { initialValue?: { locale?: string } } | undefined)?.initialValue?.locale === locale ? (lastResult as never) : undefined,
    constraint: getZodConstraint(UpdateCopySchema),
    shouldValidate: 'onBlur',
    defaultValue: { locale, subject, body },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: UpdateCopySchema }),
  })
  return (
    <Form method="post" {...getFormProps(form)}>
      <FormError errors={form.errors} />
      <input type="hidden" name="locale" value={locale} />
      <div className="field">
        <label htmlFor={fields.subject.id}>Subject ({LOCALE_NAMES[locale]})</label>
        <input {...getInputProps(fields.subject, { type: 'text' })} dir={localeDir(locale)} lang={locale} aria-describedby={fields.subject.errorId} />
        <p className="error" id={fields.subject.errorId}>
          {fields.subject.errors?.[0]}
        </p>
      </div>
      <div className="field">
        <label htmlFor={fields.body.id}>Update in Markdown ({LOCALE_NAMES[locale]})</label>
        <textarea {...getTextareaProps(fields.body)} rows={10} dir={localeDir(locale)} lang={locale} aria-describedby={fields.body.errorId} />
        <p className="error" id={fields.body.errorId}>
          {fields.body.errors?.[0]}
        </p>
      </div>
      <button type="submit">{`Save ${LOCALE_NAMES[locale]}`}</button>
    </Form>
  )
}

export default function UpdatePage() {
  const d = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const draft = d.update.status === 'draft'
  const sending = !draft && (d.update.status === 'queueing' || d.progress.pending > 0)
  useRefreshWhile(sending)
  const base = `/admin/campaigns/${d.campaign.slug}/updates`
  const missing = LOCALES.filter((l) => !d.translations.some((t) => t.locale === l))
  const sendError = lastResult && 'error' in lastResult && Array.isArray(lastResult.error) ? lastResult.error[0] : null
  return (
    <>
      <p>
        <Link to={base}>All updates</Link>
      </p>
      <h1>{d.translations.find((t) => t.locale === d.update.defaultLocale)?.subject ?? 'Update'}</h1>
      {sendError ? (
        <p className="error" role="alert">
          {sendError}
        </p>
      ) : null}

      {!draft ? (
        <section aria-labelledby="progress-heading" className="panel">
          <h2 id="progress-heading">Progress</h2>
          <dl className="progress" aria-live="polite">
            <dt>Queued</dt>
            <dd data-progress="queued">{d.progress.queued}</dd>
            <dt>Waiting to send</dt>
            <dd data-progress="pending">{d.progress.pending}</dd>
            <dt>Sent</dt>
            <dd data-progress="sent">{d.progress.sent}</dd>
            <dt>Failed</dt>
            <dd data-progress="failed">{d.progress.failed}</dd>
          </dl>
          <p className="hint">
            {d.update.status === 'queueing' ? 'Still queueing messages. ' : d.update.queuedAt ? `All messages queued ${formatUtc(d.update.queuedAt)}. ` : ''}
            <Link to=".">Refresh</Link>
          </p>
        </section>
      ) : null}

      <section aria-labelledby="public-heading" className="panel">
        <h2 id="public-heading">Public</h2>
        <p>
          {d.update.isPublic
            ? draft
              ? 'Marked public: once sent, it will be listed on the campaign’s public updates and in its Atom feed, in each language as sent.'
              : 'Public: listed on the campaign’s public updates and in its Atom feed, in each language as sent.'
            : 'Not public: only the signers it is sent to read it.'}
        </p>
        <Form method="post">
          <button type="submit" name="intent" value={d.update.isPublic ? 'unpublish' : 'publish'}>
            {d.update.isPublic ? 'Take it off the public updates' : 'Publish on the campaign’s public updates'}
          </button>
        </Form>
      </section>

      <h2>Preview</h2>
      {d.translations.map((t) => (
        <section key={t.locale} aria-label={`Preview in ${LOCALE_NAMES[t.locale]}`} className="panel" lang={t.locale} dir={localeDir(t.locale)}>
          <p className="hint" lang="en" dir="ltr">
            {LOCALE_NAMES[t.locale]}
            {t.locale === d.update.defaultLocale ? ' (default: signers in other languages get this one)' : ''} ·{' '}
            <a href={`${base}/${d.update.id}/preview.html?locale=${t.locale}`}>The email as signers will see it</a>
          </p>
          <h3>{t.subject}</h3>
          <div dangerouslySetInnerHTML={{ __html: t.html }} />
        </section>
      ))}

      {draft ? (
        <>
          <h2>Send</h2>
          <Form method="post">
            <p>
              {`This sends the update to the ${d.recipients.toLocaleString('en')} verified signer${d.recipients === 1 ? '' : 's'} who asked for news, each with a link to unsubscribe and to withdraw their signature. It cannot be undone.`}
            </p>
            <button type="submit" name="intent" value="send">
              {`Send to ${d.recipients.toLocaleString('en')} signers`}
            </button>
          </Form>
          <h2>Edit</h2>
          {d.translations.map((t) => (
            <CopyForm key={t.locale} locale={t.locale} subject={t.subject} body={t.body} lastResult={lastResult} />
          ))}
          {missing.map((l) => (
            <details key={l}>
              <summary>Add {LOCALE_NAMES[l]}</summary>
              <CopyForm locale={l} subject="" body="" lastResult={lastResult} />
            </details>
          ))}
        </>
      ) : null}
    </>
  )
}
