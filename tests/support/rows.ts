import type Sqlite from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import type { DB } from '../../app/db.server'
import { enqueueEmail } from '../../app/email.server'
import { randomUUID } from 'node:crypto'
import { UN_STATES } from '../../app/data/un-states'
import { hashToken, newToken, type Vault } from '../../app/infra/vault.server'

const COUNTRY_CODES = [...UN_STATES.map((s) => s.code), 'ZZ']
const FIRST = ['Maryam', 'Reza', 'Sara', 'Ali', 'Leila', 'Omid', 'Nasrin', 'Dariush', 'Anna', 'José', 'Wei', 'Fatima']
const LAST = ['Ahmadi', 'Karimi', 'Hosseini', 'Rahimi', 'Smith', 'García', 'Müller', 'Chen', 'Nguyen', 'Okafor']

/**
 * Writes signatures straight into SQLite, the way the app would have stored them (names and emails
 * sealed by the real vault), so big tables are quick to make. Returns the confirm tokens, in clear,
 * when asked for pending rows.
 */
export function insertSignatures(
  sqlite: Sqlite.Database,
  vault: Vault,
  opts: {
    campaignId: string
    count: number
    status: 'pending' | 'verified'
    prefix: string
    batch?: number
    /** When row i was signed (default: now); a spread over weeks is what fraud flags and rules work on. */
    signedAt?: (i: number) => number
    /** How many client addresses the rows come from (default 1: the bench's own). */
    addresses?: number
    /** Every row in this country (default: spread over the states). */
    country?: string
    /** Every row showing its name (default: one in three). */
    showName?: boolean
  },
): string[] {
  const now = Date.now()
  const signedAt = opts.signedAt ?? (() => now)
  const insert = sqlite.prepare(
    `insert into signatures (id, campaign_id, status, email_hash, email_enc, name_enc, country_code, locale, show_name,
       news_opt_in, ip_hash, referrer, utm_source, utm_medium, utm_campaign, emails_in_window, email_window_started_at,
       created_at, updated_at, confirmed_at, email_domain_hash)
     values (?, ?, ?, ?, ?, ?, ?, 'en', ?, 0, ?, null, null, null, null, 1, ?, ?, ?, ?, ?)`,
  )
  const token = sqlite.prepare(
    `insert into tokens (token_hash, signature_id, purpose, created_at, expires_at, used_at) values (?, ?, 'confirm', ?, ?, null)`,
  )
  const tokens: string[] = []
  const batch = opts.batch ?? 20_000
  const addresses = Math.max(1, opts.addresses ?? 1)
  const ipHashes = Array.from({ length: Math.min(addresses, 50_000) }, (_, i) => vault.ipHash(addresses === 1 ? '127.0.0.1' : `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`))
  // As signing stores it, so a server started on these rows has no domain hashes to backfill.
  const domainHash = vault.domainHash('example.org')
  // Sealing is the slow part: rows draw on a pool of sealed names and addresses (real ciphertexts
  // of real sizes); each row still gets its own email hash, which is what must be unique.
  const POOL = 2_000
  const sealedNames = Array.from({ length: Math.min(POOL, opts.count) }, (_, i) => vault.encrypt(`${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`))
  const sealedEmails = Array.from({ length: Math.min(POOL, opts.count) }, (_, i) => vault.encrypt(`${opts.prefix}${i}@example.org`))
  const write = sqlite.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = randomUUID()
      const email = `${opts.prefix}${i}@example.org`
      const country = opts.country ?? COUNTRY_CODES[(i * 31) % COUNTRY_CODES.length]
      const verified = opts.status === 'verified'
      const at = signedAt(i)
      insert.run(id, opts.campaignId, opts.status, vault.emailHash(email), sealedEmails[i % sealedEmails.length], sealedNames[i % sealedNames.length], country,
        opts.showName || i % 3 === 0 ? 1 : 0, ipHashes[(i * 7919) % ipHashes.length], at, at, at, verified ? (opts.signedAt ? at + 60_000 : now - (opts.count - i)) : null, domainHash)
      if (!verified) {
        const t = newToken()
        token.run(hashToken(t), id, at, at + 7 * 24 * 3600_000)
        tokens.push(t)
      }
    }
  })
  for (let from = 0; from < opts.count; from += batch) write(from, Math.min(opts.count, from + batch))
  return tokens
}

/** Sets the counter rows from the signatures, as a reconcile would. */
export function recount(sqlite: Sqlite.Database, campaignId: string) {
  sqlite.transaction(() => {
    sqlite.prepare('delete from country_counts where campaign_id = ?').run(campaignId)
    sqlite
      .prepare(
        `insert into country_counts (campaign_id, country_code, verified_count)
         select campaign_id, country_code, count(*) from signatures where campaign_id = ? and status = 'verified' group by country_code`,
      )
      .run(campaignId)
    const total = sqlite.prepare(`select count(*) as n from signatures where campaign_id = ? and status = 'verified'`).get(campaignId) as { n: number }
    sqlite
      .prepare(
        `insert into campaign_counts (campaign_id, verified_count, withdrawn_count, invalidated_count, updated_at) values (?, ?, 0, 0, ?)
         on conflict (campaign_id) do update set verified_count = excluded.verified_count`,
      )
      .run(campaignId, total.n, Date.now())
  })()
}

/** Queues `count` confirmation emails as signing would (one in four in Persian), `chunk` to a transaction. */
export async function queueConfirmations(db: DB, vault: Vault, count: number, prefix: string, chunk = 5_000) {
  for (let from = 0; from < count; from += chunk) {
    await db.transaction().execute(async (trx) => {
      for (let i = from; i < Math.min(count, from + chunk); i++) {
        const locale = i % 4 === 0 ? 'fa' : 'en'
        await enqueueEmail(trx, vault, {
          template: 'confirm-signature',
          locale,
          to: `${prefix}.${i}@example.org`,
          props: {
            locale,
            name: `Signer ${i}`,
            campaignTitle: 'Truth and justice for the victims of Iran’s 1988 prison massacres',
            countryName: 'Sweden',
            confirmUrl: `http://localhost/s/confirm/${randomBytes(32).toString('base64url')}?lang=en`,
            withdrawUrl: `http://localhost/s/withdraw/${randomBytes(32).toString('base64url')}?lang=en`,
            unsubscribeUrl: null,
            retentionDays: 14,
          },
        })
      }
    })
  }
}

/**
 * Marks the transparency log's backfill of signatures done. Rows written straight into the tables
 * have no leaves in the log: a campaign that grew through the sign path logged each as it was
 * confirmed, and logging a million at once is the one-off backfill of ADR 093, not what a bench or a
 * drill at this size is about.
 */
export function markLogBackfillDone(sqlite: Sqlite.Database, now = Date.now()) {
  sqlite
    .prepare("insert into log_backfill (name, after_confirmed_at, after_id, queued, started_at, updated_at, finished_at) values ('signatures', ?, '', 0, ?, ?, ?)")
    .run(now, now, now, now)
}
