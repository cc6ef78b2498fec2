import type { LoaderFunctionArgs } from '@remix-run/node'
import { audit } from '~/models/organiser.server'
import { paperSignaturesCsv } from '~/models/paper-signature.server'
import { organiserCampaign } from '~/use-cases/organiser-campaign.server'

/** Paper signatures as CSV, names included: organisers only, audited, every formula-like cell neutralised (ADR 134). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { organiser, campaign } = await organiserCampaign(request, context, params.slug, 'organiser')
  await audit(context.db, { organiserId: organiser.id, action: 'export.paper', target: campaign.id, details: { slug: campaign.slug }, ipHash: context.clientIpHash })
  const day = new Date().toISOString().slice(0, 10)
  return new Response(await paperSignaturesCsv(context.readDb, context.vault, campaign.id), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${campaign.slug}-paper-signatures-${day}.csv"`,
      'Cache-Control': 'no-store',
    },
  })
}
