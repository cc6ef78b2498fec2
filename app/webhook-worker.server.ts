import { wakeableSleep } from './infra/next-turn.server'
import type { Selectable } from 'kysely'
import http from 'node:http'
import https from 'node:https'
import type { AppConfig } from './config.server'
import type { DB, Database } from './db.server'
import { backoffMs, RETRY_FOR_MS } from './email-worker.server'
import { addressLiteral, mayReach, reachableLookup, webhookUrlProblem } from './infra/network.server'
import type { Vault } from './infra/vault.server'
import { webhookHeaders } from './infra/webhook-signature.server'
import { IDENTIFIER_PREFIX, osdiPerson } from './models/partner-api.server'

/**
 * Sends partners' webhooks from webhook_outbox (ADR 133), apart from the email outbox's worker: a
 * partner's slow or dead endpoint never takes a slot a confirmation email needs. Each row is one
 * message with one webhook-id on every attempt; failures are retried with the email outbox's
 * backoff for 72 hours; every attempt is logged (status code or error, never a body).
 */

type Row = Selectable<Database['webhook_outbox']>

export interface WebhookWorker {
  wake(): void
  stop(): Promise<void>
}

interface Options {
  db: DB
  vault: Vault
  config: Pick<AppConfig, 'env' | 'appUrl' | 'webhooks'>
  pollMs: number
  concurrency?: number
  onError?: (message: string) => void
}

/** How long one process may hold a row it is sending: well over a request's timeout. */
const CLAIM_MS = 2 * 60_000
/** What is read of a receiver's answer: its status; the body is drained unread. */
type Attempt = { ok: true; status: number } | { ok: false; status: number | null; error: string }

/** One POST, no redirect followed, within the timeout; only to public addresses (and outside production, loopback ones). */
export function postWebhook(url: string, body: string, headers: Record<string, string>, options: { timeoutMs: number; env: AppConfig['env'] }): Promise<Attempt> {
  return new Promise((resolve) => {
    const target = new URL(url)
    // Node does not look up an address given as a number: it is checked here instead.
    const literal = addressLiteral(target.hostname)
    if (literal && !mayReach(literal, options.env)) return resolve({ ok: false, status: null, error: 'EADDRNOTPUBLIC' })
    const client = target.protocol === 'https:' ? https : http
    const req = client.request(
      target,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'User-Agent': 'petition-platform-webhooks/1', ...headers },
        // A connection of its own each time: no socket kept to a partner's host, and the address check runs on every one.
        agent: false,
        timeout: options.timeoutMs,
        signal: AbortSignal.timeout(options.timeoutMs),
        lookup: reachableLookup(options.env) as never,
      },
      (res) => {
        res.resume()
        const status = res.statusCode ?? 0
        // A redirect is not followed: it is a failure like any other answer outside 2xx.
        res.on('end', () => resolve(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, error: `HTTP ${status}` }))
        res.on('error', () => resolve({ ok: false, status, error: 'response cut short' }))
      },
    )
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ ok: false, status: null, error: error.code === 'ABORT_ERR' ? 'timeout' : (error.code ?? error.message).slice(0, 60) }),
    )
    req.end(body)
  })
}

/**
 * The body of one event: Standard Webhooks' { type, timestamp, data }, with the person, who opted in
 * to this partner. Null for a confirmation whose signer has since withdrawn or stopped the partner's
 * emails: it is not sent at all, since even without the person it would tell when they signed.
 */
export async function webhookBody(db: DB, vault: Vault, base: string, row: Row, slug: string): Promise<string | null> {
  let person: unknown = undefined
  if (row.event === 'signature.confirmed' && row.signature_id) {
    const signer = await db
      .selectFrom('signatures')
      .select(['id', 'confirmed_at', 'updated_at', 'name_enc', 'email_enc', 'show_name', 'country_code', 'locale'])
      .where('id', '=', row.signature_id)
      .where('partner_id', '=', row.partner_id)
      .where('partner_opt_in', '=', 1)
      .where('status', '=', 'verified')
      .executeTakeFirst()
    if (!signer) return null
    person = osdiPerson(vault, base, row.partner_id, signer)
  } else if (row.event === 'signature.confirmed') {
    return null
  } else if (row.event === 'signature.withdrawn' && row.person_id) {
    // Only the id the partner already knows them by, so it can remove them from its own lists.
    person = { identifiers: [`${IDENTIFIER_PREFIX}:${row.person_id}`] }
  }
  return JSON.stringify({
    type: row.event,
    timestamp: new Date(Number(row.occurred_at)).toISOString(),
    data: {
      petition: { identifiers: [`${IDENTIFIER_PREFIX}:${slug}`], _links: { self: { href: `${base}/petitions/${slug}` } } },
      ...(person ? { person } : {}),
    },
  })
}

export function startWebhookWorker(options: Options): WebhookWorker {
  const { db, vault, config } = options
  const concurrency = options.concurrency ?? 4
  const base = `${config.appUrl}/api/osdi/v1`
  let stopped = false
  const { sleep, wake: wakeUp } = wakeableSleep()

  /** Rows due now, each claimed by one conditional update: of several processes one sends it. */
  async function claim(room: number): Promise<Row[]> {
    const now = Date.now()
    const due = await db
      .selectFrom('webhook_outbox')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
      .orderBy('next_attempt_at')
      .limit(room)
      .execute()
    const claimed: Row[] = []
    for (const { id } of due) {
      const row = await db
        .updateTable('webhook_outbox')
        .set({ claimed_until: now + CLAIM_MS })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
        .returningAll()
        .executeTakeFirst()
      if (row) claimed.push(row)
    }
    return claimed
  }

  async function deliver(row: Row) {
    const partner = await db
      .selectFrom('partners')
      .innerJoin('campaigns', 'campaigns.id', 'partners.campaign_id')
      .select(['partners.webhook_url', 'partners.webhook_secret_enc', 'partners.removed_at', 'campaigns.slug'])
      .where('partners.id', '=', row.partner_id)
      .executeTakeFirst()
    const attempt = row.attempts + 1
    let outcome: Attempt
    if (!partner?.webhook_url || !partner.webhook_secret_enc || partner.removed_at !== null) {
      outcome = { ok: false, status: null, error: 'endpoint removed' }
    } else if (webhookUrlProblem(partner.webhook_url, config.env)) {
      outcome = { ok: false, status: null, error: 'address refused' }
    } else {
      const body = await webhookBody(db, vault, base, row, partner.slug)
      if (body === null) outcome = { ok: false, status: null, error: 'consent withdrawn' }
      else {
        const headers = webhookHeaders(vault.decrypt(partner.webhook_secret_enc), `msg_${row.id}`, Math.floor(Date.now() / 1000), body)
        outcome = await postWebhook(partner.webhook_url, body, headers, { timeoutMs: config.webhooks.timeoutMs, env: config.env })
      }
    }
    const after = Date.now()
    const gone = !outcome.ok && (outcome.error === 'endpoint removed' || outcome.error === 'address refused' || outcome.error === 'consent withdrawn')
    const retry = !outcome.ok && !gone && after - Number(row.failing_since ?? after) < RETRY_FOR_MS
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('webhook_attempts')
        .values({ delivery_id: row.id, partner_id: row.partner_id, event: row.event, attempt, at: after, status_code: outcome.status, error: outcome.ok ? null : outcome.error })
        .execute()
      const update = trx.updateTable('webhook_outbox').where('id', '=', row.id).where('status', '=', 'pending')
      if (outcome.ok) {
        await update.set({ status: 'sent', sent_at: after, attempts: attempt, signature_id: null, claimed_until: null }).execute()
      } else if (retry) {
        await update
          .set({ attempts: attempt, failing_since: row.failing_since ?? after, next_attempt_at: after + backoffMs(attempt, config.webhooks.retryBaseMs), claimed_until: null })
          .execute()
      } else {
        await update.set({ status: 'failed', attempts: attempt, failing_since: row.failing_since ?? after, signature_id: null, claimed_until: null }).execute()
      }
    })
    // Never the URL or the body: the partner id and what went wrong.
    if (!outcome.ok && !retry) options.onError?.(`webhook msg_${row.id} to partner ${row.partner_id} failed for good: ${outcome.error}`)
  }

  async function loop() {
    const inflight = new Set<Promise<void>>()
    let failures = 0
    while (!stopped) {
      try {
        const room = concurrency - inflight.size
        const rows = room > 0 ? await claim(room) : []
        for (const row of rows) {
          const job: Promise<void> = deliver(row)
            .catch((error: Error) => options.onError?.(`webhook msg_${row.id}: ${error.message}`))
            .finally(() => inflight.delete(job))
          inflight.add(job)
        }
        failures = 0
        if (rows.length === 0) await (inflight.size > 0 ? Promise.race([...inflight, sleep(options.pollMs)]) : sleep(options.pollMs))
        else if (inflight.size >= concurrency) await Promise.race(inflight)
      } catch (error) {
        if (stopped) break
        options.onError?.(`webhook poll: ${(error as Error).message}`)
        failures++
        await sleep(Math.min(30_000, options.pollMs * 2 ** Math.min(failures, 10)))
      }
    }
    await Promise.allSettled(inflight)
  }

  const running = loop()
  return {
    wake: () => wakeUp(),
    async stop() {
      stopped = true
      wakeUp()
      await running
    },
  }
}
