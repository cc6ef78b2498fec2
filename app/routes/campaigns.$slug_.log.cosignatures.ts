import type { ActionFunctionArgs } from '@remix-run/node'
import { campaignForLetters } from '~/models/letter.server'
import { acceptCosignatures } from '~/models/transparency-log.server'

/** Where a witness hands in its cosignature: a form field `note` holding the cosigned checkpoint. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const campaign = await campaignForLetters(context.db, params.slug ?? '')
  if (!campaign) return new Response('No such campaign.', { status: 404 })
  const note = (await request.formData()).get('note')
  if (typeof note !== 'string') return new Response('Send the cosigned checkpoint in the form field “note”.', { status: 400 })
  const outcome = await acceptCosignatures(context.db, context.config, campaign.id, note)
  if (outcome.kind === 'refused') return new Response(outcome.message, { status: 422 })
  return new Response(`Stored the cosignature of ${outcome.witnesses.join(', ')}.`, { status: 200 })
}

export function loader() {
  return new Response('POST a cosigned checkpoint here (form field “note”).', { status: 405 })
}
