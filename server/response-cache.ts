import { createHash, randomBytes } from 'node:crypto'
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'

/**
 * A few seconds' memory of whole public responses, in front of Express and Remix, for the moment a
 * campaign goes viral and everyone reloads to watch the count (see docs/decisions/061-response-cache.md).
 *
 * Only what the caller says is cacheable is kept (anonymous GETs of public pages), only 200s, and
 * never a response that sets a cookie or says no-store/private. Pages carry a CSP nonce: a cached
 * page is rendered with a secret placeholder in its place, and its inline scripts and styles are then
 * allowed by their hashes instead (ADR 136), so every reader gets the same bytes, compressed once.
 */
export interface ResponseCacheOptions {
  ttlMs: number
  maxEntries?: number
  /** Whether this request may be answered from (and fill) the cache. */
  cacheable(req: IncomingMessage, url: URL): boolean
  /** What the response depends on besides the URL (the reader's language, the referring site). */
  variant(req: IncomingMessage, url: URL): string
  /** Checks that run before every answer from the cache (rate limits); false hands the request to the app. */
  admit(req: IncomingMessage): Promise<boolean>
  /** Per-reader headers added to an answer from the cache (the language cookie). */
  decorate?(req: IncomingMessage, url: URL, res: ServerResponse): void
  /** A fresh nonce for one response. */
  newNonce(): string
}

type Encoding = 'br' | 'gzip'

interface Entry {
  status: number
  /** With the policy that allows the page's own inline scripts and styles by hash. */
  headers: OutgoingHttpHeaders
  body: Buffer
  /** The body compressed once, when the entry was made; absent when small. */
  encoded: Partial<Record<Encoding, Buffer>>
  at: number
}

const MAX_BODY = 512 * 1024
/** Below this, a page is sent uncompressed. */
const MIN_COMPRESS = 1024

const gzipAsync = promisify(gzip)
const brotliAsync = promisify(brotliCompress)

/** Both encodings of a body, made on libuv's thread pool, not on the serving thread. */
async function compress(body: Buffer): Promise<Entry['encoded']> {
  if (body.length < MIN_COMPRESS) return {}
  const [gz, br] = await Promise.all([
    gzipAsync(body, { level: 9 }),
    brotliAsync(body, {
      params: { [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    }),
  ])
  return { gzip: gz, br }
}

/**
 * The encoding to send for an Accept-Encoding header: brotli where the reader takes it, then gzip
 * (RFC 9110 §12.5.3: a q of 0 refuses one; `*` stands for those not named).
 */
export function chooseEncoding(header: string | string[] | undefined): Encoding | null {
  const q = new Map<string, number>()
  for (const item of String(header ?? '').toLowerCase().split(',')) {
    const [name, ...params] = item.trim().split(';')
    if (!name) continue
    const weight = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined)
    q.set(name, weight === undefined ? 1 : Number(weight))
  }
  const takes = (name: Encoding) => (q.get(name) ?? q.get('*') ?? 0) > 0
  return takes('br') ? 'br' : takes('gzip') ? 'gzip' : null
}

/**
 * The page's inline scripts and styles that carry the placeholder nonce, allowed instead by their
 * SHA-256 (CSP Level 3 hash sources): the placeholder attributes go, the policy names the hashes. Only
 * elements the app rendered with the secret placeholder are hashed, so content that slipped a script
 * into the page gets no hash. Null when a page cannot be served this way (a CR, which HTML parsing
 * would turn into LF before hashing, or the placeholder anywhere else): it is then not kept.
 */
export function hashInline(html: string, placeholder: string, policy: string): { html: string; policy: string } | null {
  const hashes = { script: [] as string[], style: [] as string[] }
  const attribute = ` nonce="${placeholder}"`
  let broken = false
  const out = html.replace(/<(script|style)\b([^>]*)>([\s\S]*?)<\/\1/gi, (whole, tag: string, attrs: string, content: string) => {
    if (!attrs.includes(attribute)) return whole
    if (content.includes('\r')) broken = true
    if (content) hashes[tag.toLowerCase() as 'script' | 'style'].push(`'sha256-${createHash('sha256').update(content, 'utf8').digest('base64')}'`)
    return `<${tag}${attrs.replace(attribute, '')}>${content}</${tag}`
  })
  const stripped = out.replaceAll(attribute, '')
  if (broken || stripped.includes(placeholder)) return null
  const directives = policy.split(';').map((d) => {
    const [name] = d.trim().split(/\s+/)
    const sources = name === 'script-src' ? hashes.script : name === 'style-src' ? hashes.style : []
    return d.replace(` 'nonce-${placeholder}'`, sources.length ? ` ${sources.join(' ')}` : '')
  })
  const rewritten = directives.join(';')
  return rewritten.includes(placeholder) ? null : { html: stripped, policy: rewritten }
}

/** Headers that belong to one connection or one reader, never replayed. */
const PER_RESPONSE = new Set(['set-cookie', 'content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding', 'content-encoding'])
const FILL = Symbol('response-cache-fill')

type FillingRequest = IncomingMessage & {
  [FILL]?: { nonce: string; key: string; accept: string | string[] | undefined; done: (entry: Entry | null) => void }
}

export interface ResponseCache {
  /** In front of the app: answers from the cache, or passes the request on to `next` to fill it. */
  handle(req: IncomingMessage, res: ServerResponse, next: () => void): void
  /** Inside the app, after compression: keeps the copy of an answer that fills the cache. */
  capture(req: IncomingMessage, res: ServerResponse, next: () => void): void
  /** The nonce to render into this response: the placeholder while filling the cache. */
  nonceFor(req: IncomingMessage): string
  clear(): void
}

export function createResponseCache(options: ResponseCacheOptions): ResponseCache {
  const { ttlMs } = options
  const maxEntries = options.maxEntries ?? 500
  // Secret and long: content cannot contain it by chance or design, so only the app's own inline
  // scripts and styles are hashed, and the placeholder never leaves this process.
  const placeholder = `nonce${randomBytes(18).toString('base64url')}`
  const entries = new Map<string, Entry>()
  const filling = new Map<string, Promise<Entry | null>>()

  /** Headers and body of a cached answer, in the reader's encoding: the same bytes for every reader. */
  function send(res: ServerResponse, entry: Entry, accept: string | string[] | undefined, finish: (body: Buffer) => void) {
    for (const [name, value] of Object.entries(entry.headers)) if (value !== undefined) res.setHeader(name, value)
    res.statusCode = entry.status
    const encoding = chooseEncoding(accept)
    const encoded = encoding ? entry.encoded[encoding] : undefined
    if (encoded) res.setHeader('Content-Encoding', encoding!)
    const body = encoded ?? entry.body
    const vary = String(res.getHeader('Vary') ?? '')
    if (!/accept-encoding/i.test(vary)) res.setHeader('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding')
    res.setHeader('Content-Length', body.length)
    finish(body)
  }

  function serveCached(req: IncomingMessage, res: ServerResponse, url: URL, entry: Entry, next: () => void) {
    options.admit(req).then(
      (admitted) => {
        if (!admitted) return next()
        options.decorate?.(req, url, res)
        send(res, entry, req.headers['accept-encoding'], (body) => res.end(body))
      },
      () => next(),
    )
  }

  /**
   * Marks a request whose answer will fill the cache: the app renders it with the placeholder for a
   * nonce, uncompressed and unconditional; capture() keeps the copy on the way out.
   */
  function startFill(req: FillingRequest, res: ServerResponse, key: string, next: () => void) {
    let settle: (entry: Entry | null) => void = () => {}
    const pending = new Promise<Entry | null>((resolve) => (settle = resolve))
    filling.set(key, pending)
    const done = (entry: Entry | null) => {
      if (filling.get(key) !== pending) return
      filling.delete(key)
      settle(entry)
    }
    req[FILL] = { nonce: placeholder, key, accept: req.headers['accept-encoding'], done }
    delete req.headers['accept-encoding']
    delete req.headers['if-none-match']
    delete req.headers['if-modified-since']
    res.once('close', () => done(null))
    next()
  }

  /** Inside the app, after its compression: holds the answer back, keeps a copy, and sends it. */
  function capture(req: FillingRequest, res: ServerResponse, next: () => void) {
    const fill = req[FILL]
    if (!fill) return next()
    const chunks: Buffer[] = []
    let size = 0
    const write = res.write
    const end = res.end
    const collect = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return
      const buffer = Buffer.isBuffer(chunk)
        ? chunk
        : chunk instanceof Uint8Array
          ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
          : Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
      chunks.push(buffer)
      size += buffer.length
    }
    res.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
      collect(chunk, encoding)
      const callback = typeof encoding === 'function' ? encoding : cb
      if (typeof callback === 'function') process.nextTick(callback as () => void)
      return true
    }) as ServerResponse['write']
    res.end = ((chunk?: unknown, encoding?: unknown, cb?: unknown) => {
      collect(chunk, encoding)
      res.write = write
      res.end = end
      const callback = [chunk, encoding, cb].find((a) => typeof a === 'function') as (() => void) | undefined
      const headers = res.getHeaders()
      const cacheControl = String(headers['cache-control'] ?? '')
      const setCookie = ([] as unknown[]).concat(headers['set-cookie'] ?? []).map(String)
      const keep =
        res.statusCode === 200 &&
        size <= MAX_BODY &&
        !/no-store|private/i.test(cacheControl) &&
        setCookie.every((c) => !!options.decorate && /^lang=/.test(c))
      const html = Buffer.concat(chunks, size).toString('utf8')
      const hashed = keep ? hashInline(html, placeholder, String(headers['content-security-policy'] ?? '')) : null
      const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_RESPONSE.has(name)))
      for (const name of Object.keys(headers)) if (!PER_RESPONSE.has(name) || name === 'content-length') res.removeHeader(name)
      const finishWith = (entry: Entry) => send(res, entry, fill.accept, (body) => (end as (body: Buffer, cb: () => void) => void).call(res, body, () => callback?.()))
      if (!hashed) {
        // Not kept: this reader alone gets it, with a nonce of their own where the placeholder was.
        fill.done(null)
        const nonce = options.newNonce()
        const own = Object.fromEntries(Object.entries(kept).map(([name, value]) => [name, typeof value === 'string' ? value.replaceAll(placeholder, nonce) : value]))
        finishWith({ status: res.statusCode, headers: own, body: Buffer.from(html.replaceAll(placeholder, nonce), 'utf8'), encoded: {}, at: 0 })
        return res
      }
      const body = Buffer.from(hashed.html, 'utf8')
      const headersOut = { ...kept, 'content-security-policy': hashed.policy }
      compress(body).then(
        (encoded) => {
          // Monotonic, so a wall clock stepped back cannot keep a page past its TTL.
          const entry: Entry = { status: res.statusCode, headers: headersOut, body, encoded, at: performance.now() }
          entries.delete(fill.key)
          entries.set(fill.key, entry)
          if (entries.size > maxEntries) entries.delete(entries.keys().next().value!)
          fill.done(entry)
          finishWith(entry)
        },
        () => {
          fill.done(null)
          finishWith({ status: res.statusCode, headers: headersOut, body, encoded: {}, at: 0 })
        },
      )
      return res
    }) as ServerResponse['end']
    next()
  }

  return {
    handle(req, res, next) {
      if (ttlMs <= 0 || req.method !== 'GET') return next()
      let url: URL
      try {
        url = new URL(req.url ?? '/', 'http://cache.invalid')
      } catch {
        return next()
      }
      if (!options.cacheable(req, url)) return next()
      const key = `${req.url}\n${options.variant(req, url)}`
      const entry = entries.get(key)
      const age = entry ? performance.now() - entry.at : Infinity
      if (entry && age < ttlMs) return serveCached(req, res, url, entry, next)
      const pending = filling.get(key)
      // One reader refreshes an entry; the others meanwhile get the one just expired, or wait.
      if (pending && entry && age < ttlMs * 2) return serveCached(req, res, url, entry, next)
      if (pending) {
        return void pending.then((fresh) => (fresh ? serveCached(req, res, url, fresh, next) : next()))
      }
      startFill(req as FillingRequest, res, key, next)
    },
    capture: (req, res, next) => capture(req as FillingRequest, res, next),
    nonceFor(req) {
      return (req as FillingRequest)[FILL]?.nonce ?? options.newNonce()
    },
    clear: () => entries.clear(),
  }
}
