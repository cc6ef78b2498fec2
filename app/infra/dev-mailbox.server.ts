import { isLoopbackHost, type AppConfig } from '~/config.server'

/**
 * The dev mailbox holds every message in clear, reset links included: it answers only on a loopback
 * APP_URL, while the server listens on loopback only, and to a request whose Host (and any
 * X-Forwarded-Host) is loopback, so no other machine can reach it, spoofed Host or not (issue 13).
 */
export function assertDevMailbox(context: { config: AppConfig }, request: Request) {
  const hosts = [request.headers.get('host'), request.headers.get('x-forwarded-host')].filter((h): h is string => h !== null)
  const hostOk = hosts.length > 0 && hosts.every((h) => isLoopbackHost(hostnameOf(h)))
  if (!context.config.isLoopback || !isLoopbackHost(context.config.host) || !hostOk) throw new Response('Not found', { status: 404 })
}

/** The name part of a Host header: `[::1]:3000` → `[::1]`, `localhost:3000` → `localhost`. */
function hostnameOf(host: string): string {
  const h = host.trim()
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1)
  return h.split(':')[0]
}

