import type { LoaderFunctionArgs } from '@remix-run/node'
import { platformSigningKey } from '~/models/letter.server'

/**
 * The public half of the key that signs letter certificates (docs/decisions/021). JSON by
 * default; `?format=pem` gives the PEM file that `npm run verify-letter -- --key` reads.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const key = platformSigningKey(context.config)
  const headers = { 'Cache-Control': 'public, max-age=3600', 'Access-Control-Allow-Origin': '*' }
  if (new URL(request.url).searchParams.get('format') === 'pem') {
    return new Response(key.publicKeyPem, { headers: { ...headers, 'Content-Type': 'application/x-pem-file' } })
  }
  return Response.json(
    {
      algorithm: 'Ed25519',
      keyId: key.keyId,
      publicKey: key.publicKeyRaw,
      publicKeyPem: key.publicKeyPem,
      use: 'Signs letter certificates: Ed25519 over the canonical JSON (keys sorted) of the certificate.',
    },
    { headers },
  )
}
