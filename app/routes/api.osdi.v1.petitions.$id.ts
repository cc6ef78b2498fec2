import type { LoaderFunctionArgs } from '@remix-run/node'
import { petitionResource } from '~/models/partner-api.server'
import { apiError, hal, partnerApi } from '~/use-cases/partner-api.server'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { auth, base } = await partnerApi(request, context, 'campaign:read', params.id)
  const petition = await petitionResource(context.db, base, context.config.appUrl, auth, context.config.statsCacheMs)
  return petition ? hal(petition) : apiError(404, 'No such petition.')
}
