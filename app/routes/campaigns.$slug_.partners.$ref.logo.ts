import type { LoaderFunctionArgs } from '@remix-run/node'
import { getCampaign } from '~/models/campaign.server'
import { partnerLogo } from '~/models/partner.server'

/** A partner's logo, uploaded by organisers and served from this origin (never hot-linked), as the type its bytes proved at upload. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const found = await getCampaign(context.db, params.slug!, 'en')
  const logo = found ? await partnerLogo(context.db, found.campaign.id, params.ref!) : null
  if (!logo) throw new Response('Not found', { status: 404 })
  return new Response(new Uint8Array(logo.bytes), {
    headers: {
      'Content-Type': logo.type,
      'Cache-Control': 'public, max-age=300',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    },
  })
}
