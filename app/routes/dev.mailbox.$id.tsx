import { json, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useI18n } from '~/i18n/react'
import { getMessage, linksIn } from '~/models/dev-mailbox.server'
import { assertDevMailbox } from '~/infra/dev-mailbox.server'
import { localeFromRequest, messagesFor } from '~/i18n/i18n.server'

export async function loader({ context, params, request }: LoaderFunctionArgs) {
  assertDevMailbox(context, request)
  const message = await getMessage(context.db, Number(params.id))
  if (!message) throw new Response('Not found', { status: 404 })
  const i18n = messagesFor(localeFromRequest(request), ['mailbox'])
  return json(
    { id: message.id, to: message.to_address, subject: message.subject, text: message.text, links: linksIn(message.html), i18n },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

export const meta = () => [{ title: 'Dev mailbox' }, { name: 'robots', content: 'noindex' }]

export default function MailboxMessage() {
  const m = useLoaderData<typeof loader>()
  const { t } = useI18n()
  return (
    <div className="mailbox">
      <p>
        <Link to="/dev/mailbox">{t('mailbox.title')}</Link>
      </p>
      <h1>
        <bdi>{m.subject}</bdi>
      </h1>
      <p dir="ltr">To: {m.to}</p>
      <h2>{t('mailbox.asSent')}</h2>
      {/* The message's own HTML under its own policy (inline styles, no script), as a mail client shows it. */}
      <iframe className="email-frame" src={`/dev/mailbox/${m.id}/html`} sandbox="" title={m.subject} />
      <p>
        <a href={`/dev/mailbox/${m.id}/html`}>HTML</a>
      </p>
      <h2>Links</h2>
      <ul className="mail-links">
        {m.links.map((href) => (
          <li key={href} dir="ltr">
            <a href={href}>{href}</a>
          </li>
        ))}
      </ul>
      <h2>Text</h2>
      <pre dir="auto">{m.text}</pre>
    </div>
  )
}
