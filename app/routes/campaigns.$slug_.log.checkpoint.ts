import type { LoaderFunctionArgs } from '@remix-run/node'
import { campaignForLetters } from '~/models/letter.server'
import { checkpointAt, cosignatureLinesOf, latestCheckpoint } from '~/models/transparency-log.server'

/**
 * The campaign log's latest signed checkpoint (C2SP tlog-checkpoint in a signed note), or with
 * `?size=N` the one at that size (the one a letter cites), followed by the cosignature lines of the
 * configured witnesses that cosigned it (ADR 092), so offline verifiers can check them.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const campaign = await campaignForLetters(context.db, params.slug ?? '')
  if (!campaign) throw new Response('No such campaign.', { status: 404 })
  const size = new URL(request.url).searchParams.get('size')
  if (size !== null && !/^(0|[1-9][0-9]{0,15})$/.test(size)) throw new Response('Give the tree size as an integer: ?size=N.', { status: 400 })
  const checkpoint = size === null ? await latestCheckpoint(context.db, campaign.id) : await checkpointAt(context.db, campaign.id, Number(size))
  if (!checkpoint)
    throw new Response(size === null ? 'This campaign’s log has no checkpoint yet: no signature has been confirmed.' : 'This log signed no checkpoint at that size.', { status: 404 })
  const lines = await cosignatureLinesOf(context.db, context.config, campaign.id, Number(checkpoint.size), checkpoint.note)
  return new Response(`${checkpoint.note}${lines.join('')}`, {
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache', 'Access-Control-Allow-Origin': '*' },
  })
}
