import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import type { DB, TokenPurpose } from '~/db.server'
import type { Vault } from '~/infra/vault.server'
import { inspectToken, type LinkOutcome } from '~/models/signature.server'
import { localeFromRequest, messagesFor } from '~/i18n/i18n.server'

export type TokenPageState = 'valid' | 'done' | 'expired' | 'used' | 'invalid'

const statusOf = (state: TokenPageState) => (state === 'invalid' ? 404 : state === 'valid' || state === 'done' ? 200 : 410)

/** GET of a link that acts on POST only (withdraw, unsubscribe): says whether the link still works. */
export async function tokenLoader(purpose: TokenPurpose, { request, params, context }: LoaderFunctionArgs) {
  const { state } = await inspectToken(context.db, context.vault, params.token ?? '', purpose)
  const i18n = messagesFor(localeFromRequest(request), ['link', 'unsubscribe', 'withdraw'])
  return json({ state: state as TokenPageState, i18n }, { status: statusOf(state), headers: { 'Cache-Control': 'no-store' } })
}

export async function tokenAction(act: (db: DB, vault: Vault, token: string) => Promise<LinkOutcome>, { params, context }: ActionFunctionArgs) {
  const outcome = await act(context.db, context.vault, params.token ?? '')
  const state: TokenPageState = outcome.kind
  return json({ state }, { status: statusOf(state) })
}
