import { connect } from 'node:net'
import { afterEach, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../support/server'
import { SLUG } from '../support/signing'

/** Overload is refused at once with 503 and Retry-After, in the reader's language, never queued (#10). */
let server: TestServer | null = null
afterEach(async () => {
  await server?.stop()
  server = null
})

/** A request whose body never finishes: it stays in flight until the socket is closed. */
function holdRequest(url: string) {
  const { port } = new URL(url)
  const socket = connect(Number(port), '127.0.0.1')
  socket.write(`POST /campaigns/${SLUG} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nname=`)
  socket.on('error', () => {})
  return socket
}

it('refuses past the requests in flight, with Retry-After and a translated page, and serves static files and cached pages still', async () => {
  server = await startTestServer({ SHED_MAX_IN_FLIGHT: '2', STATS_CACHE_MS: '60000' })
  // The campaign page is cached before the load.
  expect((await fetch(`${server.url}/campaigns/${SLUG}?lang=fa`)).status).toBe(200)
  const held = [holdRequest(server.url), holdRequest(server.url)]
  await new Promise((r) => setTimeout(r, 300))

  const busy = await fetch(`${server.url}/privacy?lang=fa`)
  expect(busy.status).toBe(503)
  expect(busy.headers.get('Retry-After')).toBe('5')
  expect(busy.headers.get('Content-Security-Policy')).toContain('nonce-')
  const html = await busy.text()
  expect(html).toContain('<html lang="fa" dir="rtl">')
  expect(html).toContain('این کارزار هم‌اکنون بسیار پرمراجعه است')
  const sign = await fetch(`${server.url}/campaigns/${SLUG}?lang=en`, { method: 'POST', body: new URLSearchParams({ name: 'A', email: 'a@example.org', country: 'SE' }) })
  expect(sign.status).toBe(503)
  expect(await sign.text()).toContain('nothing has been recorded yet')

  expect((await fetch(`${server.url}/favicon.svg`)).status).toBe(200)
  expect((await fetch(`${server.url}/campaigns/${SLUG}?lang=fa`)).status).toBe(200)

  for (const socket of held) socket.destroy()
  await new Promise((r) => setTimeout(r, 300))
  expect((await fetch(`${server.url}/privacy?lang=fa`)).status).toBe(200)
})

it('refuses while the event loop runs late, and serves again once it catches up', async () => {
  server = await startTestServer({ SHED_LAG_MS: '300' })
  expect((await fetch(`${server.url}/privacy`)).status).toBe(200)
  // The server shares this process: a second of synchronous work stalls its event loop.
  const until = performance.now() + 1_000
  while (performance.now() < until);
  await new Promise((r) => setTimeout(r, 60))
  expect((await fetch(`${server.url}/privacy`)).status).toBe(503)
  await new Promise((r) => setTimeout(r, 1_200))
  expect((await fetch(`${server.url}/privacy`)).status).toBe(200)
})
