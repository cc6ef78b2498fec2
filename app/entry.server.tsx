import type { AppLoadContext, EntryContext, HandleErrorFunction } from '@remix-run/node'
import { isRouteErrorResponse, RemixServer } from '@remix-run/react'
import { isbot } from 'isbot'
import { renderToReadableStream } from 'react-dom/server.browser'
import { NonceProvider } from './infra/nonce'

const ABORT_DELAY = 5_000

/**
 * Remix logs every error with its message, and messages quote URLs, which carry tokens. A refusal
 * (a 4xx such as a POST to a page without a form, 405) is not an error of ours and is not logged;
 * a real failure is logged by name and where it happened, never by message.
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return
  if (isRouteErrorResponse(error) && error.status < 500) return
  const e = error instanceof Error ? error : new Error('non-error thrown')
  const where = (e.stack ?? '').split('\n').slice(1, 4).map((l) => l.trim()).join(' < ')
  console.error(`remix: ${e.name} in ${new URL(request.url).pathname.split('/').slice(0, 3).join('/')} ${where}`)
}

/**
 * Remix sends a loader's headers on a page only through a `headers` export, which most routes lack:
 * the protective ones a loader or action sets (Cache-Control no-store, Referrer-Policy) reach the
 * page here, whichever route of the match set them, the strictest winning (issue 13).
 */
function carryProtectiveHeaders(remixContext: EntryContext, responseHeaders: Headers) {
  const { loaderHeaders, actionHeaders } = remixContext.staticHandlerContext
  const all = [...Object.values(loaderHeaders ?? {}), ...Object.values(actionHeaders ?? {})]
  if (all.some((h) => /\bno-store\b/i.test(h.get('Cache-Control') ?? ''))) responseHeaders.set('Cache-Control', 'no-store')
  const policies = all.map((h) => h.get('Referrer-Policy')).filter((p): p is string => Boolean(p))
  if (policies.length) responseHeaders.set('Referrer-Policy', policies.includes('no-referrer') ? 'no-referrer' : policies[policies.length - 1])
}

/**
 * React's web-streams renderer, not `renderToPipeableStream`: React 18.3's Node renderer sends the
 * zero-filled end of its 2048-byte buffer whenever a multi-byte character does not fit there, so
 * Persian and Arabic pages carried NUL bytes ("�" in attributes). Fixed upstream only in React 19
 * (react#24985, #26228); the web-streams renderer encodes every string whole and is not affected
 * (ADR 101). Node 20 has web streams, and Remix sends a Response's stream as it comes.
 */
export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  carryProtectiveHeaders(remixContext, responseHeaders)
  const nonce = loadContext.cspNonce
  let shellRendered = false
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), ABORT_DELAY)
  const body = await renderToReadableStream(
    <NonceProvider value={nonce}>
      <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} />
    </NonceProvider>,
    {
      nonce,
      signal: controller.signal,
      onError(error: unknown) {
        responseStatusCode = 500
        if (shellRendered) console.error('render error', (error as Error)?.name ?? 'unknown')
      },
    },
  )
  shellRendered = true
  // Crawlers and no-JS readers get the whole document at once; browsers get it streamed.
  const done = () => clearTimeout(timer)
  body.allReady.then(done, done)
  if (isbot(request.headers.get('user-agent') ?? '')) await body.allReady.catch(() => {})
  responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
  return new Response(body, { headers: responseHeaders, status: responseStatusCode })
}
