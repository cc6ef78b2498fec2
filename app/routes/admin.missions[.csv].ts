import type { LoaderFunctionArgs } from '@remix-run/node'
import { listMissions, missionsToCsv } from '~/models/mission.server'
import { requireOrganiser } from '~/infra/auth.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireOrganiser(request, context, 'viewer')
  const csv = missionsToCsv(await listMissions(context.db))
  return new Response(`\uFEFF${csv}`, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="missions.csv"',
      'Cache-Control': 'no-store',
    },
  })
}
