import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { audit } from '~/models/organiser.server'
import { sendUndeliveredAgain, undeliveredMail } from '~/models/outbox.server'
import { formatUtc } from '~/utils/moderation-params'
import { organiserCampaign } from '~/use-cases/organiser-campaign.server'

export const meta = () => [{ title: 'Undelivered email · Organisers' }, { name: 'robots', content: 'noindex' }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign } = await organiserCampaign(request, context, params.slug, 'organiser')
  return json({ campaign, undelivered: await undeliveredMail(context.db, campaign.id) }, { headers: { 'Cache-Control': 'no-store' } })
}

/** Queues again the mail the provider would not take for 72 hours (ADR 096). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { organiser, campaign } = await organiserCampaign(request, context, params.slug, 'organiser')
  const form = await request.formData()
  if (form.get('intent') !== 'send-again') return json({ error: 'Unknown action.' }, { status: 400 })
  const queued = await sendUndeliveredAgain(context.db, campaign.id)
  await audit(context.db, { organiserId: organiser.id, action: 'outbox.send-again', target: campaign.id, details: { queued }, ipHash: context.clientIpHash })
  context.wakeOutbox?.()
  return redirect(`/admin/campaigns/${campaign.slug}/undelivered`, 303)
}

export default function Undelivered() {
  const { campaign, undelivered } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>Undelivered email: {campaign.title}</h1>
      {undelivered.count === 0 ? (
        <p>Every email of this campaign has been delivered to the provider, or is still being tried.</p>
      ) : (
        <>
          <p>
            {`${undelivered.count.toLocaleString('en')} email${undelivered.count === 1 ? '' : 's'} (confirmation links, notices, news) could not be delivered: the provider refused ${undelivered.count === 1 ? 'it' : 'them'}, or was unreachable for 72 hours. The oldest was queued ${undelivered.since ? formatUtc(undelivered.since) : ''}. Signers without a confirmation link can also sign again for a fresh one.`}
          </p>
          <Form method="post">
            <button type="submit" name="intent" value="send-again">
              Send them again
            </button>
          </Form>
        </>
      )}
      <p>
        <Link to={`/admin/campaigns/${campaign.slug}`}>Back to the dashboard</Link>
      </p>
    </>
  )
}
