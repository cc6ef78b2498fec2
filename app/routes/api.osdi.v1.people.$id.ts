import type { LoaderFunctionArgs } from '@remix-run/node'
import { personResource } from '~/models/partner-api.server'
import { apiError, hal, partnerApi } from '~/use-cases/partner-api.server'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { auth, base } = await partnerApi(request, context, 'people:read')
  const person = await personResource(context.readDb, context.vault, base, auth, params.id ?? '')
  return person ? hal(person) : apiError(404, 'No such person.')
}
