import type { LoaderFunctionArgs } from '@remix-run/node'
import { localeFromRequest } from '~/i18n/i18n.server'
import { publicCounts } from '~/models/counts-export.server'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const counts = await publicCounts(context.db, params.slug!, localeFromRequest(request), context.config.statsCacheMs)
  if (!counts) return Response.json({ error: 'No such campaign' }, { status: 404 })
  return Response.json(counts, {
    headers: { 'Cache-Control': 'public, max-age=5', 'Access-Control-Allow-Origin': '*' },
  })
}
