import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { postWebhook } from './webhook-worker.server'

// The one request to a partner's URL (ADR 133): no redirect followed, a timeout, and in production
// no connection to an address that is not public, whatever the name resolves to.

let server: Server | null = null
const hits: string[] = []
async function listen(handler: (path: string, res: import('node:http').ServerResponse) => void) {
  server = createServer((req, res) => {
    hits.push(req.url ?? '')
    req.resume()
    handler(req.url ?? '', res)
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}
afterEach(async () => {
  hits.length = 0
  const s = server
  server = null
  if (s) {
    s.closeAllConnections()
    await new Promise((r) => s.close(r))
  }
})

describe('posting a webhook', () => {
  it('treats a redirect as a failure and never follows it', async () => {
    const port = await listen((path, res) => (path === '/hook' ? res.writeHead(307, { Location: '/elsewhere' }).end() : res.writeHead(200).end()))
    const outcome = await postWebhook(`http://127.0.0.1:${port}/hook`, '{}', {}, { timeoutMs: 2_000, env: 'test' })
    expect(outcome).toEqual({ ok: false, status: 307, error: 'HTTP 307' })
    expect(hits).toEqual(['/hook'])
  })

  it('gives up on a receiver that does not answer within the timeout', async () => {
    const port = await listen(() => {})
    const outcome = await postWebhook(`http://127.0.0.1:${port}/hook`, '{}', {}, { timeoutMs: 200, env: 'test' })
    expect(outcome).toEqual({ ok: false, status: null, error: 'timeout' })
    expect(hits).toEqual(['/hook'])
  })

  it('in production reaches no loopback address, by name or by number', async () => {
    const port = await listen((_, res) => res.writeHead(200).end())
    expect(await postWebhook(`http://127.0.0.1:${port}/hook`, '{}', {}, { timeoutMs: 2_000, env: 'test' })).toEqual({ ok: true, status: 200 })
    for (const host of ['localhost', '127.0.0.1']) {
      const outcome = await postWebhook(`http://${host}:${port}/hook`, '{}', {}, { timeoutMs: 2_000, env: 'production' })
      expect(outcome, host).toEqual({ ok: false, status: null, error: 'EADDRNOTPUBLIC' })
    }
    expect(hits).toEqual(['/hook'])
  })

  it('outside production too, reaches no private network by number: only this machine’s own loopback', async () => {
    for (const host of ['10.0.0.1', '169.254.169.254', '192.168.1.1', '[fd00::1]', '[::ffff:10.0.0.1]']) {
      const outcome = await postWebhook(`http://${host}:9/hook`, '{}', {}, { timeoutMs: 2_000, env: 'test' })
      expect(outcome, host).toEqual({ ok: false, status: null, error: 'EADDRNOTPUBLIC' })
    }
  })
})
