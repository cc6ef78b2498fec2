import type { LoaderFunctionArgs } from '@remix-run/node'
import { optionalOrganiser } from '~/infra/auth.server'
import { findCampaignBySlug } from '~/models/campaign-admin.server'
import { leadImageBytes } from '~/models/lead-image.server'
import { LEAD_IMAGE_FILE } from '~/utils/lead-image'

const notFound = () => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })

/**
 * A campaign's lead image (ADR 114), from this origin, as re-encoded at upload. Its version is in the
 * address: the current one is kept by caches for a year; an older one (a page cached a moment before
 * a replacement) gets the current image, briefly cached. A draft's image only to organisers.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const file = LEAD_IMAGE_FILE.exec(params.file ?? '')
  const campaign = file ? await findCampaignBySlug(context.db, params.slug!) : null
  if (!file || !campaign) return notFound()
  const isDraft = campaign.status === 'draft'
  // A partner's organiser is not the campaign's (ADR 131): a draft is not shown to it.
  if (isDraft && (await optionalOrganiser(request, context))?.partner_id !== null) return notFound()
  const image = await leadImageBytes(context.db, campaign.id, file[2] as 'large' | 'small')
  if (!image) return notFound()
  const current = String(image.version) === file[1]
  return new Response(new Uint8Array(image.bytes), {
    headers: {
      'Content-Type': image.type,
      'Cache-Control': isDraft ? 'private, no-store' : current ? 'public, max-age=31536000, immutable' : 'public, max-age=60',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cross-Origin-Resource-Policy': 'same-origin',
    },
  })
}
