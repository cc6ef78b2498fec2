import type { LoaderFunctionArgs } from '@remix-run/node'
import { getLetter, getLetterPdf, letterFileName } from '~/models/letter.server'
import { requireOrganiser } from '~/utils/auth.server'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireOrganiser(request, context, 'viewer')
  const letter = await getLetter(context.db, params.id!)
  const pdf = letter ? await getLetterPdf(context.db, letter.id) : null
  if (!letter || !pdf) throw new Response('Not found', { status: 404 })
  return new Response(new Uint8Array(pdf), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `inline; filename="${letterFileName(letter)}.pdf"`,
      'Cache-Control': 'no-store',
    },
  })
}
