import type { LoaderFunctionArgs } from '@remix-run/node'
import { peoplePage } from '~/models/partner-api.server'
import { hal, paginationOf, partnerApi } from '~/use-cases/partner-api.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { auth, base } = await partnerApi(request, context, 'people:read')
  return hal(await peoplePage(context.readDb, context.vault, base, auth, paginationOf(request)))
}
