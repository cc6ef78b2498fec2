import type { LoaderFunctionArgs } from '@remix-run/node'
import { audit } from '~/models/organiser.server'
import { verifiedSignaturesCsv } from '~/models/signature-export.server'
import { organiserCampaign } from '~/use-cases/organiser-campaign.server'

/** Verified signatures as CSV, for organisers and admins only: viewers never see a name or address. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { organiser, campaign } = await organiserCampaign(request, context, params.slug, 'organiser')
  await audit(context.db, {
    organiserId: organiser.id,
    action: 'export.signatures',
    target: campaign.id,
    details: { slug: campaign.slug },
    ipHash: context.clientIpHash,
  })
  const day = new Date().toISOString().slice(0, 10)
  return new Response(verifiedSignaturesCsv(context.readDb, context.vault, campaign.id), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${campaign.slug}-signatures-${day}.csv"`,
      'Cache-Control': 'no-store',
    },
  })
}
