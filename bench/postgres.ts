// The PostgreSQL section of `npm run bench` (ADR 065): sign and confirm through the production server
// on one and on two processes sharing one PostgreSQL database, each against a bare node:http + pg
// server writing the same rows. Also runs alone: `npm run bench:postgres`.
import type autocannon from 'autocannon'
import { randomBytes, randomUUID } from 'node:crypto'
import pg from 'pg'
import { UN_STATES } from '../app/data/un-states'
import { createVault, hashToken, newToken, type Vault } from '../app/infra/vault.server'
import { migrateToLatest, openDatabase, type DB } from '../db'
import { seedFirstCampaign } from '../db/seed'
import { fmt, load, say, startProcess, type Proc, type Row } from './harness'

const SLUG = 'justice-for-1988'
const COUNTRIES = [...UN_STATES.map((s) => s.code), 'ZZ']

export interface PostgresBenchOptions {
  secrets: Record<string, string>
  mail: Record<string, string>
  loadSettings: Record<string, string>
  signSeconds: number
  readSeconds: number
}

async function adminQuery(url: string, text: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

/** Pending signatures with known confirm tokens, stored as the app stores them. */
async function pendingSignatures(db: DB, vault: Vault, count: number, prefix: string): Promise<string[]> {
  const { id: campaignId } = await db.selectFrom('campaigns').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()
  const now = Date.now()
  const sealedName = vault.encrypt('Bench Signer')
  const tokens: string[] = []
  for (let from = 0; from < count; from += 1000) {
    const signatures = []
    const rows = []
    for (let i = from; i < Math.min(count, from + 1000); i++) {
      const id = randomUUID()
      const email = `${prefix}.${i}@example.org`
      signatures.push({
        id, campaign_id: campaignId, status: 'pending' as const, email_hash: vault.emailHash(email), email_enc: vault.encrypt(email), name_enc: sealedName,
        country_code: COUNTRIES[(i * 31) % COUNTRIES.length], locale: 'en', show_name: 0, news_opt_in: 0, ip_hash: null, referrer: null,
        utm_source: null, utm_medium: null, utm_campaign: null, emails_in_window: 1, email_window_started_at: now, created_at: now, updated_at: now, confirmed_at: null,
      })
      const token = newToken()
      tokens.push(token)
      rows.push({ token_hash: hashToken(token), signature_id: id, purpose: 'confirm' as const, created_at: now, expires_at: now + 7 * 86_400_000, used_at: null })
    }
    await db.insertInto('signatures').values(signatures).execute()
    await db.insertInto('tokens').values(rows).execute()
  }
  return tokens
}

function signRequest(prefix: string): autocannon.Request {
  let n = 0
  return {
    method: 'POST',
    path: `/campaigns/${SLUG}?lang=en`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    setupRequest: (req) => {
      const i = n++
      const body = new URLSearchParams({ name: `Bench Signer ${i}`, email: `${prefix}.${i}@example.org`, country: COUNTRIES[i % COUNTRIES.length], showName: 'on' })
      return { ...req, body: body.toString() }
    },
  }
}

function confirmRequest(tokens: string[]): autocannon.Request {
  let next = 0
  return { method: 'GET', setupRequest: (req) => ({ ...req, path: `/s/confirm/${tokens[next++ % tokens.length]}?lang=en` }) }
}

/** Runs one load on each process at once, `connections` split between them; rates add up. */
async function loadAll(name: string, procs: Proc[], connections: number, seconds: number, requests: (i: number) => autocannon.Request, expect: number) {
  const results = await Promise.all(
    procs.map((p, i) => load(`${name} (process ${i + 1} of ${procs.length})`, { url: p.url, connections: connections / procs.length, duration: seconds, requests: [requests(i)] }, expect, p.child.pid)),
  )
  return { rps: results.reduce((a, r) => a + r.rps, 0), p99: Math.max(...results.map((r) => r.p99)), bad: results.flatMap((r) => Object.keys(r.bad)) }
}

export async function postgresSection(o: PostgresBenchOptions): Promise<Row[]> {
  const admin = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  try {
    await adminQuery(admin, 'select 1')
  } catch (error) {
    say(`PostgreSQL section skipped: no server at ${admin} (${(error as Error).message})`)
    return [{ figure: 'PostgreSQL section', value: `skipped: no server at ${new URL(admin).host}`, target: '—', pass: null }]
  }
  const vault = createVault({ encryptionKey: Buffer.from(o.secrets.ENCRYPTION_KEY, 'base64'), hmacKey: Buffer.from(o.secrets.HMAC_KEY, 'base64') })
  const tag = `petitions_bench_${Date.now()}_${randomBytes(3).toString('hex')}`
  const names = { app: `${tag}_app`, bare: `${tag}_bare` }
  const urlOf = (name: string) => Object.assign(new URL(admin), { pathname: `/${name}` }).toString()
  const confirmsPerSet = Math.ceil(o.readSeconds * 3_000)
  const rows: Row[] = []
  const procs: Proc[] = []
  try {
    const tokens: Record<'one' | 'two' | 'bare', string[]> = { one: [], two: [], bare: [] }
    for (const [key, name] of Object.entries(names) as ['app' | 'bare', string][]) {
      await adminQuery(admin, `create database ${name}`)
      const { db } = openDatabase(urlOf(name), { poolSize: 4 })
      await migrateToLatest(db)
      await seedFirstCampaign(db)
      if (key === 'app') {
        tokens.one = await pendingSignatures(db, vault, confirmsPerSet, 'confirm-one')
        tokens.two = await pendingSignatures(db, vault, confirmsPerSet, 'confirm-two')
      } else tokens.bare = await pendingSignatures(db, vault, confirmsPerSet, 'confirm-bare')
      await db.destroy()
    }
    say(`PostgreSQL: databases ${names.app} and ${names.bare}, ${fmt(confirmsPerSet)} pending signatures for each confirmation run`)
    const env = { ...o.secrets, ...o.mail, ...o.loadSettings, DATABASE_URL: urlOf(names.app), NODE_ENV: 'production' }

    const one = await startProcess('build/server.js', env)
    procs.push(one)
    await loadAll('pg sign warm-up', [one], 50, 2, () => signRequest('pg-warm'), 303)
    const sign1 = await loadAll('pg sign, 1 process', [one], 50, o.signSeconds, () => signRequest('pg-one'), 303)
    const confirm1 = await loadAll('pg confirm, 1 process', [one], 50, o.readSeconds, () => confirmRequest(tokens.one), 303)
    const two = await startProcess('build/server.js', env)
    procs.push(two)
    const sign2 = await loadAll('pg sign, 2 processes', [one, two], 50, o.signSeconds, (i) => signRequest(`pg-two-${i}`), 303)
    const half = Math.ceil(tokens.two.length / 2)
    const confirm2 = await loadAll('pg confirm, 2 processes', [one, two], 50, o.readSeconds, (i) => confirmRequest(tokens.two.slice(i * half, (i + 1) * half)), 303)
    for (const p of procs.splice(0)) await p.stop()

    const bare = await startProcess('build/bench/bare-server-pg.js', { ...o.secrets, DATABASE_URL: urlOf(names.bare) })
    procs.push(bare)
    await loadAll('bare pg sign warm-up', [bare], 50, 2, () => signRequest('bare-pg-warm'), 303)
    const bareSign = await loadAll('bare pg sign', [bare], 50, o.signSeconds, () => signRequest('bare-pg'), 303)
    const bareConfirm = await loadAll('bare pg confirm', [bare], 50, o.readSeconds, () => confirmRequest(tokens.bare), 303)
    for (const p of procs.splice(0)) await p.stop()

    const row = (figure: string, run: { rps: number; p99: number; bad: string[] }, floor: { rps: number }) => {
      const ratio = run.rps / floor.rps
      rows.push({
        figure: `PostgreSQL ${figure} ÷ bare node:http + pg`,
        value: `${fmt(ratio, 2)} (${fmt(run.rps)}/s, p99 ${run.p99} ms; bare ${fmt(floor.rps)}/s)`,
        target: '≥ 0.5',
        pass: ratio >= 0.5 && run.bad.length === 0,
        detail: { rps: run.rps, p99: run.p99, bareRps: floor.rps, other: run.bad },
      })
    }
    row('sign, 1 process', sign1, bareSign)
    row('sign, 2 processes', sign2, bareSign)
    row('confirm, 1 process', confirm1, bareConfirm)
    row('confirm, 2 processes', confirm2, bareConfirm)
    return rows
  } finally {
    for (const p of procs) await p.stop()
    for (const name of Object.values(names)) await adminQuery(admin, `drop database if exists ${name} with (force)`).catch(() => {})
  }
}
