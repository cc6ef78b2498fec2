import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import helmet from 'helmet'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import proxyAddr from 'proxy-addr'
import type { AppConfig } from '../app/config.server'
import type { AppContext } from '../app/context.server'
import { migrateToLatest, openDatabase, refreshPlannerStatistics, type DB } from '../app/db.server'
import { devMailboxSender, resendSender, startOutboxWorker, type EmailSender, type OutboxWorker } from '../app/email-worker.server'
import { isLocale, LOCALE_COOKIE, localeFromRequestParts } from '../app/i18n/i18n.server'
import { backfillDomainHashes, BATCH_STALE_MS, resumeRuleBatches, RULE_SLICE } from '../app/models/moderation.server'
import { NEWS_SCHEDULE_POLL_MS, releaseDueUpdates, resumeNewsQueues } from '../app/models/news.server'
import { purgeExpired, PURGE_SLICE } from '../app/models/signature.server'
import { acquireLease, underLease } from '../app/models/lease.server'
import { checkKeys } from '../app/models/key-check.server'
import { backfillLog } from '../app/models/log-backfill.server'
import { startLogSequencer } from '../app/models/transparency-log.server'
import { createRateLimits } from '../app/rate-limits.server'
import { startWebhookWorker } from '../app/webhook-worker.server'
import { purgeWebhookLog } from '../app/models/partner-webhook.server'
import { externalReferrer } from '../app/infra/attribution.server'
import { createGroupCommit, eachInOwnTransaction } from '../app/infra/group-commit.server'
import { secureRandomBytes } from '../app/infra/random.server'
import { vaultFor } from '../app/infra/vault.server'
import { startCheckpointer } from '../db/checkpointer'
import { openReadWorker } from '../db/read-worker'
import { FIRST_CAMPAIGN_SLUG, seedFirstCampaign } from '../db/seed'
import { resumeInterruptedJobs, sealStoredPdfs, seedLetters } from '../app/models/letter.server'
import { encryptClearFields } from '../app/models/at-rest.server'
import { admittedKey, createDirectPaths, presubmitted } from './direct-paths'
import { createResponseCache } from './response-cache'
import { networkOf } from '../app/infra/network.server'
import { acceptLanguageTags, regionFromLanguages } from '../app/utils/country-search'
import { isCountryCode } from '../app/utils/countries'
import { sendStatusPage, statusPageHtml } from './status-page'
import { createLoadShedder } from './load-shedding'
import { slowFigures } from '../app/infra/slow-figures.server'
import type { DashboardFigures } from '../app/models/dashboard.server'
import type { FraudFlags } from '../app/models/moderation.server'
import { embedOriginsOf } from '../app/models/embed.server'
import { frameAncestors } from '../app/utils/embed'
import { loopbackAllowed } from '../app/utils/loopback'

export interface StartOptions {
  config: AppConfig
  build: ServerBuild
  /** Where /build/* and public files are served from. */
  publicDir?: string
  /** Replace the email sender (tests of provider faults use the real one against a local endpoint). */
  sender?: EmailSender
  log?: (line: string) => void
}

export interface RunningServer {
  url: string
  port: number
  db: DB
  worker: OutboxWorker
  /** Stops taking connections, finishes requests in flight, stops the worker, closes the database. */
  close(): Promise<void>
}

/** Public forms are small; anything bigger is refused before it is read. */
const MAX_FORM_BYTES = 16 * 1024
/** The few routes that take a document: a mission's reply, an organiser's CSV or recorded reply. */
const LARGE_BODY_ROUTES: { pattern: RegExp; maxBytes: number }[] = [
  { pattern: /^\/respond\/[A-Z]{2}\/[^/]+$/, maxBytes: 6 * 1024 * 1024 },
  { pattern: /^\/admin\/campaigns\/[^/]+\/responses$/, maxBytes: 6 * 1024 * 1024 },
  { pattern: /^\/admin\/missions\/import$/, maxBytes: 1024 * 1024 },
  // Paper signatures (ADR 134): a CSV of at most 2 MB, and the same file sent back base64 from its preview to be stored.
  { pattern: /^\/admin\/campaigns\/[^/]+\/paper$/, maxBytes: 3 * 1024 * 1024 + 512 * 1024 },
  // A partner's logo (at most LOGO_MAX_BYTES) with the form around it.
  { pattern: /^\/admin\/campaigns\/[^/]+\/partners$/, maxBytes: 512 * 1024 },
  // A lead image (at most LEAD_IMAGE_MAX_BYTES, a phone photo) with its alt texts.
  { pattern: /^\/admin\/campaigns\/[^/]+\/image$/, maxBytes: 12 * 1024 * 1024 + 64 * 1024 },
  { pattern: /^\/webhooks\/resend$/, maxBytes: 256 * 1024 },
]
/** Endpoints that take JSON rather than a form: machine callers that sign their bodies. */
const JSON_ROUTES = [/^\/webhooks\/resend$/, /^\/admin\/passkey$/]
const HOUR = 60 * 60_000
/** Public pages every anonymous reader sees alike: the ones a viral campaign's readers reload. */
const CACHEABLE_PATHS = [/^\/$/, /^\/campaigns\/[^/]+$/, /^\/privacy$/, /^\/embed\/campaigns\/[^/]+$/]
/** The embeddable form and its "check your email" step (ADR 132): framed by the campaign's listed sites only, and setting no cookie. */
const EMBED_PATH = /^\/embed\/campaigns\/([a-z0-9]+(?:-[a-z0-9]+)*)(?:\/check-email)?\/?$/
const isEmbedPath = (path: string) => /^\/embed(\/|$)/i.test(path)

/**
 * Remix's own CSRF rule, answered with a refusal rather than the error it throws: an Origin, when
 * sent, must name the host the request was made to (X-Forwarded-Host first, as Remix reads it).
 */
function sameOrigin(origin: string, headers: IncomingMessage['headers']): boolean {
  const forwarded = String(headers['x-forwarded-host'] ?? '').split(',')[0].trim()
  const host = forwarded || headers.host
  try {
    return origin !== 'null' && !!host && new URL(origin).host === host
  } catch {
    return false
  }
}

/** An organiser path, as Express and Remix match it: any case, percent-encoded or not. */
function isAdminPath(path: string) {
  let decoded = path
  try {
    decoded = decodeURIComponent(path)
  } catch {
    // Not a page's name: the 404 answers it.
  }
  return /^\/admin(\/|$)/i.test(decoded)
}

/**
 * The server's one origin guard, for Express and the direct paths alike: which writes come from our
 * own pages. Reads pass. Everywhere, an Origin, when sent, must name the host asked (sameOrigin); a
 * write without one passes on public paths (a browser always sends it with a cross-site form, and
 * non-browser clients get nothing a browser would not). Under /admin a browser's own proof is
 * required: an Origin that is APP_URL's or the request's own scheme and host, or, without one,
 * `Sec-Fetch-Site: same-origin`. Returns what refuses the request: 'page' (the translated 403
 * page), 'admin' (a plain 403 before any session is read), or null.
 */
export function originRefusal(method: string | undefined, path: string, headers: IncomingMessage['headers'], appOrigin: string, protocol: string): 'page' | 'admin' | null {
  if (method === 'GET' || method === 'HEAD') return null
  const admin = isAdminPath(path)
  const origin = headers.origin
  if (origin === undefined) return admin && headers['sec-fetch-site'] !== 'same-origin' ? 'admin' : null
  if (!sameOrigin(origin, headers)) return admin ? 'admin' : 'page'
  if (admin && origin !== appOrigin && origin !== `${protocol}://${headers.host}`) return 'admin'
  return null
}

/**
 * A request target in absolute form (`GET http://host/path`, which HTTP/1.1 servers must accept) is
 * reduced to its path and query before anything reads it; the Host header still names the site, so
 * the target's authority can steer nothing. A target that does not parse is left for the 404.
 */
export function originForm(req: IncomingMessage) {
  const url = req.url ?? '/'
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return
  try {
    const parsed = new URL(url)
    req.url = `${parsed.pathname}${parsed.search}`
  } catch {
    // Left as it is: no page has that name.
  }
}

/** The paths that serve an email's own HTML: the dev mailbox's and the organisers' news preview. */
const EMAIL_DOCUMENT_PATHS = [/^\/dev\/mailbox\/\d+\/html$/, /^\/admin\/campaigns\/[^/]+\/updates\/[^/]+\/preview\.html$/]
export const EMAIL_DOCUMENT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'; form-action 'none'; base-uri 'none'; sandbox"

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config, build } = options
  const log = options.log ?? ((line: string) => config.logLevel === 'info' && console.log(line))
  const logError = (line: string) => config.logLevel !== 'silent' && console.error(line)

  const { db, sqlite, pool } = openDatabase(config.databasePath, { poolSize: config.database.poolSize })
  const migrated = await migrateToLatest(db)
  // Indexes a migration just made get their statistics before serving, not in the first purge (ADR 144).
  if (sqlite && config.database.engine === 'sqlite' && migrated.results?.length) refreshPlannerStatistics(sqlite)
  const vault = vaultFor(config)
  // Other keys than the database was written with: refuse to start rather than fail every email and count people twice.
  try {
    if ((await checkKeys(db, vault)) === 'rotating') log(`ENCRYPTION_KEY is being rotated to key ${vault.encryptionKeyId}: run \`npm run rekey\`, then drop ENCRYPTION_KEY_PREVIOUS (docs/operations.md, "Keys")`)
  } catch (error) {
    await db.destroy()
    throw error
  }
  const checkpointer = sqlite && config.database.engine === 'sqlite' && config.database.file !== ':memory:' ? startCheckpointer(sqlite, config.database.file) : null
  // Organisers' heavy reads run on a worker thread's own connection on SQLite (ADR 111); PostgreSQL's are off the loop already.
  const readWorker = sqlite && config.database.engine === 'sqlite' && config.database.file !== ':memory:' ? openReadWorker(config.database.file) : null
  const readDb = readWorker?.db ?? db
  // The figures computed in the background on their own worker: a minute's aggregate there never holds up an organiser's page on readDb (ADR 141).
  const figuresWorker = readWorker && config.database.engine === 'sqlite' ? openReadWorker(config.database.file) : null
  const figuresDb = figuresWorker?.db ?? db
  // Its name and code only: a message could quote personal data.
  const figureFailed = (error: unknown) => logError(`organiser figures failed: ${(error as Error)?.name ?? 'error'}${(error as { code?: string })?.code ? ` ${(error as { code?: string }).code}` : ''}`)
  const figures = { dashboard: slowFigures<DashboardFigures>({ quickMs: config.figuresQuickMs, onError: figureFailed }), fraud: slowFigures<FraudFlags>({ quickMs: config.figuresQuickMs, onError: figureFailed }) }
  if (await seedFirstCampaign(db)) log('Seeded the first campaign: /campaigns/justice-for-1988')
  await seedLetters(db, FIRST_CAMPAIGN_SLUG)
  // A letter job left running by a stopped process is run again here, under its own id (ADR 130).
  let stopping = false
  const resumeJobs = async (staleBefore?: number) => {
    for (const { jobId, done } of await resumeInterruptedJobs({ db, readDb, vault, config }, staleBefore)) {
      log(`Resumed letter job ${jobId} after a restart`)
      // Cut short by a stop (the database closed under it): the next start resumes it again.
      done.catch((e: Error) => !stopping && logError(`letter job ${jobId} failed: ${e.message}`))
    }
  }
  // On SQLite this is the only process: a job still 'running' belonged to the one that stopped.
  if (!pool) await resumeJobs(Date.now())

  const limits = createRateLimits(config.rateLimits, pool)
  // Group commit is for SQLite's one writer, where a commit costs more than the rows (ADR 064). On
  // PostgreSQL a batch would queue every sign's statements on one connection; each unit takes its own
  // transaction on its own pooled connection instead (ADR 065).
  const writes = pool ? eachInOwnTransaction(db) : createGroupCommit(db)
  const sender = options.sender ?? (config.email.mode === 'resend' ? resendSender(config.email) : devMailboxSender(db))
  const worker = startOutboxWorker({
    db,
    vault,
    sender,
    ratePerSecond: config.email.ratePerSecond,
    pollMs: config.email.pollMs,
    onError: logError,
  })
  // Periodic work runs in one process at a time, whichever holds its lease (several processes may
  // share a PostgreSQL database): the purge, the backfill, and picking up what a stopped process
  // left (a letter job whose heartbeat stopped, a news fan-out half queued).
  // Renewed while the work runs: a process that dies mid-work hands it over within this long.
  const LEASE_MS = 30_000
  const periodic = (name: string, ttlMs: number, work: () => Promise<unknown>) => () =>
    underLease(db, name, ttlMs, work).catch((e: Error) => {
      // Cut short by a stop (the database closed under it): it resumes at the next start.
      if (!stopping) logError(`${name} failed: ${e.message}`)
    })
  const purge = periodic('purge', LEASE_MS, async () => {
    await purgeExpired(db, config.pendingRetentionDays, Date.now(), PURGE_SLICE, readDb)
    await purgeWebhookLog(db)
    // Hourly, as SQLite asks of long-lived connections: the planner's statistics kept current (ADR 138).
    if (sqlite && config.database.engine === 'sqlite') refreshPlannerStatistics(sqlite)
  })
  // On SQLite this is the only process: at its start, a rule batch still being applied or undone was the last process's.
  let firstPickUp = !pool
  const pickUp = periodic('pick-up', LEASE_MS, async () => {
    await resumeJobs()
    await resumeNewsQueues({ db, vault, appUrl: config.appUrl, wake: () => worker.wake() })
    const staleMs = firstPickUp ? 0 : BATCH_STALE_MS
    firstPickUp = false
    await resumeRuleBatches(db, vault, Date.now(), staleMs, RULE_SLICE, readDb)
  })
  void purge()
  // Rows signed before migration 005 get their email-domain hash in the background.
  void periodic('domain-backfill', LEASE_MS, () => backfillDomainHashes(db, vault))()
  // Organisers' names and signers' IP countries stored in clear before ADR 089 are encrypted in the background.
  void periodic('encrypt-clear-fields', LEASE_MS, () => encryptClearFields(db, vault))()
  // Letter PDFs stored in clear before ADR 086 are sealed in the background.
  void periodic('seal-stored-pdfs', LEASE_MS, () => sealStoredPdfs(db, vault))()
  // Signatures confirmed before the log existed are queued for it, in order, in slices (ADR 093);
  // each slice renews the lease, so a long backfill stays in one process.
  void periodic('log-backfill', LEASE_MS, () => backfillLog(db, { config, keepGoing: () => acquireLease(db, 'log-backfill', LEASE_MS) }))()
  void pickUp()
  const purgeTimer = setInterval(purge, HOUR)
  purgeTimer.unref()
  const pickUpTimer = setInterval(pickUp, 60_000)
  pickUpTimer.unref()
  // Scheduled news leaves within a few seconds of its time. No lease: every process looks, and the
  // conditional flip to 'queueing' lets exactly one of them start each update (ADR 110).
  let releasing = false
  const releaseScheduled = () => {
    if (releasing || stopping) return
    releasing = true
    releaseDueUpdates({ db, vault, appUrl: config.appUrl, wake: () => worker.wake() })
      .catch((e: Error) => {
        if (!stopping) logError(`news-schedule failed: ${e.message}`)
      })
      .finally(() => {
        releasing = false
      })
  }
  const scheduleTimer = setInterval(releaseScheduled, NEWS_SCHEDULE_POLL_MS)
  scheduleTimer.unref()
  // Pending log entries become entries and a signed checkpoint, off the request path (ADR 081).
  const sequencer = startLogSequencer(db, config, logError)
  // Partners' webhooks have their own worker and queue: a slow endpoint never delays an email (ADR 133).
  const webhooks = startWebhookWorker({ db, vault, config, pollMs: config.email.pollMs, onError: logError })

  const app = express()
  app.disable('x-powered-by')
  const appOrigin = new URL(config.appUrl).origin
  app.set('trust proxy', config.trustProxy === 'false' ? false : config.trustProxy === 'true' ? true : config.trustProxy)

  // The client's address (after TRUST_PROXY) and its keyed hash: the one key for limits, audit and review.
  const trustProxy = app.get('trust proxy fn')
  const clientIp = (req: IncomingMessage) => proxyAddr(req, trustProxy) ?? ''
  // An IPv6 client is its /64 (IPV6_PREFIX_LENGTH): one subscriber can pick any address in it (ADR 088).
  const keyOfIp = (ip: string) => vault.ipHash(networkOf(ip, config.ipv6PrefixLength) || 'unknown')
  const clientKey = (req: IncomingMessage) => keyOfIp(clientIp(req))
  const newNonce = () => secureRandomBytes(16).toString('base64')
  const setLocaleCookie = (lang: unknown, res: ServerResponse, path = '') => {
    // A frame on another site gets no cookie at all (ADR 132): its language rides in ?lang=.
    if (!isLocale(lang) || isEmbedPath(path)) return
    res.setHeader(
      'Set-Cookie',
      `${LOCALE_COOKIE}=${lang}; Max-Age=${365 * 24 * 3600}; Path=/; HttpOnly; SameSite=Lax${config.appUrl.startsWith('https:') ? '; Secure' : ''}`,
    )
  }
  // Counts on these pages may lag by STATS_CACHE_MS anyway; the whole page may too (ADR 061).
  const responseCache = createResponseCache({
    ttlMs: config.statsCacheMs,
    cacheable(req, url) {
      if (url.searchParams.has('_data') || req.headers.authorization) return false
      // Anyone with a cookie other than the language one may see something of their own.
      const cookies = (req.headers.cookie ?? '').split(';').map((c) => c.trim()).filter(Boolean)
      if (cookies.some((c) => !c.startsWith(`${LOCALE_COOKIE}=`))) return false
      return CACHEABLE_PATHS.some((re) => re.test(url.pathname))
    },
    // The browser's language region preselects the sign form's country (ADR 102): part of the key, held in memory only.
    variant: (req) =>
      `${localeFromRequestParts(req.url ?? '/', req.headers.cookie ?? null, req.headers['accept-language'] ?? null)} ${externalReferrer(req.headers.referer, config.appUrl) ?? ''} ${regionFromLanguages(acceptLanguageTags(req.headers['accept-language']), isCountryCode) ?? ''}`,
    admit: async (req) => !(await limits.request(clientKey(req))),
    decorate: (_req, url, res) => setLocaleCookie(url.searchParams.get('lang'), res, url.pathname),
    newNonce,
  })

  app.use((req, res, next) => {
    res.locals.cspNonce = responseCache.nonceFor(req)
    next()
  })
  // Every answer carries these, from Express or from the direct paths alike.
  const securityHeaders = [
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
          'style-src': ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
          'img-src': ["'self'", 'data:'],
          'font-src': ["'self'"],
          'connect-src': ["'self'"],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
          'frame-src': ["'self'"],
          'base-uri': ["'none'"],
          'object-src': ["'none'"],
          ...(config.appUrl.startsWith('https:') ? { 'upgrade-insecure-requests': [] } : {}),
        },
      },
      crossOriginEmbedderPolicy: false,
      referrerPolicy: { policy: 'same-origin' },
      strictTransportSecurity: config.appUrl.startsWith('https:') ? { maxAge: 31536000, includeSubDomains: true } : false,
    }),
    (req: IncomingMessage, res: ServerResponse, next: () => void) => {
      res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()')
      // Pages follow the reader's language, chosen by cookie or Accept-Language. The built assets and
      // the map's outlines (ADR 139) are the same for everyone: varying them by cookie would have
      // browsers fetch them again each time a cookie changes.
      if (!/^\/(?:build\/|map\.svg(?:\?|$))/.test(req.url ?? '')) res.setHeader('Vary', 'Accept-Language, Cookie')
      next()
    },
  ]
  app.use(securityHeaders)
  // An email shown as its recipient will see it needs its inline styles: these documents get a policy
  // of their own instead of the pages' (nonces only), allowing those styles and nothing else, no script
  // at all (sandboxed), framed only by our own pages (ADR 109). Set here, so even a redirect or error
  // on these paths carries it.
  app.use((req, res, next) => {
    if (EMAIL_DOCUMENT_PATHS.some((re) => re.test(req.path))) {
      res.setHeader('Content-Security-Policy', EMAIL_DOCUMENT_CSP)
      // A sandboxed document has an opaque origin: asking to key its agent cluster by origin only warns.
      res.removeHeader('Origin-Agent-Cluster')
    }
    next()
  })
  // The embeddable form may be framed by the sites its campaign lists, and only there (ADR 132): its
  // policy's frame-ancestors names them ('none' for no list, an unknown slug or a draft), and no
  // X-Frame-Options contradicts it. Every other path keeps 'none'. Set before any answer, a refusal
  // or error page included, and kept with the page by the response cache (keyed by URL, so per campaign).
  app.use((req, res, next) => {
    if (!isEmbedPath(req.path)) return next()
    const slug = EMBED_PATH.exec(req.path)?.[1]
    const origins = slug ? embedOriginsOf(db, slug, loopbackAllowed(config.env)) : Promise.resolve([])
    origins.then((list) => {
      const policy = String(res.getHeader('Content-Security-Policy') ?? '')
      res.setHeader('Content-Security-Policy', policy.replace("frame-ancestors 'none'", `frame-ancestors ${frameAncestors(list)}`))
      if (list.length) res.removeHeader('X-Frame-Options')
      next()
    }, next)
  })
  app.use(compression())
  app.use(responseCache.capture)

  const publicDir = options.publicDir ?? path.resolve('public')
  app.use('/build', express.static(path.join(publicDir, 'build'), { immutable: true, maxAge: '1y', index: false }))
  const publicFiles = express.static(publicDir, { maxAge: '1h', index: false })
  // Only names with an extension can be files here: pages skip the disk look-up.
  app.use((req, res, next) => (/\.[a-z0-9]+$/i.test(req.path) ? publicFiles(req, res, next) : next()))

  app.use((req, res, next) => {
    // Hashed once per request: the limits and every loader and action use the same key.
    const admitted = admittedKey(req)
    const key = admitted ?? clientKey(req)
    res.locals.clientIpHash = key
    // A request the direct paths handed on was counted there already.
    if (admitted) return next()
    limits.request(key).then((limited) => {
      if (!limited) return next()
      res.setHeader('Retry-After', String(limited.retryAfterSeconds))
      sendStatusPage(req, res, 429, 'rateLimit.title', 'rateLimit.body')
    }, next)
  })

  // A path that is not valid percent-encoded UTF-8 names no page; Remix would throw decoding it.
  // Nor does one holding a NUL, which no page or query takes (PostgreSQL refuses it in text).
  app.use((req, res, next) => {
    try {
      if (decodeURIComponent(req.path).includes('\0')) throw new URIError('NUL')
    } catch {
      return sendStatusPage(req, res, 404, 'notFound.title', 'notFound.body')
    }
    next()
  })

  app.use((req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next()
    // Forms are posted from our own pages only. Remix would throw (a 500) on a foreign Origin; a
    // browser posting from another site gets a plain refusal instead. Organiser changes must come
    // from our own pages, refused before they reach a session; Connection: close, since the body
    // is never read.
    const refusal = originRefusal(req.method, req.path, req.headers, appOrigin, req.protocol)
    if (refusal === 'admin') return void res.status(403).set('Connection', 'close').type('text').send('Cross-origin request refused.')
    if (refusal === 'page') return sendStatusPage(req, res, 403, 'error.form.invalid', 'error.form.invalid')
    // Public forms are urlencoded or multipart; anything else (JSON, XML, text) is not a form.
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
    // Multipart only where a document can be uploaded (those routes read it with readForm); a form
    // without a file input is always urlencoded, so multipart elsewhere is refused here, once.
    const takesFiles = LARGE_BODY_ROUTES.some((r) => r.pattern.test(req.path)) && !JSON_ROUTES.some((re) => re.test(req.path))
    const isForm = type === 'application/x-www-form-urlencoded' || (type === 'multipart/form-data' && takesFiles)
    const isJsonEndpoint = type === 'application/json' && JSON_ROUTES.some((re) => re.test(req.path))
    if (req.headers['content-length'] !== '0' && !isForm && !isJsonEndpoint) {
      return sendStatusPage(req, res, 415, 'error.form.invalid', 'error.form.invalid')
    }
    const length = Number(req.headers['content-length'] ?? NaN)
    if (req.headers['transfer-encoding'] && Number.isNaN(length)) {
      return sendStatusPage(req, res, 411, 'error.form.invalid', 'error.tooLarge')
    }
    const limit = LARGE_BODY_ROUTES.find((r) => r.pattern.test(req.path))?.maxBytes ?? MAX_FORM_BYTES
    if (length > limit) {
      return sendStatusPage(req, res, 413, 'error.tooLarge', 'error.tooLarge')
    }
    next()
  })

  // The language switcher is a plain link with ?lang=: remember the choice for the next pages.
  app.use((req, res, next) => {
    setLocaleCookie(req.query.lang, res, req.path)
    next()
  })

  // The petition-API style addresses /campaigns/<slug>.json and .csv map onto resource routes.
  app.use((req, _res, next) => {
    const match = /^\/campaigns\/([^/?]+)\.(json|csv)(\?.*)?$/.exec(req.url)
    // Remix builds its Request from originalUrl, so both change.
    if (match) req.url = req.originalUrl = `/campaigns/${match[1]}/counts.${match[2]}${match[3] ?? ''}`
    next()
  })

  const direct = createDirectPaths({
    context: { db, writes, config, vault, limits, wakeOutbox: () => worker.wake() },
    limits,
    maxFormBytes: MAX_FORM_BYTES,
    clientIp,
    clientKey: keyOfIp,
    // The direct path takes only public sign posts, where the scheme is never compared.
    crossOrigin: (req) => originRefusal(req.method, (req.url ?? '/').split('?')[0], req.headers, appOrigin, 'http') !== null,
    decorate(req, res, lang) {
      ;(res as ServerResponse & { locals?: object }).locals = { cspNonce: newNonce() }
      for (const middleware of securityHeaders) middleware(req as express.Request, res as express.Response, () => {})
      setLocaleCookie(lang, res)
    },
    logError,
  })
  // DIRECT_PATHS=false hands every request to Express and Remix (ADR 117).
  const inFront = config.directPaths ? direct.handle : (_req: IncomingMessage, _res: ServerResponse, next: () => void) => next()

  // Overload is answered at once, never queued (#10): 503, Retry-After, a page in the reader's language.
  const shedder = createLoadShedder(config.shed)
  const refuseBusy = (req: IncomingMessage, res: ServerResponse) => {
    const locale = localeFromRequestParts(req.url ?? '/', req.headers.cookie ?? null, (req.headers['accept-language'] as string | undefined) ?? null)
    const nonce = newNonce()
    ;(res as ServerResponse & { locals?: object }).locals = { cspNonce: nonce }
    for (const middleware of securityHeaders) middleware(req as express.Request, res as express.Response, () => {})
    res.statusCode = 503
    res.setHeader('Retry-After', '5')
    res.setHeader('Cache-Control', 'no-store')
    // The body, if any, is left unread.
    if (req.method !== 'GET' && req.method !== 'HEAD') res.setHeader('Connection', 'close')
    res.setHeader('Content-Type', 'text/html; charset=utf-8')
    res.end(statusPageHtml(locale, 'busy.title', 'busy.body', nonce))
  }

  app.all(
    '*',
    createRequestHandler({
      build,
      mode: config.env === 'development' ? 'development' : 'production',
      getLoadContext: (req, res) => ({
        db,
        readDb,
        figuresDb,
        figures,
        config,
        vault,
        limits,
        clientIp: req.ip ?? '',
        clientIpHash: String(res.locals.clientIpHash ?? clientKey(req)),
        cspNonce: String(res.locals.cspNonce),
        writes,
        wakeOutbox: () => worker.wake(),
        presubmitted: presubmitted(req),
      }) satisfies AppContext,
    }),
  )

  app.use((error: Error, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    // The name and code say what failed; a message could quote personal data, so it stays out.
    logError(`unhandled: ${error.name}${(error as { code?: string }).code ? ` ${(error as { code?: string }).code}` : ''} on ${req.method} ${req.path.split('/').slice(0, 3).join('/')}`)
    if (res.headersSent) return res.end()
    sendStatusPage(req, res, 500, 'serverError.title', 'serverError.body')
  })

  const server: Server = await new Promise((resolve, reject) => {
    const s = createServer((req, res) => {
      originForm(req)
      // Cached pages first (cheap, so readers keep the campaign page under load), then shedding, then the rest.
      responseCache.handle(req, res, () => {
        if (!shedder.admit(req, res)) return refuseBusy(req, res)
        inFront(req, res, () => app(req, res))
      })
    })
    s.listen(config.port, config.host, () => resolve(s))
    s.once('error', reject)
  })
  server.keepAliveTimeout = 65_000
  server.headersTimeout = 66_000
  server.requestTimeout = 30_000
  const port = (server.address() as AddressInfo).port

  let closing: Promise<void> | null = null
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    db,
    worker,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          // Keep-alive connections close as soon as their request in flight is answered; any still
          // open after the grace period are cut.
          const idle = setInterval(() => server.closeIdleConnections(), 50)
          const cut = setTimeout(() => server.closeAllConnections(), 10_000)
          server.once('close', () => {
            clearInterval(idle)
            clearTimeout(cut)
          })
          server.closeIdleConnections()
        })
        stopping = true
        clearInterval(purgeTimer)
        clearInterval(pickUpTimer)
        clearInterval(scheduleTimer)
        shedder.stop()
        await sequencer.stop()
        await webhooks.stop()
        await worker.stop()
        await checkpointer?.stop()
        await readWorker?.db.destroy()
        await figuresWorker?.db.destroy()
        await db.destroy()
      })()
      return closing
    },
  }
}
