import type { LoaderFunctionArgs } from '@remix-run/node'
import { campaignForLetters } from '~/models/letter.server'
import { latestCheckpoint } from '~/models/transparency-log.server'

/** The campaign log's latest signed checkpoint (C2SP tlog-checkpoint in a signed note). */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const campaign = await campaignForLetters(context.db, params.slug ?? '')
  if (!campaign) throw new Response('No such campaign.', { status: 404 })
  const checkpoint = await latestCheckpoint(context.db, campaign.id)
  if (!checkpoint) throw new Response('This campaign’s log has no checkpoint yet: no signature has been confirmed.', { status: 404 })
  return new Response(checkpoint.note, {
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache', 'Access-Control-Allow-Origin': '*' },
  })
}
