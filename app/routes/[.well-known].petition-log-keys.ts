import type { LoaderFunctionArgs } from '@remix-run/node'
import { publishedLogKeys } from '~/models/transparency-log.server'

/**
 * Every key that ever signed a campaign log's checkpoint, in signed-note verifier form
 * (`<name>+<key id>+<base64(0x01 ‖ key)>`), with when it was first and last used: an old letter's
 * checkpoint stays checkable after a rotation. The same Ed25519 key signs letter certificates.
 */
export async function loader({ context }: LoaderFunctionArgs) {
  return Response.json(
    { type: 'un-petitions/log-keys', version: 1, keys: await publishedLogKeys(context.db) },
    { headers: { 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' } },
  )
}
