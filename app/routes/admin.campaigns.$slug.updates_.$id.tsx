import { getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useRevalidator, useSearchParams } from '@remix-run/react'
import { useEffect } from 'react'
import { LOCALE_NAMES, LOCALES, localeDir, type Locale } from '~/i18n/locales'
import {
  countRecipients,
  getUpdate,
  MAX_SCHEDULE_AHEAD_MS,
  queueNewsUpdate,
  saveTranslation,
  scheduleUpdate,
  sendTestUpdate,
  startSending,
  unscheduleUpdate,
} from '~/models/news.server'
import { audit } from '~/models/organiser.server'
import { setUpdatePublic } from '~/models/campaign-story.server'
import { organiserCampaign } from '~/use-cases/organiser-campaign.server'
import { formatUtc } from '~/utils/moderation-params'
import { scheduleSchema, UpdateCopySchema } from '~/utils/news-schema'
import { FormError } from '~/components/admin/field'

export const meta = () => [{ title: 'Update · Organisers' }, { name: 'robots', content: 'noindex' }]

async function load(request: Request, context: LoaderFunctionArgs['context'], slug: string, id: string) {
  const { organiser, campaign } = await organiserCampaign(request, context, slug, 'organiser')
  const found = await getUpdate(context.db, campaign.id, id)
  if (!found) throw new Response('No such update', { status: 404 })
  return { organiser, campaign, ...found }
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { organiser, campaign, update, translations, progress } = await load(request, context, params.slug!, params.id!)
  return json(
    {
      campaign,
      me: context.vault.decrypt(organiser.email_enc),
      // The schedule field's bounds, from the server's clock so the page hydrates as it was rendered.
      now: Date.now(),
      update: {
        id: update.id,
        status: update.status,
        defaultLocale: update.default_locale as Locale,
        createdAt: update.created_at,
        queuedAt: update.queued_at,
        scheduledFor: update.scheduled_for,
        testSentAt: update.test_sent_at,
        isPublic: update.is_public === 1,
      },
      translations: translations.map((t) => ({ locale: t.locale as Locale, subject: t.subject, body: t.body_md })),
      progress,
      recipients: update.status === 'draft' || update.status === 'scheduled' ? await countRecipients(context.db, campaign.id) : progress.queued,
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { organiser, campaign, update, translations } = await load(request, context, params.slug!, params.id!)
  const form = await request.formData()
  const here = `/admin/campaigns/${campaign.slug}/updates/${update.id}`
  const ipHash = context.clientIpHash
  const intent = form.get('intent')
  const deps = { db: context.db, vault: context.vault, appUrl: context.config.appUrl, wake: context.wakeOutbox }
  if (intent === 'test') {
    // Only ever to the signed-in organiser's own address: the form names no recipient.
    const asked = form.get('locale')
    const locale = translations.some((t) => t.locale === asked) ? (asked as Locale) : (update.default_locale as Locale)
    const sent = await sendTestUpdate(deps, campaign.id, update.id, locale, context.vault.decrypt(organiser.email_enc))
    if (!sent) throw new Response('No such update', { status: 404 })
    context.wakeOutbox()
    await audit(context.db, { organiserId: organiser.id, action: 'update.test', target: update.id, details: { campaignId: campaign.id, locale }, ipHash })
    return redirect(`${here}?tested=${locale}`, 303)
  }
  if (intent === 'schedule') {
    const now = Date.now()
    const submission = parseWithZod(form, { schema: scheduleSchema(now, MAX_SCHEDULE_AHEAD_MS) })
    if (submission.status !== 'success') return json({ status: 'error' as const, error: submission.reply().error?.sendAt ?? ['Give the date and time to send it (UTC).'] }, { status: 400 })
    if (!(await scheduleUpdate(context.db, campaign.id, update.id, organiser.id, submission.value.sendAt, now))) {
      return json({ status: 'error' as const, error: ['Only a draft can be scheduled: this update is already scheduled or sent.'] }, { status: 409 })
    }
    await audit(context.db, {
      organiserId: organiser.id,
      action: 'update.schedule',
      target: update.id,
      details: { campaignId: campaign.id, at: new Date(submission.value.sendAt).toISOString() },
      ipHash,
    })
    return redirect(here, 303)
  }
  if (intent === 'unschedule') {
    if (!(await unscheduleUpdate(context.db, campaign.id, update.id))) {
      return json({ status: 'error' as const, error: ['This update is not scheduled any more: it has started to go out.'] }, { status: 409 })
    }
    await audit(context.db, { organiserId: organiser.id, action: 'update.unschedule', target: update.id, details: { campaignId: campaign.id }, ipHash })
    return redirect(here, 303)
  }
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
    void queueNewsUpdate(deps, update.id).catch(() => {
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

/** The next whole minute, as a datetime-local field's value in UTC. */
const inputMinute = (ms: number) => new Date(Math.ceil(ms / 60_000) * 60_000).toISOString().slice(0, 16)

export default function UpdatePage() {
  const d = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const [params] = useSearchParams()
  const draft = d.update.status === 'draft'
  const scheduled = d.update.status === 'scheduled'
  const sending = !draft && !scheduled && (d.update.status === 'queueing' || d.progress.pending > 0)
  useRefreshWhile(sending)
  const base = `/admin/campaigns/${d.campaign.slug}/updates`
  const missing = LOCALES.filter((l) => !d.translations.some((t) => t.locale === l))
  const sendError = lastResult && 'error' in lastResult && Array.isArray(lastResult.error) ? lastResult.error[0] : null
  const tested = params.get('tested')
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
      {tested && d.update.testSentAt ? (
        <p className="notice" role="status">
          {`A test in ${LOCALE_NAMES[tested as Locale] ?? tested} is on its way to ${d.me}, marked “[Test]”. No signer was sent anything.`}
        </p>
      ) : null}

      {scheduled && d.update.scheduledFor ? (
        <section aria-labelledby="schedule-heading" className="panel">
          <h2 id="schedule-heading">Scheduled</h2>
          <p data-scheduled-for={d.update.scheduledFor}>{`This update goes to the signers who asked for news at ${formatUtc(d.update.scheduledFor)}.`}</p>
          <Form method="post" className="actions">
            <button type="submit" name="intent" value="unschedule" className="secondary">
              Cancel the schedule (back to draft)
            </button>
            <button type="submit" name="intent" value="send">
              {`Send now to ${d.recipients.toLocaleString('en')} signers`}
            </button>
          </Form>
        </section>
      ) : null}

      {!draft && !scheduled ? (
        <section aria-labelledby="progress-heading" className="panel">
          <h2 id="progress-heading">Delivery</h2>
          <dl className="progress totals" aria-live="polite">
            <div>
              <dt>Queued</dt>
              <dd data-progress="queued">{d.progress.queued}</dd>
            </div>
            <div>
              <dt>Waiting to send</dt>
              <dd data-progress="pending">{d.progress.pending}</dd>
            </div>
            <div>
              <dt>Sent</dt>
              <dd data-progress="sent">{d.progress.sent}</dd>
            </div>
            <div>
              <dt>Failed</dt>
              <dd data-progress="failed">{d.progress.failed}</dd>
            </div>
            <div>
              <dt>Delivered</dt>
              <dd data-progress="delivered">{d.progress.delivered}</dd>
            </div>
            <div>
              <dt>Bounced</dt>
              <dd data-progress="bounced">{d.progress.bounced}</dd>
            </div>
            <div>
              <dt>Marked as spam</dt>
              <dd data-progress="complained">{d.progress.complained}</dd>
            </div>
            <div>
              <dt>Unsubscribed</dt>
              <dd data-progress="unsubscribed">{d.progress.unsubscribed}</dd>
            </div>
          </dl>
          <p className="hint">
            {d.update.status === 'queueing' ? 'Still queueing messages. ' : d.update.queuedAt ? `All messages queued ${formatUtc(d.update.queuedAt)}. ` : ''}
            Delivered, bounced and spam reports come from the email provider as it hears of them; unsubscribed counts signers who
            used this update’s link. Test sends are not counted. <Link to=".">Refresh</Link>
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
        <section key={t.locale} aria-label={`Preview in ${LOCALE_NAMES[t.locale]}`} className="panel">
          <p className="hint">
            {LOCALE_NAMES[t.locale]}
            {t.locale === d.update.defaultLocale ? ' (default: signers in other languages get this one)' : ''} ·{' '}
            <a href={`${base}/${d.update.id}/preview.html?locale=${t.locale}`}>Open the email on its own</a>
          </p>
          {/* The real email, in its own document and policy: it looks exactly as signers will see it (ADR 109). */}
          <iframe
            className="email-frame"
            src={`${base}/${d.update.id}/preview.html?locale=${t.locale}`}
            sandbox=""
            title={`The email in ${LOCALE_NAMES[t.locale]} as signers will see it`}
          />
          {draft || scheduled ? (
            <Form method="post">
              <input type="hidden" name="locale" value={t.locale} />
              <button type="submit" name="intent" value="test" className="secondary small">
                {`Send a test in ${LOCALE_NAMES[t.locale]} to ${d.me}`}
              </button>
            </Form>
          ) : null}
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
          <h3>Or schedule it</h3>
          <Form method="post">
            <div className="field">
              <label htmlFor="send-at">Send at (UTC)</label>
              <p className="hint" id="send-at-hint">
                Date and time in UTC, within the next 90 days. It goes to the signers who asked for news at that time.
              </p>
              <input
                id="send-at"
                name="sendAt"
                type="datetime-local"
                required
                min={inputMinute(d.now + 60_000)}
                defaultValue={inputMinute(d.now + 3600_000)}
                aria-describedby="send-at-hint"
              />
            </div>
            <button type="submit" name="intent" value="schedule" className="secondary">
              Schedule
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
