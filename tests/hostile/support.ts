import { request } from 'node:http'
import { expect } from 'vitest'
import en from '../../app/i18n/messages/en'

export interface RawReply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A request sent exactly as given: the path is not normalised, the body not re-encoded. */
export function raw(
  base: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawReply> {
  const { hostname, port } = new URL(base)
  return new Promise((resolve, reject) => {
    // As a browser would: spaces, controls and non-ASCII in the path go percent-encoded.
    // eslint-disable-next-line no-control-regex -- control characters are what this refuses
    const sent = path.replace(/[\u0000-\u0020\u007f-\uffff]/g, (c) => encodeURIComponent(c))
    const req = request({ host: hostname, port, method, path: sent, headers: { Connection: 'close', ...options.headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    // A server that refuses a huge body may close before reading it all; its answer still counts.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)))
    req.end(options.body)
  })
}

/** A form as our own page posts it (the Origin is the server's, as a browser would send it). */
export const form = (fields: Record<string, string>, origin: string) => ({
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
  body: new URLSearchParams(fields).toString(),
})

// Traces look like "at fn (file:line:col)"; file positions and error names betray the server's insides
// (the page's own links may echo the path asked for, escaped: that is not a leak).
const STACK = /\bat [^\n]*:\d+:\d+|\.js:\d+|\/work\/|\bTypeError\b|\bSyntaxError\b|\bReferenceError\b|SQLITE_/

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
/** Every message a person can be refused with, as React or the status page writes it. */
const REFUSALS = Object.entries(en)
  .filter(([key]) => /^(error|rateLimit|notFound|link|campaign\.closed)/.test(key))
  .flatMap(([, text]) => {
    const plain = String(text).replace(/\{[^}]+\}/g, '').split(/\s{2,}/)[0].slice(0, 40)
    return [plain, escapeHtml(plain).replace(/'/g, '&#x27;'), escapeHtml(plain).replace(/'/g, '&#39;')]
  })

/** What every answer to hostile input must be: no 5xx, no trace, no raw markup echoed, no redirect away. */
export function expectSafe(reply: RawReply, echoed: string[] = []) {
  const excerpt = `${reply.status} ${reply.body.slice(0, 300)}`
  expect(reply.status, excerpt).toBeLessThan(500)
  expect(reply.status, excerpt).toBeGreaterThanOrEqual(200)
  expect(reply.body, 'a stack trace or internal path in the answer').not.toMatch(STACK)
  const location = reply.headers.location as string | undefined
  if (location) {
    const target = new URL(location, 'http://localhost:3000')
    expect(target.origin, `redirect to ${location}`).toBe('http://localhost:3000')
    expect(location, 'a protocol-relative redirect').not.toMatch(/^(\/\/|\/\\|\\)/)
  }
  if (String(reply.headers['content-type'] ?? '').includes('html')) {
    for (const value of echoed) if (/[<>"]/.test(value)) expect(reply.body.includes(value), `raw ${value} in HTML`).toBe(false)
  }
}

/** A 4xx must say what is wrong in words a person can read. */
export function expectClearRefusal(reply: RawReply) {
  expect(reply.status).toBeGreaterThanOrEqual(400)
  expect(reply.status).toBeLessThan(500)
  const said = REFUSALS.some((m) => m && reply.body.includes(m))
  expect(said, `no clear message in ${reply.status} ${reply.body.slice(0, 200)}`).toBe(true)
}
