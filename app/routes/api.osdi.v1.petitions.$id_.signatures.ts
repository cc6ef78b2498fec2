import type { LoaderFunctionArgs } from '@remix-run/node'
import { signaturesPage } from '~/models/partner-api.server'
import { hal, paginationOf, partnerApi } from '~/use-cases/partner-api.server'

/** The partner's own confirmed, opted-in signers; each links to the person, which needs people:read. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { auth, base } = await partnerApi(request, context, 'campaign:read', params.id)
  return hal(await signaturesPage(context.readDb, context.vault, base, auth, paginationOf(request)))
}
