import type { LoaderFunctionArgs } from '@remix-run/node'
import { entryPoint } from '~/models/partner-api.server'
import { hal, partnerApi } from '~/use-cases/partner-api.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { auth, base } = await partnerApi(request, context, 'campaign:read')
  return hal(entryPoint(base, auth))
}
