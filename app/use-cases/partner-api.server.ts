import type { AppLoadContext } from '@remix-run/node'
import { authenticateApiKey, parsePagination, type ApiAuth, type ApiScope, type Pagination } from '~/models/partner-api.server'

/** Every answer of the partner API is HAL JSON, never cached by anyone between (ADR 133). */
export function hal(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/hal+json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
  })
}

export const apiError = (status: number, message: string, headers: Record<string, string> = {}) => hal({ message }, status, headers)

/** The key in `Authorization: Bearer <key>`, or in `OSDI-API-Token` as Action Network's clients send it. */
function keyOf(request: Request): string | null {
  const bearer = request.headers.get('Authorization')?.match(/^Bearer\s+(\S+)\s*$/i)?.[1]
  return bearer ?? request.headers.get('OSDI-API-Token')?.trim() ?? null
}

/**
 * Authenticates a request and checks its scope and campaign; throws the JSON answer otherwise:
 * 401 without a current key, 429 past the key's rate, 403 without the scope, 404 for another
 * campaign than the key's (which says nothing of whether that campaign exists).
 */
export async function partnerApi(request: Request, context: AppLoadContext, scope: ApiScope, petition?: string): Promise<{ auth: ApiAuth; base: string }> {
  const key = keyOf(request)
  const auth = key ? await authenticateApiKey(context.db, key) : null
  if (!auth) throw apiError(401, 'A current API key is needed: Authorization: Bearer <key>.', { 'WWW-Authenticate': 'Bearer realm="osdi"' })
  const limited = await context.limits.apiKey(auth.keyId)
  if (limited) throw apiError(429, 'Too many requests with this key: wait and try again.', { 'Retry-After': String(limited.retryAfterSeconds) })
  if (!auth.scopes.includes(scope)) throw apiError(403, `This key does not have the ${scope} scope.`)
  if (petition !== undefined && petition !== auth.campaignSlug) throw apiError(404, 'No such petition.')
  return { auth, base: `${context.config.appUrl}/api/osdi/v1` }
}

export function paginationOf(request: Request): Pagination {
  const parsed = parsePagination(new URL(request.url).searchParams)
  if ('error' in parsed) throw apiError(400, parsed.error)
  return parsed
}
