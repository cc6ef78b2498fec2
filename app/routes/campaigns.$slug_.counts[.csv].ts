import type { LoaderFunctionArgs } from '@remix-run/node'
import { localeFromRequest } from '~/i18n/i18n.server'
import { csvCell, publicCounts } from '~/models/counts-export.server'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const counts = await publicCounts(context.db, params.slug!, localeFromRequest(request), context.config.statsCacheMs)
  if (!counts) return new Response('No such campaign\n', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  const rows = [['code', 'name', 'signature_count'], ...counts.signatures_by_country.map((c) => [c.code, c.name, c.signature_count])]
  const body = rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${counts.slug}-counts.csv"`,
      'Cache-Control': 'public, max-age=5',
    },
  })
}
