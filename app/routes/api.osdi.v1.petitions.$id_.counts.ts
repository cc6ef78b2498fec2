import type { LoaderFunctionArgs } from '@remix-run/node'
import { petitionCounts } from '~/models/partner-api.server'
import { hal, partnerApi } from '~/use-cases/partner-api.server'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { auth, base } = await partnerApi(request, context, 'campaign:read', params.id)
  return hal(await petitionCounts(context.db, context.readDb, base, auth, context.config.statsCacheMs))
}
