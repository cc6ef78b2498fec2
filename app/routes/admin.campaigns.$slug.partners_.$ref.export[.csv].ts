import type { LoaderFunctionArgs } from '@remix-run/node'
import { audit } from '~/models/organiser.server'
import { partnerSupportersCsv } from '~/models/signature-export.server'
import { partnerAccess } from '~/use-cases/partner-access.server'

/** One partner's confirmed, opted-in supporters as CSV (ADR 131): for its own organisers and the campaign's. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { organiser, campaign, partner, scoped } = await partnerAccess(request, context, params.slug, params.ref)
  await audit(context.db, {
    organiserId: organiser.id,
    action: 'export.partner-supporters',
    target: partner.id,
    details: { slug: campaign.slug, campaign: campaign.id, byPartner: scoped },
    ipHash: context.clientIpHash,
  })
  const day = new Date().toISOString().slice(0, 10)
  return new Response(partnerSupportersCsv(context.readDb, context.vault, campaign.id, partner.id), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${campaign.slug}-partner-${partner.ref}-${day}.csv"`,
      'Cache-Control': 'no-store',
    },
  })
}
