import type { LoaderFunctionArgs } from '@remix-run/node'
import { campaignForLetters, getLetter, getLetterPdf, letterFileName } from '~/models/letter.server'
import { audit } from '~/models/organiser.server'
import { organiserCampaign } from '~/use-cases/organiser-campaign.server'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  // A letter's annex names people: viewers see counts only (ADR 087).
  const { organiser, campaign } = await organiserCampaign(request, context, params.slug, 'organiser', campaignForLetters)
  const found = await getLetter(context.db, params.id!)
  // A letter of another campaign is not at this address.
  const letter = found?.campaign_id === campaign.id ? found : undefined
  const pdf = letter ? await getLetterPdf(context.db, context.vault, letter.id) : null
  if (!letter || !pdf) throw new Response('Not found', { status: 404 })
  await audit(context.db, { organiserId: organiser.id, action: 'letter.download-pdf', target: letter.id, details: { country: letter.country_code, version: letter.version }, ipHash: context.clientIpHash })
  return new Response(new Uint8Array(pdf), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `inline; filename="${letterFileName(letter)}.pdf"`,
      'Cache-Control': 'no-store',
    },
  })
}
