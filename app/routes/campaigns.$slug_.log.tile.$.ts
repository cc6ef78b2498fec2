import type { LoaderFunctionArgs } from '@remix-run/node'
import { campaignForLetters } from '~/models/letter.server'
import { readEntryBundle, readTile } from '~/models/transparency-log.server'
import { parseTilePath } from '~/transparency/tiles'

/** Hash tiles and entry bundles in the C2SP tlog-tiles layout; once served, a tile never changes. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const request = parseTilePath(`tile/${params['*'] ?? ''}`)
  if (!request) throw new Response('Not a tile path: tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>], N in groups of three digits (x001/234).', { status: 400 })
  const campaign = await campaignForLetters(context.db, params.slug ?? '')
  if (!campaign) throw new Response('No such campaign.', { status: 404 })
  const body =
    request.level === 'entries'
      ? await readEntryBundle(context.db, campaign.id, request.n, request.width)
      : await readTile(context.db, campaign.id, request.level, request.n, request.width)
  if (!body) throw new Response('The log does not hold this tile yet.', { status: 404 })
  return new Response(new Uint8Array(body), {
    headers: { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'public, max-age=31536000, immutable', 'Access-Control-Allow-Origin': '*' },
  })
}
