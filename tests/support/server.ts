import type { ServerBuild } from '@remix-run/node'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { loadConfig, type AppConfig } from '../../app/config.server'
import { vaultFor, type Vault } from '../../app/infra/vault.server'
import { startServer, type RunningServer } from '../../server/app'
import { freshDatabaseUrl } from './database'
import { FakeResend } from './fake-resend'

export interface TestServer extends RunningServer {
  resend: FakeResend
  config: AppConfig
  /** The server's own vault, to seed or read encrypted rows directly. */
  vault: Vault
  dir: string
  stop(): Promise<void>
}

let build: Promise<ServerBuild> | null = null
/** The production build made by `npm run build` (npm test runs it first). */
export function loadBuild(): Promise<ServerBuild> {
  build ??= import(pathToFileURL(path.resolve('build/index.js')).href) as Promise<ServerBuild>
  return build
}

export const testSecrets = () => ({
  ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  HMAC_KEY: randomBytes(32).toString('base64'),
  SESSION_SECRET: randomBytes(32).toString('base64'),
  ED25519_PRIVATE_KEY: randomBytes(32).toString('base64'),
})

/**
 * The real server on an ephemeral port, with a fresh database (a SQLite file, or a PostgreSQL schema
 * under `npm run test:postgres`) and the real Resend SDK talking
 * HTTP to a local fake of Resend's API. `env` overrides any setting.
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'petition-test-'))
  // A DATABASE_URL given shares that database (several processes on one PostgreSQL); the caller drops it.
  const database = env.DATABASE_URL ? { url: env.DATABASE_URL, drop: async () => {} } : await freshDatabaseUrl(dir)
  const resend = await new FakeResend().start()
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      APP_URL: 'http://localhost:3000',
      RESEND_API_KEY: resend.apiKey,
      RESEND_BASE_URL: resend.url,
      EMAIL_FROM: 'Campaign <campaign@example.org>',
      EMAIL_RATE_PER_SECOND: '50',
      OUTBOX_POLL_MS: '50',
      LOG_LEVEL: 'silent',
      STATS_CACHE_MS: '0',
      // The suites run load tests and PDF renders on a 2-core machine shared by parallel test files: stalls
      // there are the machine, not overload. Shedding by event-loop delay is tested on its own (load-shedding.test.ts).
      SHED_LAG_MS: '0',
      // Suites that sign admins in with a password alone run without the requirement; the second
      // factor's own suites turn it on (ADR 094).
      REQUIRE_SECOND_FACTOR_FOR_ADMINS: 'false',
      ...testSecrets(),
      ...env,
    },
    () => {},
  )
  const server = await startServer({ config, build: await loadBuild(), publicDir: path.resolve('public') })
  // Links in emails use APP_URL; tests follow them against the real port.
  return {
    ...server,
    resend,
    dir,
    config,
    vault: vaultFor(config),
    async stop() {
      await server.close()
      await resend.stop()
      await database.drop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Rewrites an APP_URL link from an email onto the test server's own address. */
export function localLink(server: { url: string }, link: string): string {
  const u = new URL(link)
  return `${server.url}${u.pathname}${u.search}`
}

/** Both settings of DIRECT_PATHS, for the suites that must pass alike with the direct path on and off (ADR 117). */
export const DIRECT_PATH_SETTINGS = ['true', 'false'] as const
