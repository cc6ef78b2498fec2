import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { audit, endAllSessions } from '~/models/organiser.server'
import { closeSession, optionalOrganiser } from '~/infra/auth.server'

export async function loader() {
  return redirect('/admin')
}

/** Signs out this browser, or with ?everywhere=1 every session of this organiser. */
export async function action({ request, context }: ActionFunctionArgs) {
  const organiser = await optionalOrganiser(request, context)
  const everywhere = new URL(request.url).searchParams.get('everywhere') === '1'
  if (organiser && everywhere) await endAllSessions(context.db, organiser.id)
  const cookie = await closeSession(request, context)
  if (organiser) {
    await audit(context.db, { organiserId: organiser.id, action: everywhere ? 'sign-out-everywhere' : 'sign-out', ipHash: context.clientIpHash })
  }
  return redirect('/admin/login', { headers: { 'Set-Cookie': cookie } })
}
