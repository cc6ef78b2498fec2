import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { TokenActionPage } from '~/components/token-action-page'
import { useI18n } from '~/i18n/react'
import { inspectToken, signerConsents, unsubscribeSigner, type Unsubscribe } from '~/models/signature.server'
import type { TokenPageState } from '~/use-cases/token-route.server'
import { localeFromRequest, messagesFor } from '~/i18n/i18n.server'

const statusOf = (state: TokenPageState) => (state === 'invalid' ? 404 : state === 'valid' || state === 'done' ? 200 : 410)
const STOPS: readonly Unsubscribe[] = ['news', 'partner', 'both']

/** Says whether the link still works and, while it does, which emails the signer still agrees to (ADR 131). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const t = await inspectToken(context.db, context.vault, params.token ?? '', 'unsubscribe')
  const consents = t.state === 'valid' ? await signerConsents(context.db, t.signatureId) : null
  const i18n = messagesFor(localeFromRequest(request), ['link', 'unsubscribe'])
  return json({ state: t.state as TokenPageState, consents, i18n }, { status: statusOf(t.state), headers: { 'Cache-Control': 'no-store' } })
}

/**
 * Also the target of the List-Unsubscribe-Post one-click header (RFC 8058): a POST acts at once. A POST
 * that names nothing (one-click, or the page before partners' consent) stops the campaign's news, as
 * it always did; the page's buttons name news, the partner or both.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await request.formData().catch(() => null)
  const asked = form?.get('stop')
  const what: Unsubscribe = STOPS.find((s) => s === asked) ?? 'news'
  const token = params.token ?? ''
  const before = await inspectToken(context.db, context.vault, token, 'unsubscribe')
  const consents = before.state === 'valid' ? await signerConsents(context.db, before.signatureId) : null
  const outcome = await unsubscribeSigner(context.db, context.vault, token, Date.now(), what)
  const state: TokenPageState = outcome.kind
  return json({ state, what, partner: what !== 'news' ? (consents?.partner ?? null) : null }, { status: statusOf(state) })
}

export const meta = () => [{ title: 'Unsubscribe' }, { name: 'robots', content: 'noindex' }]

const KEYS = {
  title: 'unsubscribe.title',
  body: 'unsubscribe.body',
  submit: 'unsubscribe.submit',
  doneTitle: 'unsubscribe.doneTitle',
  doneBody: 'unsubscribe.doneBody',
  usedTitle: 'unsubscribe.usedTitle',
  usedBody: 'unsubscribe.usedBody',
} as const

export default function UnsubscribePage() {
  const { locale, t, tx } = useI18n()
  const loaded = useLoaderData<typeof loader>()
  const acted = useActionData<typeof action>()
  // A partner's emails stopped: said in their own words, naming the partner.
  if (acted?.state === 'done' && acted.partner) {
    const partner = <bdi>{acted.partner}</bdi>
    return (
      <div className="panel" role="status">
        <h1>{t(acted.what === 'both' ? 'unsubscribe.doneTitle' : 'unsubscribe.partnerDoneTitle')}</h1>
        <p>{tx(acted.what === 'both' ? 'unsubscribe.bothDoneBody' : 'unsubscribe.partnerDoneBody', { partner })}</p>
        <p>
          <Link to={`/?lang=${locale}`}>{t('nav.campaigns')}</Link>
        </p>
      </div>
    )
  }
  const partnerName = !acted && loaded.state === 'valid' ? loaded.consents?.partner : null
  // Only the campaign's news to stop: the page as it always was.
  if (!partnerName) return <TokenActionPage keys={KEYS} />
  const partner = <bdi>{partnerName}</bdi>
  const news = loaded.consents?.news === true
  return (
    <div className="panel">
      <h1>{t('unsubscribe.title')}</h1>
      <ul>
        {news ? <li>{t('unsubscribe.consentNews')}</li> : null}
        <li>{tx('unsubscribe.consentPartner', { partner })}</li>
      </ul>
      <p>{t('unsubscribe.choose')}</p>
      <Form method="post" className="stack">
        {news ? (
          <button type="submit" name="stop" value="news">
            {t('unsubscribe.stopNews')}
          </button>
        ) : null}
        <button type="submit" name="stop" value="partner">
          {tx('unsubscribe.stopPartner', { partner })}
        </button>
        {news ? (
          <button type="submit" name="stop" value="both">
            {t('unsubscribe.stopBoth')}
          </button>
        ) : null}
      </Form>
    </div>
  )
}

// An action's failure renders here, under the root's messages (app/components/error-page.tsx).
export { ErrorBoundary } from '~/components/error-page'
