import type { LoaderFunctionArgs } from '@remix-run/node'
import { petitionResource } from '~/models/partner-api.server'
import { apiError, hal, partnerApi } from '~/use-cases/partner-api.server'

/** A key reads one campaign: the collection holds that one petition. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { auth, base } = await partnerApi(request, context, 'campaign:read')
  const petition = await petitionResource(context.db, base, context.config.appUrl, auth, context.config.statsCacheMs)
  if (!petition) return apiError(404, 'No such petition.')
  return hal({
    total_pages: 1,
    per_page: 1,
    page: 1,
    total_records: 1,
    _links: { self: { href: `${base}/petitions` }, 'osdi:petitions': [{ href: petition._links.self.href }] },
    _embedded: { 'osdi:petitions': [petition] },
  })
}
