import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Presubmitted, SignContext } from '../app/use-cases/sign-submission.server'
import { submitSignature } from '../app/use-cases/sign-submission.server'
import { localeFromRequestParts } from '../app/i18n/i18n.server'
import { confirmSignature } from '../app/models/signature.server'
import type { RateLimits } from '../app/rate-limits.server'
import { confirmedCookieHeader } from '../app/use-cases/check-email.server'

/**
 * The two requests a viral campaign makes by the thousand, answered without Express and Remix when
 * they succeed: a sign posted from the campaign page (with or without JavaScript) and the
 * confirmation link from the email. Both answer with a redirect; rendering a page is all Remix
 * would add, at several times the cost (docs/decisions/064-direct-sign-and-confirm.md).
 *
 * The work itself is the same code the routes run (submitSignature, confirmSignature). Whatever is
 * not a plain success goes on to Express and Remix: a sign's answer rides along on the request, so
 * the campaign route renders the form again with it rather than signing a second time; a
 * confirmation link that is expired, used or unknown changed nothing and is simply looked up again.
 */
export interface DirectPathsOptions {
  context: Omit<SignContext, 'clientIp' | 'clientIpHash'>
  limits: RateLimits
  maxFormBytes: number
  clientIp(req: IncomingMessage): string
  clientKey(ip: string): string
  /** The server's one origin guard (originRefusal in server/app.ts): true when it would refuse the request. */
  crossOrigin(req: IncomingMessage): boolean
  /** The headers every answer carries (security headers, the language cookie, Vary). */
  decorate(req: IncomingMessage, res: ServerResponse, lang: string | null): void
  /** Where a failure is told: one line, never personal data or a token. */
  logError(line: string): void
}

const ANSWER = Symbol('direct-sign-answer')
const ADMITTED = Symbol('direct-admitted')
type Carrying = IncomingMessage & { [ANSWER]?: Presubmitted; [ADMITTED]?: string }

/** A sign this request already went through on the direct path, for the route to answer with. */
export const presubmitted = (req: IncomingMessage): Presubmitted | undefined => (req as Carrying)[ANSWER]
/** The client key of a request the direct path already counted against the request limit. */
export const admittedKey = (req: IncomingMessage): string | undefined => (req as Carrying)[ADMITTED]

/**
 * Remix v2's wire format, the only place the direct path writes it: a redirect answered to a plain
 * form post is a 303 with Location; to the page's own fetch (`?_data=<route id>`) it is a 204 with
 * X-Remix-Redirect and X-Remix-Status, which Remix's client follows itself. A Remix upgrade that
 * changes this shows in the parity suites (ADR 117), which run the same assertions with the path off.
 */
export function writeRemixRedirect(res: ServerResponse, location: string, dataRequest: boolean) {
  if (dataRequest) res.writeHead(204, { 'X-Remix-Redirect': location, 'X-Remix-Status': '303' })
  else res.writeHead(303, { Location: location, 'Content-Length': '0' })
  res.end()
}

/** What a failure may say in a log: its name and code, never its message, which could quote a form or a token. */
export const errorSummary = (error: unknown) =>
  error instanceof Error ? `${error.name}${(error as { code?: unknown }).code ? ` ${String((error as { code?: unknown }).code)}` : ''}` : typeof error

const SIGN_PATH = /^\/campaigns\/([a-z0-9]+(?:-[a-z0-9]+)*)$/
const CONFIRM_PATH = /^\/s\/confirm\/([A-Za-z0-9_-]{1,128})$/
const SIGN_ROUTE_ID = 'routes/campaigns.$slug'

/** The reader's language, as Remix's routes work it out: ?lang=, then the cookie, then Accept-Language. */
const localeOf = (req: IncomingMessage, url: URL) =>
  localeFromRequestParts(`${url.pathname}${url.search}`, req.headers.cookie ?? null, req.headers['accept-language'] ?? null)

export function createDirectPaths(options: DirectPathsOptions) {
  const { context, limits } = options

  /** Counts the request against the per-client limit: its client key, or null when over the limit (Express then answers 429). */
  async function admit(req: Carrying, ip: string) {
    const key = options.clientKey(ip)
    if (await limits.request(key)) return null
    req[ADMITTED] = key
    return key
  }

  function redirect(req: IncomingMessage, res: ServerResponse, location: string, lang: string | null, dataRequest: boolean, headers: Record<string, string> = {}) {
    options.decorate(req, res, lang)
    // Appended, so the language cookie that decorate may have set stays.
    for (const [name, value] of Object.entries(headers)) res.appendHeader(name, value)
    writeRemixRedirect(res, location, dataRequest)
  }

  function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = []
      let size = 0
      req.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > limit) {
          resolve(null)
          req.destroy()
        } else chunks.push(chunk)
      })
      req.on('end', () => resolve(Buffer.concat(chunks, size).toString('utf8')))
      // A client gone before the end of its form (or timed out by the server): nothing to answer.
      req.on('error', () => resolve(null))
      req.on('close', () => resolve(null))
    })
  }

  async function sign(req: Carrying, res: ServerResponse, next: () => void, slug: string, url: URL) {
    const ip = options.clientIp(req)
    const key = await admit(req, ip)
    if (!key) return next()
    const body = await readBody(req, options.maxFormBytes)
    if (body === null) return void res.destroy()
    const lang = url.searchParams.get('lang')
    const locale = localeOf(req, url)
    let answer: Presubmitted
    try {
      answer = await submitSignature({ ...context, clientIp: ip, clientIpHash: key }, slug, locale, new URLSearchParams(body))
    } catch (error) {
      // Not logged here: the route throws it again, and Remix's handleError logs it once.
      answer = { kind: 'failed', error }
    }
    if (answer.kind === 'redirect') return redirect(req, res, answer.location, lang, url.searchParams.has('_data'), answer.headers)
    req[ANSWER] = answer
    next()
  }

  async function confirm(req: Carrying, res: ServerResponse, next: () => void, token: string, url: URL) {
    const key = await admit(req, options.clientIp(req))
    if (!key) return next()
    const outcome = await confirmSignature(context.db, token, Date.now(), context.writes).catch((error: unknown) => {
      // The route looks the link up again and answers; the failure is told here, once, without the token.
      options.logError(`direct confirm failed: ${errorSummary(error)}`)
      return null
    })
    if (outcome?.kind !== 'confirmed' && outcome?.kind !== 'already-confirmed') return next()
    const locale = localeOf(req, url)
    const confirmed = confirmedCookieHeader(context.vault, context.config.appUrl.startsWith('https:'), outcome.campaignSlug)
    redirect(req, res, `/campaigns/${outcome.campaignSlug}/thanks?lang=${locale}`, url.searchParams.get('lang'), false, { 'Set-Cookie': confirmed })
  }

  return {
    /** In front of everything: takes the requests it can answer and passes the rest to `next`. */
    handle(req: IncomingMessage, res: ServerResponse, next: () => void) {
      const method = req.method
      if (method !== 'POST' && method !== 'GET') return next()
      const raw = req.url ?? '/'
      const q = raw.indexOf('?')
      const pathname = q < 0 ? raw : raw.slice(0, q)
      if (method === 'GET') {
        const match = CONFIRM_PATH.exec(pathname)
        if (!match) return next()
        const url = new URL(raw, 'http://direct.invalid')
        if (url.searchParams.has('_data')) return next()
        return void confirm(req, res, next, match[1], url).catch((error: unknown) => {
          options.logError(`direct confirm failed: ${errorSummary(error)}`)
          if (!res.headersSent) next()
        })
      }
      const match = SIGN_PATH.exec(pathname)
      if (!match) return next()
      const url = new URL(raw, 'http://direct.invalid')
      const data = url.searchParams.get('_data')
      // Only what the guards in front of Remix would let through: a same-origin urlencoded form of
      // a declared, allowed size. Anything else goes on to them for its refusal.
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
      const length = Number(req.headers['content-length'] ?? NaN)
      if (
        (data !== null && data !== SIGN_ROUTE_ID) ||
        type !== 'application/x-www-form-urlencoded' ||
        !(length >= 0 && length <= options.maxFormBytes) ||
        req.headers['transfer-encoding'] !== undefined ||
        options.crossOrigin(req)
      ) {
        return next()
      }
      sign(req, res, next, match[1], url).catch((error: unknown) => {
        options.logError(`direct sign failed: ${errorSummary(error)} on POST /campaigns`)
        res.destroy()
      })
    },
  }
}
