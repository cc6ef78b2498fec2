import type { LoaderFunctionArgs } from '@remix-run/node'
import { campaignForLetters } from '~/models/letter.server'
import { latestCheckpoint, proveConsistency } from '~/models/transparency-log.server'

/** A consistency proof between two tree sizes (RFC 9162 §2.1.4), for witnesses and auditors: `?from=&to=`. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const url = new URL(request.url)
  const [from, to] = ['from', 'to'].map((k) => url.searchParams.get(k) ?? '')
  if (!/^(0|[1-9][0-9]{0,15})$/.test(from) || !/^(0|[1-9][0-9]{0,15})$/.test(to) || Number(from) > Number(to))
    throw new Response('Give two tree sizes as integers, from ≤ to: ?from=N&to=M.', { status: 400 })
  const campaign = await campaignForLetters(context.db, params.slug ?? '')
  if (!campaign) throw new Response('No such campaign.', { status: 404 })
  const last = await latestCheckpoint(context.db, campaign.id)
  if (!last || Number(to) > Number(last.size)) throw new Response('The log is not that large yet.', { status: 404 })
  const proof = await proveConsistency(context.db, campaign.id, Number(from), Number(to))
  return Response.json(
    { from: Number(from), to: Number(to), proof: proof.map((h) => h.toString('base64')) },
    { headers: { 'Cache-Control': 'public, max-age=31536000, immutable', 'Access-Control-Allow-Origin': '*' } },
  )
}
