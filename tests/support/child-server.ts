import { spawn, type ChildProcess } from 'node:child_process'
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { canonicalEmail } from '../../app/utils/email-address'
import { createVault, type Vault } from '../../app/infra/vault.server'
import { freshDatabaseUrl, queryDatabase, type FreshDatabase } from './database'
import { FakeResend } from './fake-resend'
import { freePort } from './ports'

import { testSecrets } from './server'

export { freePort }

/**
 * The production server as its own process (`node build/server.js`), as an operator runs it, on a
 * fixed port and database file so it can be killed and started again; mail goes through the real
 * Resend SDK to a FakeResend in the test process.
 */
export class ChildServer {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'petition-child-'))
  /** The database it runs on (tests/support/database.ts), made at the first start. */
  database: FreshDatabase | null = null
  readonly vault: Vault
  resend!: FakeResend
  port = 0
  child: ChildProcess | null = null
  /** Everything the processes wrote, for the failure message of a test. */
  output = ''
  starts = 0

  /** `secrets` given: a second server that reads the first one's data (a restore). */
  constructor(
    private readonly env: Record<string, string> = {},
    readonly secrets: ReturnType<typeof testSecrets> = testSecrets(),
  ) {
    this.vault = createVault({
      encryptionKey: Buffer.from(secrets.ENCRYPTION_KEY, 'base64'),
      hmacKey: Buffer.from(secrets.HMAC_KEY, 'base64'),
    })
  }

  get url() {
    return `http://127.0.0.1:${this.port}`
  }

  get dbFile(): string {
    if (!this.database) throw new Error('the server has not started yet')
    return this.database.url
  }

  get environment(): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: String(this.port),
      HOST: '127.0.0.1',
      DATABASE_URL: this.dbFile,
      APP_URL: `http://localhost:${this.port}`,
      RESEND_API_KEY: this.resend.apiKey,
      RESEND_BASE_URL: this.resend.url,
      EMAIL_FROM: 'Campaign <campaign@example.org>',
      LOG_LEVEL: 'error',
      STATS_CACHE_MS: '0',
      // The suites run load tests and PDF renders on a 2-core machine shared by parallel test files: stalls
      // there are the machine, not overload. Shedding by event-loop delay is tested on its own (load-shedding.test.ts).
      SHED_LAG_MS: '0',
      ...this.secrets,
      ...this.env,
    }
  }

  /** Runs on the SQLite file app.db in its own folder, kept between starts: made by the test before the first (`from` copied there, if given). */
  onOwnFile(from?: string): string {
    this.database = { url: path.join(this.dir, 'app.db'), drop: async () => {} }
    if (from) copyFileSync(from, this.database.url)
    return this.database.url
  }

  async start(): Promise<this> {
    this.resend ??= await new FakeResend().start()
    this.database ??= await freshDatabaseUrl(this.dir)
    this.port ||= await freePort()
    const child = spawn(process.execPath, ['build/server.js'], { env: this.environment as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    this.child = child
    this.starts++
    await new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer) => {
        this.output += d.toString()
        if (d.toString().includes('Serving')) resolve()
      }
      child.stdout!.on('data', onData)
      child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()))
      child.once('exit', (code: number | null) => reject(new Error(`server exited with ${code} during start-up:\n${this.output}`)))
    })
    return this
  }

  /** Sends a signal and waits for the process to exit; resolves with its exit code (null when killed). */
  async signal(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    child.kill(signal)
    const code = await exited
    this.child = null
    return code
  }

  /** A command of the CLI (build/cli.js) against this server's database. */
  cli(...args: string[]): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['build/cli.js', ...args], { env: this.environment as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] })
      let output = ''
      child.stdout.on('data', (d: Buffer) => (output += d.toString()))
      child.stderr.on('data', (d: Buffer) => (output += d.toString()))
      child.once('exit', (code: number | null) => resolve({ code, output }))
    })
  }

  /** A read-only look at the database, as the tests' witness of what was stored. */
  query<T>(sql: string, ...params: unknown[]): Promise<T[]> {
    return queryDatabase<T>(this.dbFile, sql, ...params)
  }

  emailHash(address: string) {
    return this.vault.emailHash(canonicalEmail(address))
  }

  async cleanup() {
    await this.signal('SIGKILL')
    await this.resend?.stop()
    await this.database?.drop()
    rmSync(this.dir, { recursive: true, force: true })
  }
}
