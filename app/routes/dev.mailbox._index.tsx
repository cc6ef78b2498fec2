import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useI18n } from '~/i18n/react'
import { listMessages } from '~/models/dev-mailbox.server'
import { assertDevMailbox } from '~/infra/dev-mailbox.server'
import { localeFromRequest, messagesFor } from '~/i18n/i18n.server'

export async function loader({ context, request }: LoaderFunctionArgs) {
  assertDevMailbox(context, request)
  const messages = await listMessages(context.db)
  return json({ messages, i18n: messagesFor(localeFromRequest(request), ['mailbox']) }, { headers: { 'Cache-Control': 'no-store' } })
}

export const meta = () => [{ title: 'Dev mailbox' }, { name: 'robots', content: 'noindex' }]

export default function Mailbox() {
  const { messages } = useLoaderData<typeof loader>()
  const { t } = useI18n()
  return (
    <div className="mailbox">
      <h1>{t('mailbox.title')}</h1>
      {messages.length === 0 ? <p>{t('mailbox.empty')}</p> : null}
      <table>
        <caption className="visually-hidden">{t('mailbox.title')}</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">To</th>
            <th scope="col">Subject</th>
            <th scope="col">Time</th>
          </tr>
        </thead>
        <tbody>
          {messages.map((m) => (
            <tr key={m.id}>
              <td>{m.id}</td>
              <td dir="ltr">{m.to_address}</td>
              <td>
                <Link to={`/dev/mailbox/${m.id}`}>
                  <bdi>{m.subject}</bdi>
                </Link>
              </td>
              <td dir="ltr">{new Date(m.created_at).toISOString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
