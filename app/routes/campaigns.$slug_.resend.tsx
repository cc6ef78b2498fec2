import { json, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { ResendForm } from '~/components/resend-form'
import { localeFromRequest, messagesFor, translator } from '~/i18n/i18n.server'
import { useI18n } from '~/i18n/react'
import { CONFIRM_LINK_DAYS } from '~/utils/signature-rules'
import { getCampaign } from '~/models/campaign.server'
import { resendConfirmation } from '~/models/signature.server'
import { readForm } from '~/infra/form.server'
import { parseResendForm } from '~/utils/sign-schema.server'
import { checkCookieHeader, readCheckCookie } from '~/use-cases/check-email.server'

async function load(request: Request, slug: string, context: LoaderFunctionArgs['context']) {
  const locale = localeFromRequest(request)
  const found = await getCampaign(context.db, slug, locale)
  if (!found) throw new Response('Not found', { status: 404 })
  return { locale, ...found }
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign, copy, locale } = await load(request, params.slug!, context)
  const i18n = messagesFor(locale, ['error', 'link', 'rateLimit', 'sign'])
  return json({ slug: campaign.slug, title: copy.title, pageTitle: translator(locale)('link.resend'), i18n })
}

export const meta = ({ data }: { data?: { pageTitle: string } }) => [{ title: data?.pageTitle ?? '' }, { name: 'robots', content: 'noindex' }]

// A refused sign (429) tells the browser when to try again; Remix sends an action's headers on a
// full-page answer only through this.
export const headers: HeadersFunction = ({ actionHeaders, loaderHeaders }) =>
  actionHeaders.has('Retry-After') ? actionHeaders : loaderHeaders

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { campaign, copy, locale } = await load(request, params.slug!, context)
  const { form, refusal } = await readForm(request)
  if (refusal) return refusal
  const submission = parseResendForm(form)
  const limited = await context.limits.sign(context.clientIpHash, campaign.id)
  if (limited) {
    return json(submission.reply({ formErrors: ['rateLimit.body'] }), { status: 429, headers: { 'Retry-After': String(limited.retryAfterSeconds) } })
  }
  if (submission.status !== 'success') return json(submission.reply(), { status: 400 })
  // The campaign-wide budget is charged only for a well-formed request (ADR 088).
  const overBudget = await context.limits.signBudget(campaign.id)
  if (overBudget) {
    return json(submission.reply({ formErrors: ['rateLimit.body'] }), { status: 429, headers: { 'Retry-After': String(overBudget.retryAfterSeconds) } })
  }
  // Answered before the look-up's outcome is acted on, so a known and an unknown address take the
  // same time to answer (issue 13); the email, if any, follows.
  void resendConfirmation(
    { db: context.db, vault: context.vault, appUrl: context.config.appUrl, retentionDays: context.config.pendingRetentionDays },
    campaign,
    copy.title,
    submission.value.email,
  ).then(
    () => context.wakeOutbox(),
    (e: Error) => console.error(`resend failed: ${e.name}`),
  )
  // The check-email page shows the address just typed, not an earlier sign's (ADR 104): the sealed
  // cookie is written again, for every well-formed request alike, keeping the earlier form's name
  // and country (the reader's own) for "change it".
  const earlier = readCheckCookie(context.vault, request.headers.get('Cookie'), campaign.slug)
  const cookie = checkCookieHeader(context.vault, context.config.appUrl.startsWith('https:'), {
    slug: campaign.slug,
    email: submission.value.email,
    name: earlier?.name ?? '',
    country: earlier?.country ?? '',
  })
  return redirect(`/campaigns/${campaign.slug}/check-email?lang=${locale}`, { status: 303, headers: { 'Set-Cookie': cookie } })
}

export default function Resend() {
  const { slug, title } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const { t } = useI18n()
  return (
    <div className="panel">
      <h1>{t('link.resend')}</h1>
      <p>
        <bdi>{title}</bdi>
      </p>
      <p>{t('link.expiredBody', { days: CONFIRM_LINK_DAYS })}</p>
      <ResendForm slug={slug} lastResult={lastResult} />
    </div>
  )
}

// An action's failure renders here, under the root's messages (app/components/error-page.tsx).
export { ErrorBoundary } from '~/components/error-page'
