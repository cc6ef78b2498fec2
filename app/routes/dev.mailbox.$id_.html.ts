import type { LoaderFunctionArgs } from '@remix-run/node'
import { getMessage } from '~/models/dev-mailbox.server'
import { assertDevMailbox } from '~/infra/dev-mailbox.server'

/** The message as an email client would show it; email HTML needs inline styles, nothing more. */
export async function loader({ context, params, request }: LoaderFunctionArgs) {
  assertDevMailbox(context, request)
  const message = await getMessage(context.db, Number(params.id))
  if (!message) return new Response('Not found', { status: 404 })
  return new Response(message.html, {
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      // Its Content-Security-Policy is set by the server for every email document (server/app.ts).
      'Cache-Control': 'no-store',
    },
  })
}
