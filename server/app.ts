import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import helmet from 'helmet'
import { randomBytes } from 'node:crypto'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { AppConfig } from '../app/config.server'
import type { AppContext } from '../app/context.server'
import { migrateToLatest, openDatabase, type DB } from '../app/db.server'
import { devMailboxSender, resendSender, startOutboxWorker, type EmailSender, type OutboxWorker } from '../app/email-worker.server'
import { isLocale, LOCALE_COOKIE } from '../app/i18n/i18n.server'
import { backfillDomainHashes } from '../app/models/moderation.server'
import { resumeNewsQueues } from '../app/models/news.server'
import { purgeExpired } from '../app/models/signature.server'
import { createRateLimits } from '../app/rate-limits.server'
import { createVault } from '../app/utils/vault.server'
import { FIRST_CAMPAIGN_SLUG, seedFirstCampaign } from '../db/seed'
import { failInterruptedJobs, seedLetters } from '../app/models/letter.server'
import { sendStatusPage } from './status-page'

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
]
const HOUR = 60 * 60_000

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config, build } = options
  const log = options.log ?? ((line: string) => config.logLevel === 'info' && console.log(line))
  const logError = (line: string) => config.logLevel !== 'silent' && console.error(line)

  const { db } = openDatabase(config.databasePath)
  await migrateToLatest(db)
  if (await seedFirstCampaign(db)) log('Seeded the first campaign: /campaigns/justice-for-1988')
  await seedLetters(db, FIRST_CAMPAIGN_SLUG)
  await failInterruptedJobs(db)

  const vault = createVault({ encryptionKey: config.secrets.ENCRYPTION_KEY, hmacKey: config.secrets.HMAC_KEY })
  const limits = createRateLimits(config.rateLimits)
  const sender = options.sender ?? (config.email.mode === 'resend' ? resendSender(config.email) : devMailboxSender(db))
  const worker = startOutboxWorker({
    db,
    vault,
    sender,
    ratePerSecond: config.email.ratePerSecond,
    pollMs: config.email.pollMs,
    onError: logError,
  })
  const purge = () =>
    purgeExpired(db, config.pendingRetentionDays).catch((e: Error) => logError(`purge failed: ${e.message}`))
  void purge()
  // Rows signed before migration 005 get their email-domain hash in the background.
  void backfillDomainHashes(db, vault).catch((e: Error) => logError(`domain backfill failed: ${e.message}`))
  // A news update whose fan-out a stop interrupted carries on from its cursor.
  void resumeNewsQueues({ db, vault, appUrl: config.appUrl, wake: () => worker.wake() }).catch((e: Error) => logError(`news queue failed: ${e.message}`))
  const purgeTimer = setInterval(purge, HOUR)
  purgeTimer.unref()

  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', config.trustProxy === 'false' ? false : config.trustProxy === 'true' ? true : config.trustProxy)

  app.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64')
    next()
  })
  app.use(
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
  )
  app.use((_req, res, next) => {
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()')
    // Pages follow the reader's language, chosen by cookie or Accept-Language.
    res.setHeader('Vary', 'Accept-Language, Cookie')
    next()
  })
  app.use(compression())

  const publicDir = options.publicDir ?? path.resolve('public')
  app.use('/build', express.static(path.join(publicDir, 'build'), { immutable: true, maxAge: '1y', index: false }))
  app.use(express.static(publicDir, { maxAge: '1h', index: false }))

  const clientKey = (req: express.Request) => vault.ipHash(req.ip ?? 'unknown')

  app.use((req, res, next) => {
    limits.request(clientKey(req)).then((limited) => {
      if (!limited) return next()
      res.setHeader('Retry-After', String(limited.retryAfterSeconds))
      sendStatusPage(req, res, 429, 'rateLimit.title', 'rateLimit.body')
    }, next)
  })

  app.use((req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next()
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

  // Organiser changes must come from our own pages: a browser always sends Origin (or at least
  // Sec-Fetch-Site) with a POST, so anything else is refused before it reaches a session.
  app.use('/admin', (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next()
    const origin = req.headers.origin
    const site = req.headers['sec-fetch-site']
    const sameOrigin = origin ? origin === new URL(config.appUrl).origin || origin === `${req.protocol}://${req.headers.host}` : site === 'same-origin'
    // Connection: close, since the body is never read.
    if (!sameOrigin) return void res.status(403).set('Connection', 'close').type('text').send('Cross-origin request refused.')
    next()
  })

  // The language switcher is a plain link with ?lang=: remember the choice for the next pages.
  app.use((req, res, next) => {
    const lang = req.query.lang
    if (isLocale(lang)) {
      res.cookie(LOCALE_COOKIE, lang, {
        maxAge: 365 * 24 * HOUR,
        httpOnly: true,
        sameSite: 'lax',
        secure: config.appUrl.startsWith('https:'),
        path: '/',
      })
    }
    next()
  })

  // The petition-API style addresses /campaigns/<slug>.json and .csv map onto resource routes.
  app.use((req, _res, next) => {
    const match = /^\/campaigns\/([^/?]+)\.(json|csv)(\?.*)?$/.exec(req.url)
    // Remix builds its Request from originalUrl, so both change.
    if (match) req.url = req.originalUrl = `/campaigns/${match[1]}/counts.${match[2]}${match[3] ?? ''}`
    next()
  })

  app.all(
    '*',
    createRequestHandler({
      build,
      mode: config.env === 'development' ? 'development' : 'production',
      getLoadContext: (req, res) => ({
        db,
        config,
        vault,
        limits,
        clientIp: req.ip ?? '',
        cspNonce: String(res.locals.cspNonce),
        wakeOutbox: () => worker.wake(),
      }) satisfies AppContext,
    }),
  )

  app.use((error: Error, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    logError(`unhandled: ${error.name}`)
    if (res.headersSent) return res.end()
    sendStatusPage(req, res, 500, 'serverError.title', 'serverError.body')
  })

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s))
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
        clearInterval(purgeTimer)
        await worker.stop()
        await db.destroy()
      })()
      return closing
    },
  }
}
