import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { DatabaseUrlError, parseDatabaseUrl, type DatabaseTarget } from '../db/url'

/**
 * Secrets the platform needs; each is 32 random bytes, base64-encoded. ED25519_PRIVATE_KEY is the
 * seed of the key that signs letter certificates (app/letters/certificate.server.ts).
 */
export const SECRET_NAMES = ['ENCRYPTION_KEY', 'HMAC_KEY', 'SESSION_SECRET', 'ED25519_PRIVATE_KEY'] as const
type SecretName = (typeof SECRET_NAMES)[number]

const secret = z
  .string()
  .refine((v) => Buffer.from(v, 'base64').length >= 32, 'must be at least 32 bytes, base64-encoded')

const intFrom = (def: number, min = 0) => z.coerce.number().int().min(min).default(def)

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Default: loopback only when APP_URL is loopback (a development start), every interface otherwise. */
  HOST: z.string().optional(),
  DATABASE_URL: z
    .string()
    .min(1)
    .default('data/app.db')
    .superRefine((v, ctx) => {
      try {
        parseDatabaseUrl(v)
      } catch (e) {
        if (!(e instanceof DatabaseUrlError)) throw e
        ctx.addIssue({ code: 'custom', message: e.message })
      }
    }),
  /** Connections each app process may hold to PostgreSQL. */
  PG_POOL_SIZE: intFrom(10, 1),
  APP_URL: z.string().url().optional(),
  RESEND_API_KEY: z.string().min(1).optional(),
  RESEND_BASE_URL: z.string().url().optional(),
  EMAIL_FROM: z.string().min(3).default('Justice campaign <campaign@localhost>'),
  EMAIL_RATE_PER_SECOND: z.coerce.number().positive().default(2),
  EMAIL_TIMEOUT_MS: intFrom(15_000, 100),
  ENCRYPTION_KEY: secret.optional(),
  /** Earlier ENCRYPTION_KEYs, comma-separated, kept during a rotation until `npm run rekey` has re-sealed everything (ADR 135). */
  ENCRYPTION_KEY_PREVIOUS: z
    .string()
    .refine((v) => v.split(',').every((k) => Buffer.from(k.trim(), 'base64').length >= 32), 'must be keys of at least 32 bytes, base64-encoded, comma-separated')
    .optional(),
  HMAC_KEY: secret.optional(),
  SESSION_SECRET: secret.optional(),
  ED25519_PRIVATE_KEY: secret.optional(),
  /** Resend's webhook signing secret (whsec_...): without it /webhooks/resend accepts nothing. */
  RESEND_WEBHOOK_SECRET: z.string().regex(/^whsec_[A-Za-z0-9+/=]+$/, 'must look like whsec_<base64>').optional(),
  /** Gap between two letters to missions, on top of the outbox's own rate. */
  LETTER_SEND_GAP_SECONDS: intFrom(30, 0),
  SECRETS_FILE: z.string().optional(),
  TRUST_PROXY: z.string().default('loopback'),
  PENDING_RETENTION_DAYS: intFrom(14, 1),
  RATE_LIMIT_SIGN_PER_IP: intFrom(20, 1),
  RATE_LIMIT_SIGN_WINDOW_SECONDS: intFrom(600, 1),
  RATE_LIMIT_SIGN_PER_CAMPAIGN_PER_MINUTE: intFrom(6000, 1),
  RATE_LIMIT_REQUESTS_PER_IP_PER_MINUTE: intFrom(600, 1),
  RATE_LIMIT_LOGIN_PER_IP: intFrom(20, 1),
  /** Requests a partner's API key may make a minute (ADR 133). */
  RATE_LIMIT_API_PER_KEY_PER_MINUTE: intFrom(120, 1),
  /** A partner's webhook endpoint must answer within this long; failed deliveries are retried after this, doubling (ADR 133). */
  WEBHOOK_TIMEOUT_MS: intFrom(10_000, 100),
  WEBHOOK_RETRY_BASE_MS: intFrom(2_000, 10),
  /** IPv6 clients are one client per network of this prefix length, for every limit and fraud flag. */
  IPV6_PREFIX_LENGTH: z.coerce.number().int().min(1).max(128).default(64),
  /** Admins must sign in with a passkey or an authenticator app; one without is sent to add one first (ADR 094). */
  REQUIRE_SECOND_FACTOR_FOR_ADMINS: z.enum(['true', 'false', '1', '0']).default('true'),
  STATS_CACHE_MS: intFrom(2000, 0),
  /** Organisers' figures that take longer than this to compute are read from their last computation (ADR 141). */
  FIGURES_QUICK_MS: intFrom(1000, 0),
  /** Signs and confirmations that succeed are answered in front of Express and Remix (ADR 064); off, Remix serves them (ADR 117). */
  DIRECT_PATHS: z.enum(['true', 'false', '1', '0']).default('true'),
  /** Past this many requests in flight, or this event-loop delay in ms, new requests get 503 (0: off). */
  SHED_MAX_IN_FLIGHT: intFrom(1000, 0),
  SHED_LAG_MS: intFrom(2000, 0),
  OUTBOX_POLL_MS: intFrom(500, 10),
  LOG_LEVEL: z.enum(['silent', 'error', 'info']).default('info'),
  FRAUD_IP_PER_HOUR: intFrom(10, 2),
  FRAUD_DOMAIN_PER_HOUR: intFrom(50, 2),
  /** Witnesses whose cosignatures of campaign log checkpoints are accepted: cosigner keys (type 0x04), comma-separated (ADR 084). */
  LOG_WITNESSES: z
    .string()
    .regex(/^([^\s+,]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*)(,[^\s+,]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*)*$/, 'must be witness keys name+id+key, comma-separated')
    .optional(),
})

export interface AppConfig {
  env: 'development' | 'production' | 'test'
  port: number
  host: string
  /** DATABASE_URL as given: a SQLite file path or a postgres:// URL (see `database`). */
  databasePath: string
  database: DatabaseTarget & { poolSize: number }
  appUrl: string
  isLoopback: boolean
  email: {
    mode: 'resend' | 'dev-mailbox'
    resendApiKey?: string
    resendBaseUrl?: string
    from: string
    ratePerSecond: number
    timeoutMs: number
    pollMs: number
    webhookSecret?: string
    letterGapMs: number
  }
  secrets: Record<SecretName, Buffer>
  /** ENCRYPTION_KEY_PREVIOUS: keys that still open what they sealed, never used to seal (ADR 135). */
  previousEncryptionKeys: Buffer[]
  trustProxy: string
  /** IPv6 addresses are keyed by their network of this many bits (ADR 088). */
  ipv6PrefixLength: number
  pendingRetentionDays: number
  rateLimits: {
    signPerIp: number
    signWindowSeconds: number
    signPerCampaignPerMinute: number
    requestsPerIpPerMinute: number
    loginPerIp: number
    apiPerKeyPerMinute: number
  }
  /** Partners' webhooks (ADR 133). */
  webhooks: { timeoutMs: number; retryBaseMs: number }
  statsCacheMs: number
  figuresQuickMs: number
  /** server/direct-paths.ts takes the sign and confirm requests it can answer (ADR 064, 117). */
  directPaths: boolean
  /** Load shedding (server/load-shedding.ts): 0 turns a rule off. */
  shed: { maxInFlight: number; maxLagMs: number }
  logLevel: 'silent' | 'error' | 'info'
  /** Verified signatures from one IP hash or one email domain within an hour that raise a flag. */
  fraud: { ipPerHour: number; domainPerHour: number }
  /** cosigner verifier keys of the witnesses whose cosignatures are accepted (ADR 084) */
  logWitnesses: string[]
  /** Admins need a second factor (ADR 094). */
  requireSecondFactorForAdmins: boolean
}

export class ConfigError extends Error {}

export function isLoopbackOrigin(url: string): boolean {
  return isLoopbackHost(new URL(url).hostname)
}

/** A host name or address that can only mean this machine (brackets of an IPv6 literal allowed). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
}

/**
 * Reads and checks the environment. On a loopback APP_URL, secrets that are missing are generated
 * once into data/ (the two-command start); anywhere else they must be given.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  say: (line: string) => void = (line) => console.log(line),
): AppConfig {
  // An empty variable (KEY= in an env file) means "not set".
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = EnvSchema.safeParse(given)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`)
  }
  const e = parsed.data
  const appUrl = (e.APP_URL ?? `http://localhost:${e.PORT || 3000}`).replace(/\/+$/, '')
  const loopback = isLoopbackOrigin(appUrl)

  if (!loopback && !e.RESEND_API_KEY) {
    throw new ConfigError(
      `RESEND_API_KEY is required when APP_URL (${appUrl}) is not a loopback origin: the dev mailbox only exists on localhost.`,
    )
  }

  const missing = SECRET_NAMES.filter((name) => !e[name])
  let fileSecrets: Partial<Record<SecretName, string>> = {}
  if (missing.length > 0) {
    if (!loopback) {
      throw new ConfigError(
        `Missing secrets for a public APP_URL (${appUrl}): ${missing.join(', ')}. ` +
          `Generate each with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`,
      )
    }
    const database = parseDatabaseUrl(e.DATABASE_URL)
    const dir = database.engine === 'sqlite' && database.file !== ':memory:' ? path.dirname(database.file) : 'data'
    const file = e.SECRETS_FILE ?? path.join(dir, 'secrets.json')
    fileSecrets = readOrCreateSecrets(file, missing, say)
  }
  const secrets = Object.fromEntries(
    SECRET_NAMES.map((name) => [name, Buffer.from((e[name] ?? fileSecrets[name])!, 'base64')]),
  ) as Record<SecretName, Buffer>

  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST ?? (loopback ? '127.0.0.1' : '0.0.0.0'),
    databasePath: e.DATABASE_URL,
    database: { ...parseDatabaseUrl(e.DATABASE_URL), poolSize: e.PG_POOL_SIZE },
    appUrl,
    isLoopback: loopback,
    email: {
      mode: e.RESEND_API_KEY ? 'resend' : 'dev-mailbox',
      resendApiKey: e.RESEND_API_KEY,
      resendBaseUrl: e.RESEND_BASE_URL,
      from: e.EMAIL_FROM,
      ratePerSecond: e.EMAIL_RATE_PER_SECOND,
      timeoutMs: e.EMAIL_TIMEOUT_MS,
      pollMs: e.OUTBOX_POLL_MS,
      webhookSecret: e.RESEND_WEBHOOK_SECRET,
      letterGapMs: e.LETTER_SEND_GAP_SECONDS * 1000,
    },
    secrets,
    previousEncryptionKeys: (e.ENCRYPTION_KEY_PREVIOUS ?? '').split(',').map((k) => k.trim()).filter(Boolean).map((k) => Buffer.from(k, 'base64')),
    trustProxy: e.TRUST_PROXY,
    ipv6PrefixLength: e.IPV6_PREFIX_LENGTH,
    pendingRetentionDays: e.PENDING_RETENTION_DAYS,
    rateLimits: {
      signPerIp: e.RATE_LIMIT_SIGN_PER_IP,
      signWindowSeconds: e.RATE_LIMIT_SIGN_WINDOW_SECONDS,
      signPerCampaignPerMinute: e.RATE_LIMIT_SIGN_PER_CAMPAIGN_PER_MINUTE,
      requestsPerIpPerMinute: e.RATE_LIMIT_REQUESTS_PER_IP_PER_MINUTE,
      loginPerIp: e.RATE_LIMIT_LOGIN_PER_IP,
      apiPerKeyPerMinute: e.RATE_LIMIT_API_PER_KEY_PER_MINUTE,
    },
    webhooks: { timeoutMs: e.WEBHOOK_TIMEOUT_MS, retryBaseMs: e.WEBHOOK_RETRY_BASE_MS },
    statsCacheMs: e.STATS_CACHE_MS,
    figuresQuickMs: e.FIGURES_QUICK_MS,
    directPaths: e.DIRECT_PATHS === 'true' || e.DIRECT_PATHS === '1',
    shed: { maxInFlight: e.SHED_MAX_IN_FLIGHT, maxLagMs: e.SHED_LAG_MS },
    logLevel: e.LOG_LEVEL,
    fraud: { ipPerHour: e.FRAUD_IP_PER_HOUR, domainPerHour: e.FRAUD_DOMAIN_PER_HOUR },
    logWitnesses: e.LOG_WITNESSES ? e.LOG_WITNESSES.split(',') : [],
    requireSecondFactorForAdmins: e.REQUIRE_SECOND_FACTOR_FOR_ADMINS === 'true' || e.REQUIRE_SECOND_FACTOR_FOR_ADMINS === '1',
  }
}

function readOrCreateSecrets(
  file: string,
  names: readonly SecretName[],
  say: (line: string) => void,
): Partial<Record<SecretName, string>> {
  let stored: Partial<Record<SecretName, string>> = {}
  if (existsSync(file)) {
    try {
      stored = JSON.parse(readFileSync(file, 'utf8'))
    } catch {
      throw new ConfigError(`${file} is not valid JSON; remove it to generate new development secrets.`)
    }
  }
  const created = names.filter((name) => !stored[name])
  if (created.length > 0) {
    for (const name of created) stored[name] = randomBytes(32).toString('base64')
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 })
    chmodSync(file, 0o600)
    say(`Generated development secrets ${created.join(', ')} into ${file} (loopback APP_URL only).`)
  }
  return stored
}
