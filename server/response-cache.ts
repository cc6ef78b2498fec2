import { randomBytes } from 'node:crypto'
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import { constants, crc32, deflateRawSync } from 'node:zlib'

/**
 * A few seconds' memory of whole public responses, in front of Express and Remix, for the moment a
 * campaign goes viral and everyone reloads to watch the count (see docs/decisions/061-response-cache.md).
 *
 * Only what the caller says is cacheable is kept (anonymous GETs of public pages), only 200s, and
 * never a response that sets a cookie or says no-store/private. Pages carry a CSP nonce: a cached
 * page is rendered with a secret placeholder in its place, and each reader gets a fresh nonce
 * written over it, in the body and in the Content-Security-Policy header alike.
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

interface Entry {
  status: number
  headers: OutgoingHttpHeaders
  /** The body as bytes, cut where the nonce goes: encoded once, joined around a fresh nonce per reader. */
  parts: Buffer[]
  /** The same parts, each compressed once as raw DEFLATE ending byte-aligned (see `gzipAround`); null if small. */
  deflated: Buffer[] | null
  at: number
}

const MAX_BODY = 512 * 1024
/** Below this, a page is sent uncompressed. */
const MIN_GZIP = 1024

/**
 * Each part as raw DEFLATE, compressed once when the entry is made: a full flush ends each part on a
 * byte boundary with its history reset, so the parts can be joined in any company.
 */
function deflateParts(parts: Buffer[]): Buffer[] {
  return parts.map((part) => deflateRawSync(part, { level: 6, finishFlush: constants.Z_FULL_FLUSH }))
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff])
/** An empty final block (fixed Huffman, end of block): closes the DEFLATE stream. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00])

/**
 * A gzip member (RFC 1952) of the parts joined around `nonce`, without compressing anything per
 * reader: the parts were deflated once, the nonce goes in as a stored block (RFC 1951 §3.2.4), and the
 * trailer takes the CRC-32 and length of the whole uncompressed body. `plain` is that body, as chunks.
 */
function gzipAround(deflated: Buffer[], plain: Buffer[], nonce: Buffer): Buffer[] {
  const stored = Buffer.alloc(5)
  stored.writeUInt16LE(nonce.length, 1)
  stored.writeUInt16LE(~nonce.length & 0xffff, 3)
  let crc = 0
  let length = 0
  for (const chunk of plain) {
    crc = crc32(chunk, crc)
    length += chunk.length
  }
  const trailer = Buffer.alloc(8)
  trailer.writeUInt32LE(crc >>> 0, 0)
  trailer.writeUInt32LE(length >>> 0, 4)
  const out: Buffer[] = [GZIP_HEADER]
  for (const [i, part] of deflated.entries()) {
    if (i > 0) out.push(stored, nonce)
    out.push(part)
  }
  out.push(FINAL_BLOCK, trailer)
  return out
}
/** Headers that belong to one connection or one reader, never replayed. */
const PER_RESPONSE = new Set(['set-cookie', 'content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding', 'content-encoding'])
const FILL = Symbol('response-cache-fill')

type FillingRequest = IncomingMessage & {
  [FILL]?: { nonce: string; key: string; gzip: boolean; done: (entry: Entry | null) => void }
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
  // Secret and long: content cannot contain it by chance or design, so only nonces get replaced.
  const placeholder = `nonce${randomBytes(18).toString('base64url')}`
  const entries = new Map<string, Entry>()
  const filling = new Map<string, Promise<Entry | null>>()

  /** Headers and body of a cached answer with this reader's nonce; the body as chunks, not copied into one. */
  function send(res: ServerResponse, entry: Entry, nonce: string, gzip: boolean, finish: (chunks: Buffer[]) => void) {
    const nonceBytes = Buffer.from(nonce, 'latin1')
    let chunks: Buffer[] = entry.parts.flatMap((part, i) => (i === 0 ? [part] : [nonceBytes, part]))
    for (const [name, value] of Object.entries(entry.headers)) {
      if (value === undefined) continue
      res.setHeader(name, typeof value === 'string' ? value.replaceAll(placeholder, nonce) : value)
    }
    res.statusCode = entry.status
    if (gzip && entry.deflated) {
      chunks = gzipAround(entry.deflated, chunks, nonceBytes)
      res.setHeader('Content-Encoding', 'gzip')
    }
    const length = chunks.reduce((n, c) => n + c.length, 0)
    const vary = String(res.getHeader('Vary') ?? '')
    if (!/accept-encoding/i.test(vary)) res.setHeader('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding')
    res.setHeader('Content-Length', length)
    finish(chunks)
  }

  /** Writes the chunks in one go (a single writev), without joining them into a new buffer first. */
  function writeAll(res: ServerResponse, chunks: Buffer[]) {
    res.cork()
    for (let i = 0; i < chunks.length - 1; i++) res.write(chunks[i])
    res.end(chunks[chunks.length - 1])
    process.nextTick(() => res.uncork())
  }

  const wantsGzip = (req: IncomingMessage) => /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))

  function serveCached(req: IncomingMessage, res: ServerResponse, url: URL, entry: Entry, next: () => void) {
    options.admit(req).then(
      (admitted) => {
        if (!admitted) return next()
        options.decorate?.(req, url, res)
        send(res, entry, options.newNonce(), wantsGzip(req), (chunks) => writeAll(res, chunks))
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
    req[FILL] = { nonce: placeholder, key, gzip: wantsGzip(req), done }
    delete req.headers['accept-encoding']
    delete req.headers['if-none-match']
    delete req.headers['if-modified-since']
    res.once('close', () => done(null))
    next()
  }

  /** Inside the app, after its compression: holds the answer back, keeps a copy, sends it with a real nonce. */
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
      const parts = Buffer.concat(chunks, size)
        .toString('utf8')
        .split(placeholder)
        .map((part) => Buffer.from(part, 'utf8'))
      const entry: Entry = {
        status: res.statusCode,
        headers: Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_RESPONSE.has(name))),
        parts,
        deflated: size > MIN_GZIP ? deflateParts(parts) : null,
        // Monotonic, so a wall clock stepped back cannot keep a page past its TTL.
        at: performance.now(),
      }
      if (keep) {
        entries.delete(fill.key)
        entries.set(fill.key, entry)
        if (entries.size > maxEntries) entries.delete(entries.keys().next().value!)
      }
      fill.done(keep ? entry : null)
      for (const name of Object.keys(headers)) if (!PER_RESPONSE.has(name) || name === 'content-length') res.removeHeader(name)
      send(res, entry, options.newNonce(), fill.gzip, (chunks) => (end as (body: Buffer, cb: () => void) => void).call(res, Buffer.concat(chunks), () => callback?.()))
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
