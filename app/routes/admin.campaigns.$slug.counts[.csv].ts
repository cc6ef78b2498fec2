import type { LoaderFunctionArgs } from '@remix-run/node'
import { audit } from '~/models/organiser.server'
import { countsByCountry, countsCsv } from '~/models/signature-export.server'
import { organiserCampaign } from '~/use-cases/organiser-campaign.server'

/** Verified signatures per country, for everyone with access (viewers included): aggregates only. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { organiser, campaign } = await organiserCampaign(request, context, params.slug, 'viewer')
  const counts = await countsByCountry(context.db, campaign.id)
  await audit(context.db, {
    organiserId: organiser.id,
    action: 'export.counts',
    target: campaign.id,
    details: { slug: campaign.slug, total: counts.total },
    ipHash: context.clientIpHash,
  })
  return new Response(countsCsv(counts), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${campaign.slug}-counts-by-country.csv"`,
      'Cache-Control': 'no-store',
    },
  })
}
