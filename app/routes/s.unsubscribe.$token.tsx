import { TokenActionPage } from '~/components/token-action-page'
import { unsubscribeSigner } from '~/models/signature.server'
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { tokenAction, tokenLoader } from '~/use-cases/token-route.server'

// Also the target of the List-Unsubscribe-Post one-click header (RFC 8058): a POST acts at once.
export const loader = (args: LoaderFunctionArgs) => tokenLoader('unsubscribe', args)
export const action = (args: ActionFunctionArgs) => tokenAction(unsubscribeSigner, args)
export const meta = () => [{ title: 'Unsubscribe' }, { name: 'robots', content: 'noindex' }]

export default function Unsubscribe() {
  return (
    <TokenActionPage
      keys={{
        title: 'unsubscribe.title',
        body: 'unsubscribe.body',
        submit: 'unsubscribe.submit',
        doneTitle: 'unsubscribe.doneTitle',
        doneBody: 'unsubscribe.doneBody',
        usedTitle: 'unsubscribe.usedTitle',
        usedBody: 'unsubscribe.usedBody',
      }}
    />
  )
}

// An action's failure renders here, under the root's messages (app/components/error-page.tsx).
export { ErrorBoundary } from '~/components/error-page'
