import { createHash, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One email as the fake provider accepted it. */
export interface ReceivedEmail {
  id: string
  idempotencyKey: string | null
  from: string
  to: string[]
  subject: string
  html: string
  text: string
  headers: Record<string, string>
  /** as sent over the wire: content base64-encoded */
  attachments: { filename: string; content: string }[]
  receivedAt: number
}

type Fault =
  | { kind: 'status'; status: number; name: string }
  | { kind: 'hang'; ms: number }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'lose-answer' }

/**
 * A local HTTP server that speaks the part of Resend's API the platform uses (POST /emails and
 * POST /emails/batch), so tests run the real Resend SDK over real HTTP. Like Resend, it replays the
 * first answer for a repeated Idempotency-Key instead of sending twice, and refuses the key with 409
 * `invalid_idempotent_request` when it comes with a different body. Faults can be queued.
 */
export class FakeResend {
  readonly emails: ReceivedEmail[] = []
  /** Every request, including refused ones, with the time it arrived and, for a batch, its size. */
  readonly requests: { at: number; key: string | null; status: number; path: string; size: number }[] = []
  private readonly byKey = new Map<string, { id: string }>()
  /** The body each key first came with, to tell a replay from a different request under an old key. */
  private readonly bodyOfKey = new Map<string, string>()
  /**
   * Keys that came again with a different body: Resend refuses these, and whatever the second
   * request carried was not sent by it (a batch split between two senders under one key, say).
   */
  readonly conflictingKeys: string[] = []
  private readonly faults: Fault[] = []
  private server: Server | null = null
  apiKey = 're_test_key'
  url = ''
  /** Requests turned away with 429 by the rate limit below (not by queued faults). */
  rateLimited = 0
  private tokens = 0
  private refilledAt = 0

  /**
   * With `ratePerSecond`, it limits like a provider does: a bucket of that many requests, refilled
   * at that rate; a request finding it empty gets 429 with Retry-After.
   */
  constructor(private readonly options: { ratePerSecond?: number } = {}) {
    this.tokens = options.ratePerSecond ?? 0
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res))
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this
  }

  async stop() {
    if (!this.server) return
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server!.close(() => resolve()))
  }

  /** The next `count` requests fail with this status (e.g. 500). */
  failWith(status: number, count = 1, name = 'internal_server_error') {
    for (let i = 0; i < count; i++) this.faults.push({ kind: 'status', status, name })
  }

  /** The next `count` requests get no answer for `ms` milliseconds, then a 500. */
  hang(ms: number, count = 1) {
    for (let i = 0; i < count; i++) this.faults.push({ kind: 'hang', ms })
  }

  /**
   * The next `count` requests are accepted (the emails go out) and the connection is cut before the
   * answer: to the sender, exactly a crash between the provider's acceptance and its own record.
   */
  loseAnswer(count = 1) {
    for (let i = 0; i < count; i++) this.faults.push({ kind: 'lose-answer' })
  }

  /** Forgets the faults still queued: the provider is back. */
  clearFaults() {
    this.faults.length = 0
  }

  /** The next `count` requests get 429 with Retry-After. */
  rateLimit(retryAfterSeconds: number, count = 1) {
    for (let i = 0; i < count; i++) this.faults.push({ kind: 'rate-limit', retryAfterSeconds })
  }

  /**
   * Idempotency keys the fake accepted more than once: a message that really went out twice. (A
   * message of a batch is recorded as `key#position`.)
   */
  duplicateKeys(): string[] {
    const seen = new Map<string, number>()
    for (const e of this.emails) if (e.idempotencyKey) seen.set(e.idempotencyKey, (seen.get(e.idempotencyKey) ?? 0) + 1)
    return [...seen].filter(([, n]) => n > 1).map(([k]) => k)
  }

  to(address: string) {
    return this.emails.filter((e) => e.to.includes(address))
  }

  /** Waits until `predicate` holds for the received emails, or fails after `timeoutMs`. */
  async waitFor(predicate: (emails: ReceivedEmail[]) => boolean, timeoutMs = 10_000): Promise<ReceivedEmail[]> {
    const until = Date.now() + timeoutMs
    while (Date.now() < until) {
      if (predicate(this.emails)) return this.emails
      await new Promise((r) => setTimeout(r, 20))
    }
    throw new Error(`FakeResend: condition not met within ${timeoutMs} ms (${this.emails.length} emails received)`)
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const key = (req.headers['idempotency-key'] as string | undefined) ?? null
    let size = 1
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      this.requests.push({ at: Date.now(), key, status, path: req.url ?? '', size })
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers })
      res.end(JSON.stringify(body))
    }
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    try {
      const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      if (Array.isArray(parsed)) size = parsed.length
    } catch {
      // answered below
    }

    if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
      return reply(401, { statusCode: 401, name: 'missing_api_key', message: 'Missing API key' })
    }
    const rate = this.options.ratePerSecond
    if (rate) {
      const now = Date.now()
      this.tokens = Math.min(rate, this.tokens + ((now - (this.refilledAt || now)) / 1000) * rate)
      this.refilledAt = now
      if (this.tokens < 1) {
        this.rateLimited++
        return reply(429, { statusCode: 429, name: 'rate_limit_exceeded', message: 'Too many requests' }, { 'retry-after': '1' })
      }
      this.tokens -= 1
    }
    const fault = this.faults.shift()
    const cut = fault?.kind === 'lose-answer'
    if (fault?.kind === 'hang') {
      await new Promise((r) => setTimeout(r, fault.ms))
      if (res.destroyed) return this.requests.push({ at: Date.now(), key, status: 0, path: req.url ?? '', size })
      return reply(500, { statusCode: 500, name: 'internal_server_error', message: 'Hung' })
    }
    if (fault?.kind === 'status') return reply(fault.status, { statusCode: fault.status, name: fault.name, message: 'Injected fault' })
    if (fault?.kind === 'rate-limit') {
      return reply(
        429,
        { statusCode: 429, name: 'rate_limit_exceeded', message: 'Too many requests' },
        { 'retry-after': String(fault.retryAfterSeconds) },
      )
    }

    const fingerprint = createHash('sha256').update(Buffer.concat(chunks)).digest('hex')
    if (key) {
      const first = this.bodyOfKey.get(key)
      if (first && first !== fingerprint) {
        this.conflictingKeys.push(key)
        return reply(409, { statusCode: 409, name: 'invalid_idempotent_request', message: 'Same idempotency key used with a different request payload' })
      }
    }
    let body: any
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    } catch {
      return reply(422, { statusCode: 422, name: 'validation_error', message: 'Invalid JSON' })
    }
    if (req.method === 'POST' && req.url === '/emails') {
      if (key && this.byKey.has(key)) return reply(200, this.byKey.get(key))
      const problem = validate(body)
      if (problem) return reply(422, { statusCode: 422, name: 'validation_error', message: problem })
      const accepted = this.accept(body, key)
      if (key) this.bodyOfKey.set(key, fingerprint)
      if (cut) return this.cut(res, key, req.url ?? '', size)
      return reply(200, { id: accepted.id })
    }
    if (req.method === 'POST' && req.url === '/emails/batch') {
      if (!Array.isArray(body) || body.length > 100) {
        return reply(422, { statusCode: 422, name: 'validation_error', message: 'A batch holds 1 to 100 emails' })
      }
      if (key && this.byKey.has(key)) return reply(200, this.byKey.get(key))
      const problem = body.map(validate).find(Boolean)
      if (problem) return reply(422, { statusCode: 422, name: 'validation_error', message: problem })
      // Each message of a batch is recorded under the request's key and its place in it.
      const data = body.map((email: unknown, i: number) => ({ id: this.accept(email, key ? `${key}#${i}` : null).id }))
      const result = { data }
      if (key) {
        this.byKey.set(key, result as never)
        this.bodyOfKey.set(key, fingerprint)
      }
      if (cut) return this.cut(res, key, req.url ?? '', size)
      return reply(200, result)
    }
    return reply(404, { statusCode: 404, name: 'not_found', message: 'Not found' })
  }

  private cut(res: ServerResponse, key: string | null, path: string, size: number) {
    this.requests.push({ at: Date.now(), key, status: 0, path, size })
    res.socket?.destroy()
  }

  private accept(body: any, key: string | null) {
    const id = randomUUID()
    this.emails.push({
      id,
      idempotencyKey: key,
      from: body.from,
      to: Array.isArray(body.to) ? body.to : [body.to],
      subject: body.subject,
      html: body.html ?? '',
      text: body.text ?? '',
      headers: body.headers ?? {},
      attachments: body.attachments ?? [],
      receivedAt: Date.now(),
    })
    if (key) this.byKey.set(key, { id })
    return { id }
  }
}

function validate(body: any): string | null {
  if (!body || typeof body !== 'object') return 'Body must be an object'
  if (typeof body.from !== 'string' || !body.from) return 'from is required'
  if (!body.to || (Array.isArray(body.to) && body.to.length === 0)) return 'to is required'
  if (typeof body.subject !== 'string' || !body.subject) return 'subject is required'
  if (!body.html && !body.text) return 'html or text is required'
  return null
}

/** The links in an email's HTML, entities decoded. */
export function linksIn(html: string): string[] {
  return [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'))
}
