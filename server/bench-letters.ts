import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { migrateToLatest, openSqliteDatabase } from '../app/db.server'
import { UN_STATES } from '../app/data/un-states'
import { generateLetter, getLetterCopy, runLetterJob, seedLetters, takeSnapshot } from '../app/models/letter.server'
import { getLetterSettings, saveLetterSettings } from '../app/models/letter-settings.server'
import { createVault } from '../app/infra/vault.server'
import { FIRST_CAMPAIGN_SLUG, seedFirstCampaign } from '../db/seed'

/**
 * `npm run bench:letters -- [SIGNATURES] [--named N]` (defaults 1,000,000 and 100,000): a
 * throw-away database with that many verified signatures spread over the states (1% showing their
 * name), then every letter of the campaign generated as organisers do it; then N more signers, all
 * named, for one country (Iran: Persian and Latin names), and that country's letter on its own.
 * Prints the time of each phase, and the letter's time and peak memory.
 */
export async function benchLetters(args: string[]) {
  const flag = args.indexOf('--named')
  const named = flag >= 0 ? Number(args[flag + 1]) : 100_000
  const positional = args.filter((_, i) => i !== flag && i !== flag + 1)
  const total = Number(positional[0] ?? 1_000_000)
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-letters-'))
  const { db, sqlite } = openSqliteDatabase(path.join(dir, 'bench.db'))
  try {
    await migrateToLatest(db)
    await seedFirstCampaign(db)
    await seedLetters(db, FIRST_CAMPAIGN_SLUG)
    const campaign = await db.selectFrom('campaigns').select(['id', 'slug']).where('slug', '=', FIRST_CAMPAIGN_SLUG).executeTakeFirstOrThrow()
    // Every state gets a letter, as before sending organisations and the no-signer choice existed.
    await saveLetterSettings(db, campaign.id, { senderName: 'Bench Org', senderAddress: '1 Bench Street\nGeneva', senderEmail: 'bench@example.org', signerName: 'A. Bench', signerTitle: 'Director', writeWithoutSigners: true }, null)
    const secrets = { ENCRYPTION_KEY: randomBytes(32), HMAC_KEY: randomBytes(32), SESSION_SECRET: randomBytes(32), ED25519_PRIVATE_KEY: randomBytes(32) }
    const vault = createVault({ encryptionKey: secrets.ENCRYPTION_KEY, hmacKey: secrets.HMAC_KEY })
    const deps = { db, vault, config: { appUrl: 'https://petition.example', secrets } }

    let t = performance.now()
    const insert = sqlite.prepare(
      `INSERT INTO signatures (id, campaign_id, status, email_hash, email_enc, name_enc, country_code, locale, show_name, news_opt_in, emails_in_window, email_window_started_at, created_at, updated_at, confirmed_at)
       VALUES (?, ?, 'verified', ?, 'x', ?, ?, 'en', ?, 0, 1, 0, 0, 0, 0)`,
    )
    // A skewed spread, like a diaspora campaign: a few states hold most signatures.
    const weights = UN_STATES.map((_, i) => 1 / (i + 1) ** 1.1)
    const sum = weights.reduce((a, b) => a + b, 0)
    const cumulative = weights.map(((acc) => (w: number) => (acc += w / sum))(0))
    const codes = [...UN_STATES.map((s) => s.code)].sort(() => Math.random() - 0.5)
    const pick = () => {
      const r = Math.random()
      let lo = 0
      let hi = cumulative.length - 1
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (cumulative[mid] < r) lo = mid + 1
        else hi = mid
      }
      return codes[lo]
    }
    const fill = sqlite.transaction((from: number, n: number) => {
      for (let i = from; i < from + n; i++) {
        const show = i % 100 === 0
        insert.run(randomUUID(), campaign.id, `h${i}`, show ? vault.encrypt(`Signer ${i}`) : 'x', pick(), show ? 1 : 0)
      }
    })
    for (let done = 0; done < total; done += 100_000) fill(done, Math.min(100_000, total - done))
    console.log(`seeded ${total.toLocaleString('en')} verified signatures in ${((performance.now() - t) / 1000).toFixed(1)} s`)

    t = performance.now()
    const snapshot = await takeSnapshot(deps, campaign.id)
    console.log(`snapshot (one pass, leaves and Merkle inputs for ${snapshot.byCountry.size} countries): ${((performance.now() - t) / 1000).toFixed(1)} s`)
    void (await getLetterCopy(db, campaign.id))

    t = performance.now()
    const jobId = randomUUID()
    await db
      .insertInto('letter_jobs')
      .values({ id: jobId, campaign_id: campaign.id, status: 'running', total: UN_STATES.length, done: 0, error: null, created_by: null, started_at: Date.now(), finished_at: null })
      .execute()
    await runLetterJob(deps, jobId, campaign, null)
    const job = await db.selectFrom('letter_jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow()
    const seconds = (performance.now() - t) / 1000
    console.log(`generated ${job.done} letters (HTML text, PDF, certificate) in ${seconds.toFixed(1)} s (${job.status}${job.error ? `: ${job.error}` : ''}), ${((seconds * 1000) / job.done).toFixed(0)} ms a letter`)

    if (named > 0) await benchLargeLetter(deps, sqlite, campaign, named)
  } finally {
    await db.destroy()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** One country with `named` named signers: its letter's time, size and peak memory. */
async function benchLargeLetter(
  deps: Parameters<typeof takeSnapshot>[0],
  sqlite: ReturnType<typeof openSqliteDatabase>['sqlite'],
  campaign: { id: string; slug: string },
  named: number,
) {
  const country = 'IR'
  const insert = sqlite.prepare(
    `INSERT INTO signatures (id, campaign_id, status, email_hash, email_enc, name_enc, country_code, locale, show_name, news_opt_in, emails_in_window, email_window_started_at, created_at, updated_at, confirmed_at)
     VALUES (?, ?, 'verified', ?, 'x', ?, ?, 'fa', 1, 0, 1, 0, 0, 0, 0)`,
  )
  const persian = ['مریم', 'پژمان', 'شیرین', 'رضا', 'نسرین', 'کاوه', 'لیلا', 'بهروز']
  const family = ['رضایی', 'کیانی', 'محمدی', 'حسینی', 'کریمی', 'احمدی', 'جعفری', 'موسوی']
  const fill = sqlite.transaction(() => {
    for (let i = 0; i < named; i++) {
      // Two in three names in Persian, the rest in Latin letters, as the campaign's signers write them.
      const name = i % 3 === 2 ? `Signer ${i} Example` : `${persian[i % 8]} ${family[(i >> 3) % 8]} ${i}`
      insert.run(randomUUID(), campaign.id, `n${i}`, deps.vault.encrypt(name), country)
    }
  })
  fill()
  const snapshot = await takeSnapshot(deps, campaign.id)
  const copy = await getLetterCopy(deps.db, campaign.id)
  const settings = (await getLetterSettings(deps.db, campaign.id))!
  const entry = snapshot.byCountry.get(country)!
  global.gc?.()
  const rssBefore = process.memoryUsage().rss
  const maxRssBefore = process.resourceUsage().maxRSS * 1024
  let peakHeap = 0
  let peakRss = 0
  // Sampled between the parts of the letter (each part is awaited), and the process's peak after.
  const sampler = setInterval(() => {
    const m = process.memoryUsage()
    peakHeap = Math.max(peakHeap, m.heapUsed)
    peakRss = Math.max(peakRss, m.rss)
  }, 20)
  const t = performance.now()
  const letter = await generateLetter(deps, { campaign, country, snapshot, copy, settings, organiserId: null })
  const seconds = (performance.now() - t) / 1000
  clearInterval(sampler)
  const maxRss = process.resourceUsage().maxRSS * 1024
  const row = await deps.db.selectFrom('letter_versions').select('pdf').where('id', '=', letter.id).executeTakeFirstOrThrow()
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`
  console.log(
    `letter for a country of ${entry.leaves.length.toLocaleString('en')} signers, ${entry.names.length.toLocaleString('en')} named: ${seconds.toFixed(1)} s, PDF ${mb(row.pdf.length)}; ` +
      `memory: RSS ${mb(rssBefore)} before, peak sampled ${mb(peakRss)} (heap ${mb(peakHeap)}), process peak ${mb(Math.max(maxRss, maxRssBefore))}${maxRss > maxRssBefore ? '' : ' (set earlier, by seeding or the snapshot)'}`,
  )
}
