import type { LoaderFunctionArgs } from '@remix-run/node'
import { getLetterByCode, normaliseCode, signedCertificateOf } from '~/models/letter.server'

/** The signed certificate as a file, for `npm run verify-letter` to check offline. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const code = normaliseCode(params.code ?? '')
  const letter = code ? await getLetterByCode(context.db, code) : undefined
  if (!letter) throw new Response('Not found', { status: 404 })
  return new Response(JSON.stringify(signedCertificateOf(letter), null, 2), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="certificate-${letter.code}.json"`,
      'Cache-Control': 'public, max-age=3600',
    },
  })
}
