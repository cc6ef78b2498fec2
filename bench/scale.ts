// `npm run bench:scale [-- --rows N] [--confirmations N]` (bundled by bench/run.mjs) (defaults 1,000,000 and 100,000): a campaign
// at scale (#10). Seeds N verified signatures of the real shape, spread over 28 days from 20,000
// addresses, plus 100,000 expired unconfirmed ones and 100,000 named signers in one country, into a
// temp SQLite file; runs the production server on it and prints, for what organisers and jobs do on
// such a campaign, the public page's p99 and its longest wait while each runs; the backup's time
// under 200 signs/s; the time to send the confirmations at the provider's default 2 requests a
// second; bytes per signature; and the gzip campaign page at 50 connections. Figures go to
// bench/results-scale.json. Run it on an otherwise quiet machine: it prints the load average.
import autocannon from 'autocannon'
import Sqlite from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import path from 'node:path'
import { checkKeys } from '../app/models/key-check.server'
import { saveLetterSettings } from '../app/models/letter-settings.server'
import { createOrganiser, setPassword } from '../app/models/organiser.server'
import { createVault } from '../app/infra/vault.server'
import { migrateToLatest, openDatabase } from '../db'
import { seedFirstCampaign } from '../db/seed'
import { FakeResend } from '../tests/support/fake-resend'
import { fmt, load, mb, printTable, say, startProcess, watchRss, type Proc, type Result, type Row } from './harness'
import { insertSignatures, markLogBackfillDone, queueConfirmations, recount } from '../tests/support/rows'

const SLUG = 'justice-for-1988'
const DAY = 86_400_000
const arg = (flag: string, fallback: number) => {
  const i = process.argv.indexOf(flag)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}
const ROWS = arg('--rows', 1_000_000)
// `--only rule,letters`: only the named phases (purge, dashboard, figures, moderation, export, rule,
// letters, norway, backup, bytes, gzip, confirmations), to look into one of them; a full run for the figures.
const ONLY = process.argv.includes('--only') ? new Set(process.argv[process.argv.indexOf('--only') + 1].split(',')) : null
const runs = (phase: string) => !ONLY || ONLY.has(phase)
// `--profile DIR`: the server writes a V8 CPU profile there when it stops (open it in Chrome's DevTools).
const PROFILE = process.argv.includes('--profile') ? path.resolve(process.argv[process.argv.indexOf('--profile') + 1]) : null
const CONFIRMATIONS = arg('--confirmations', 100_000)
const EXPIRED = Math.min(100_000, ROWS / 10)
const NAMED = Math.min(100_000, ROWS / 10)
const RULE_ROWS = Math.min(100_000, ROWS / 10)
const PASSWORD = 'bench organiser passphrase'
const rows: Row[] = []
const started = Date.now()

const dir = mkdtempSync(path.join(tmpdir(), 'petition-scale-'))
const file = path.join(dir, 'app.db')
const secrets = {
  ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  HMAC_KEY: randomBytes(32).toString('base64'),
  SESSION_SECRET: randomBytes(32).toString('base64'),
}
const vault = createVault({ encryptionKey: Buffer.from(secrets.ENCRYPTION_KEY, 'base64'), hmacKey: Buffer.from(secrets.HMAC_KEY, 'base64') })
const LOAD_SETTINGS = {
  RATE_LIMIT_SIGN_PER_IP: '100000000',
  RATE_LIMIT_SIGN_PER_CAMPAIGN_PER_MINUTE: '100000000',
  RATE_LIMIT_REQUESTS_PER_IP_PER_MINUTE: '100000000',
  LOG_LEVEL: 'error',
}

const sqliteDo = <T>(work: (s: Sqlite.Database) => T, readonly = false): T => {
  const s = new Sqlite(file, { readonly })
  s.pragma('busy_timeout = 10000')
  try {
    return work(s)
  } finally {
    s.close()
  }
}
const filesSize = () => [file, `${file}-wal`].filter(existsSync).reduce((n, f) => n + statSync(f).size, 0)

async function seed() {
  const { db } = openDatabase(file)
  await migrateToLatest(db)
  // Recorded now: the seeded rows share a pool of sealed addresses, which a check from a sample would refuse.
  await checkKeys(db, vault)
  await seedFirstCampaign(db)
  const campaign = await db.selectFrom('campaigns').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()
  const organiser = await createOrganiser(db, vault, { email: 'scale@example.org', role: 'organiser', name: 'Scale' })
  await setPassword(db, organiser.id, PASSWORD)
  await saveLetterSettings(
    db,
    campaign.id,
    { senderName: 'Bench Org', senderAddress: '1 Bench Street\nGeneva', senderEmail: 'bench@example.org', signerName: 'A. Bench', signerTitle: 'Director', writeWithoutSigners: false },
    null,
  )
  await db.destroy()
  const now = Date.now()
  const t0 = performance.now()
  sqliteDo((s) => {
    // 28 days of signing from 20,000 addresses.
    insertSignatures(s, vault, { campaignId: campaign.id, count: ROWS, status: 'verified', prefix: 'scale', batch: 50_000, addresses: 20_000, signedAt: (i) => now - 28 * DAY + Math.floor((i * 28 * DAY) / ROWS) })
    // Unconfirmed and past the 14 days' retention: what the purge at start removes.
    insertSignatures(s, vault, { campaignId: campaign.id, count: EXPIRED, status: 'pending', prefix: 'expired', batch: 50_000, addresses: 5_000, signedAt: (i) => now - 20 * DAY - i })
    // One state with many signers showing their name on its letter (Norway: not a state marked at risk).
    insertSignatures(s, vault, { campaignId: campaign.id, count: NAMED, status: 'verified', prefix: 'named', batch: 50_000, addresses: 2_000, signedAt: (i) => now - 2 * DAY + i, country: 'NO', showName: true })
    recount(s, campaign.id)
    // The seeded rows' log backfill is marked done: `npm run bench` measures the log's cost per signature.
    markLogBackfillDone(s, now)
    s.pragma('wal_checkpoint(TRUNCATE)')
  })
  const seconds = (performance.now() - t0) / 1000
  const stored = ROWS + EXPIRED + NAMED
  say(`seeded ${fmt(stored)} signatures in ${fmt(seconds, 1)} s; ${mb(filesSize())} on disk`)
  rows.push({ figure: 'bytes per seeded signature (rows of the sign path’s shape, indexes included)', value: `${fmt(filesSize() / stored)} B`, target: '—', pass: null })
  return { campaignId: campaign.id, now }
}

/** autocannon until `stop()`; `done` is its result. */
function runUntilStopped(options: autocannon.Options) {
  let instance: autocannon.Instance
  const done = new Promise<Result>((resolve, reject) => {
    instance = autocannon({ ...options, duration: 3600 }, (error, result) => (error ? reject(error) : resolve(result as Result)))
  })
  return { stop: () => instance.stop(), done }
}

async function signIn(server: Proc) {
  const login = await fetch(`${server.url}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
    body: new URLSearchParams({ email: 'scale@example.org', password: PASSWORD, redirectTo: '/admin' }),
  })
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]
  if (!cookie) throw new Error(`sign-in failed: ${login.status}`)
  return cookie
}

/**
 * The public campaign page read by 10 gzip readers while `action` runs (at least two seconds): its
 * p99 and its longest single wait, which is what a stall of the event loop costs a reader.
 */
async function publicPageDuring(server: Proc, name: string, action: () => Promise<string>) {
  const readers = runUntilStopped({ url: `${server.url}/campaigns/${SLUG}?lang=en`, connections: 10, headers: { 'accept-encoding': 'gzip' } })
  const t0 = performance.now()
  const detail = await action()
  const took = (performance.now() - t0) / 1000
  await new Promise((r) => setTimeout(r, Math.max(0, 2000 - took * 1000)))
  readers.stop()
  const result = await readers.done
  const p99 = result.latency.p99
  const longest = result.latency.max
  say(`${name}: took ${fmt(took, 1)} s (${detail}); public page meanwhile ${fmt(result.requests.average)}/s, p99 ${p99} ms, longest wait ${longest} ms${result.non2xx ? `, ${fmt(result.non2xx)} answers not 2xx (${Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => `${code}: ${fmt(s.count ?? 0)}`).join(', ')})` : ''}`)
  rows.push({
    figure: `public page while ${name}`,
    value: `p99 ${p99} ms, longest ${longest} ms (${fmt(took, 1)} s)`,
    target: 'p99 ≤ 100 ms',
    pass: p99 <= 100 && result.non2xx === 0,
    detail: { took, p99, longest, detail, non2xx: result.non2xx },
  })
}

async function fetchOk(url: string, cookie: string, init: RequestInit = {}) {
  const res = await fetch(url, { redirect: 'manual', ...init, headers: { cookie, origin: new URL(url).origin, ...(init.headers ?? {}) } })
  const body = await res.text()
  if (res.status >= 400) throw new Error(`${init.method ?? 'GET'} ${url} answered ${res.status}: ${body.slice(0, 200)}`)
  return { status: res.status, body }
}

const form = (values: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(values).toString(),
})

async function organiserPhases(server: Proc, cookie: string, seeded: { now: number }) {
  const admin = `${server.url}/admin/campaigns/${SLUG}`
  if (runs('dashboard')) await publicPageDuring(server, 'an organiser opens the dashboard', async () => `${(await fetchOk(admin, cookie)).status}`)
  if (runs('dashboard')) await publicPageDuring(server, 'an organiser opens the dashboard again', async () => `${(await fetchOk(admin, cookie)).status}`)
  if (runs('figures')) await publicPageDuring(server, 'the dashboard’s live figures are read', async () => `${(await fetchOk(`${admin}/figures`, cookie)).status}`)
  if (runs('moderation')) {
    // A first view waits 5 s for the flags, then says they are being computed; later views read the last computation (ADR 141).
    const flags = async () => ((await fetchOk(`${admin}/moderation`, cookie)).body.includes('data-flags="computing"') ? 'being computed' : 'flags shown')
    await publicPageDuring(server, 'an organiser opens moderation (fraud flags)', flags)
    await publicPageDuring(server, 'the fraud flags are computed in the background', async () => {
      for (;;) {
        if ((await flags()) === 'flags shown') return 'flags shown'
        await new Promise((r) => setTimeout(r, 2000))
      }
    })
    await publicPageDuring(server, 'an organiser opens moderation again', flags)
  }
  if (runs('export')) await publicPageDuring(server, 'the signatures export is downloaded', async () => {
    // Counted as it comes: holding and splitting the whole file (500 MB at 5,000,000) would stall this
    // process, whose readers then measure its own pause as the server's.
    const res = await fetch(`${admin}/export.csv`, { headers: { cookie } })
    if (!res.ok || !res.body) throw new Error(`export answered ${res.status}`)
    let lines = 0
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++
    return `${fmt(lines - 1)} rows`
  })
  // A time window holding about RULE_ROWS signatures of the 28 days.
  const to = seeded.now - 14 * DAY
  const from = to - Math.floor((RULE_ROWS * 28 * DAY) / ROWS)
  const minute = (t: number) => new Date(t).toISOString().slice(0, 16)
  const query = `r_from=${minute(from)}&r_to=${minute(to)}`
  let expected = ''
  if (runs('rule')) await publicPageDuring(server, `a rule is previewed over ${fmt(RULE_ROWS)} signatures`, async () => {
    const { body } = await fetchOk(`${admin}/moderation?${query}`, cookie)
    expected = /data-preview-total="?[^>]*>(\d+)</.exec(body)?.[1] ?? ''
    return `matches ${expected}`
  })
  if (runs('rule')) await publicPageDuring(server, `the rule is applied to ${fmt(Number(expected))} signatures`, async () => {
    const res = await fetchOk(`${admin}/moderation?${query}`, cookie, form({ intent: 'apply-rule', r_from: minute(from), r_to: minute(to), expected, reason: 'bench' }))
    return `status ${res.status}`
  })
  if (runs('letters')) await publicPageDuring(server, 'all letters are generated', async () => {
    const stopRss = watchRss(server.child.pid!)
    await fetchOk(`${admin}/letters`, cookie, form({ intent: 'generate-all' }))
    for (;;) {
      const job = sqliteDo((s) => s.prepare('select status, done, total from letter_jobs order by started_at desc limit 1').get() as { status: string; done: number; total: number } | undefined, true)
      if (job && job.status !== 'running') return `${job.done} of ${job.total} letters, ${job.status}, server peak ${mb(stopRss())}`
      await new Promise((r) => setTimeout(r, 500))
    }
  })
  if (runs('norway')) await publicPageDuring(server, `the letter to Norway with ${fmt(NAMED)} named signers is made`, async () => {
    const stopRss = watchRss(server.child.pid!)
    const res = await fetchOk(`${admin}/letters`, cookie, form({ intent: 'generate', country: 'NO' }))
    return `status ${res.status}, server peak ${mb(stopRss())}`
  })
}

async function backupUnderSigning(server: Proc) {
  let n = 0
  const signers = runUntilStopped({
    url: server.url,
    connections: 20,
    overallRate: 200,
    requests: [
      {
        method: 'POST',
        path: `/campaigns/${SLUG}?lang=en`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        setupRequest: (req) => ({ ...req, body: new URLSearchParams({ name: `Backup Signer ${n}`, email: `backup.${n++}@example.org`, country: 'SE' }).toString() }),
      },
    ],
  })
  await new Promise((r) => setTimeout(r, 2000))
  const out = path.join(dir, 'backup.db')
  const t0 = performance.now()
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['build/cli.js', 'backup', out], { env: { ...process.env, ...secrets, DATABASE_URL: file, LOG_LEVEL: 'error' }, stdio: 'inherit' })
    child.once('exit', (c) => resolve(c ?? 1))
  })
  const seconds = (performance.now() - t0) / 1000
  signers.stop()
  const result = await signers.done
  const made = existsSync(out)
  const size = made ? statSync(out).size : 0
  say(`backup under ${fmt(result.requests.average)} signs/s: exit ${code} in ${fmt(seconds, 1)} s, ${mb(size)}${existsSync(`${out}.partial`) ? ', a partial file left' : ''}`)
  rows.push({
    figure: `backup while signing at ~200/s`,
    value: `${fmt(seconds, 1)} s, ${mb(size)}`,
    target: 'completes',
    pass: code === 0 && made,
    detail: { seconds, signsPerSecond: result.requests.average, exit: code },
  })
  return n
}

async function bytesPerSign(server: Proc) {
  const before = sqliteDo((s) => {
    s.pragma('wal_checkpoint(TRUNCATE)')
    return (s.prepare('select count(*) as n from signatures').get() as { n: number }).n
  })
  const sizeBefore = statSync(file).size
  let n = 0
  const COUNT = 5_000
  await load(
    'sign (bytes per signature)',
    {
      url: server.url,
      connections: 20,
      amount: COUNT,
      requests: [
        {
          method: 'POST',
          path: `/campaigns/${SLUG}?lang=en`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          setupRequest: (req) => ({ ...req, body: new URLSearchParams({ name: `Size Signer ${n}`, email: `size.${n++}@example.org`, country: 'DE', showName: 'on' }).toString() }),
        },
      ],
    },
    303,
  )
  await new Promise((r) => setTimeout(r, 3000))
  const after = sqliteDo((s) => {
    s.pragma('wal_checkpoint(TRUNCATE)')
    return (s.prepare('select count(*) as n from signatures').get() as { n: number }).n
  })
  const per = (statSync(file).size - sizeBefore) / Math.max(1, after - before)
  say(`signing ${fmt(after - before)} through the sign path grew the file by ${fmt(per)} B each (signature, tokens, outbox row, log entry)`)
  rows.push({ figure: 'bytes per signature through the sign path (with its tokens and mail)', value: `${fmt(per)} B`, target: '—', pass: null, detail: { signed: after - before } })
}

async function confirmationsAtTwoPerSecond() {
  const limited = await new FakeResend({ ratePerSecond: 2 }).start()
  const outboxFile = path.join(dir, 'outbox.db')
  {
    const { db } = openDatabase(outboxFile)
    await migrateToLatest(db)
    await seedFirstCampaign(db)
    await queueConfirmations(db, vault, CONFIRMATIONS, 'confirm')
    await db.destroy()
  }
  const t0 = performance.now()
  const mailer = await startProcess('build/server.js', {
    ...secrets,
    ...LOAD_SETTINGS,
    RESEND_API_KEY: limited.apiKey,
    RESEND_BASE_URL: limited.url,
    EMAIL_FROM: 'Campaign <campaign@example.org>',
    EMAIL_RATE_PER_SECOND: '2',
    DATABASE_URL: outboxFile,
  })
  say(`queued ${fmt(CONFIRMATIONS)} confirmations; sending at 2 provider requests a second`)
  await limited.waitFor((all) => all.length >= CONFIRMATIONS, (CONFIRMATIONS / 100 / 2) * 3000 + 60_000)
  const seconds = (performance.now() - t0) / 1000
  await mailer.stop()
  const requests = limited.requests.length
  say(`${fmt(CONFIRMATIONS)} confirmations sent in ${fmt(seconds)} s over ${fmt(requests)} provider requests (${limited.rateLimited} × 429)`)
  const projected = (seconds * 100_000) / CONFIRMATIONS
  rows.push({
    figure: `${fmt(CONFIRMATIONS)} confirmations at 2 provider requests/s`,
    value: `${fmt(seconds / 60, 1)} min (${fmt(requests)} requests)${CONFIRMATIONS === 100_000 ? '' : `, 100,000 would take ${fmt(projected / 60, 1)} min`}`,
    target: '100,000 in ≤ 10 min',
    pass: projected <= 600 && limited.rateLimited === 0,
    detail: { seconds, requests, rateLimited: limited.rateLimited },
  })
  await limited.stop()
}

async function main() {
  const machine = { nproc: cpus().length, cpu: cpus()[0]?.model, memory: `${fmt(totalmem() / 1024 ** 3, 1)} GiB`, node: process.version }
  const loadBefore = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
  say(`load average before: ${loadBefore}; ${machine.nproc} cores, ${machine.cpu}, ${machine.memory}, Node ${machine.node}`)
  const seeded = await seed()
  const resend = await new FakeResend().start()
  const env = { ...secrets, ...LOAD_SETTINGS, RESEND_API_KEY: resend.apiKey, RESEND_BASE_URL: resend.url, EMAIL_FROM: 'Campaign <campaign@example.org>', EMAIL_RATE_PER_SECOND: '1000', DATABASE_URL: file }
  const server = await startProcess('build/server.js', env, PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : [])
  try {
    // The purge runs at every start: the expired signatures seeded above go now, while readers read.
    if (runs('purge')) await publicPageDuring(server, `the purge at start removes ${fmt(EXPIRED)} expired signatures`, async () => {
      for (;;) {
        const left = sqliteDo((s) => (s.prepare("select count(*) as n from signatures where status = 'pending'").get() as { n: number }).n, true)
        if (left === 0) return 'all gone'
        await new Promise((r) => setTimeout(r, 100))
      }
    })
    const cookie = await signIn(server)
    await organiserPhases(server, cookie, seeded)
    if (runs('backup')) await backupUnderSigning(server)
    if (runs('bytes')) await bytesPerSign(server)
    if (runs('gzip')) {
      const gzip = await load(
        'campaign page (gzip), 50 connections',
        { url: `${server.url}/campaigns/${SLUG}?lang=en`, connections: 50, duration: 10, headers: { 'accept-encoding': 'gzip' } },
        200,
        server.child.pid,
      )
      rows.push({ figure: 'campaign page, gzip, 50 connections', value: `${fmt(gzip.rps)}/s, p99 ${gzip.p99} ms`, target: '≥ 3,000/s', pass: gzip.rps >= 3000, detail: { cpuMs: gzip.cpuMs } })
    }
  } finally {
    await server.stop()
    await resend.stop()
  }
  if (runs('confirmations')) await confirmationsAtTwoPerSecond()

  printTable(rows)
  const loadAfter = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
  const seconds = (Date.now() - started) / 1000
  console.log(`\n${new Date().toISOString()}, ${fmt(ROWS)} rows, whole run ${fmt(seconds)} s; load average before ${loadBefore}, after ${loadAfter}`)
  // A partial run (--only) is for looking into a phase: it does not replace the figures.
  if (!ONLY) writeFileSync('bench/results-scale.json', JSON.stringify({ date: new Date().toISOString(), machine, rows: ROWS, confirmations: CONFIRMATIONS, loadAverage: { before: loadBefore, after: loadAfter }, seconds, figures: rows }, null, 2) + '\n')
  rmSync(dir, { recursive: true, force: true })
  if (rows.some((r) => r.pass === false)) process.exitCode = 1
}

main().catch((error: Error) => {
  console.error(error)
  rmSync(dir, { recursive: true, force: true })
  process.exit(1)
})
