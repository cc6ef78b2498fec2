import { TokenActionPage } from '~/components/token-action-page'
import { withdrawSignature } from '~/models/signature.server'
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { tokenAction, tokenLoader } from '~/use-cases/token-route.server'

export const loader = (args: LoaderFunctionArgs) => tokenLoader('withdraw', args)
export const action = (args: ActionFunctionArgs) => tokenAction(withdrawSignature, args)
export const meta = () => [{ title: 'Withdraw' }, { name: 'robots', content: 'noindex' }]

export default function Withdraw() {
  return (
    <TokenActionPage
      keys={{ title: 'withdraw.title', body: 'withdraw.body', submit: 'withdraw.submit', doneTitle: 'withdraw.doneTitle', doneBody: 'withdraw.doneBody', usedTitle: 'withdraw.usedTitle', usedBody: 'withdraw.usedBody' }}
    />
  )
}

// An action's failure renders here, under the root's messages (app/components/error-page.tsx).
export { ErrorBoundary } from '~/components/error-page'
