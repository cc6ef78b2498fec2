import { wakeableSleep } from './infra/next-turn.server'
import { LETTER_TEMPLATES } from '../emails'
import { sql, type ExpressionBuilder } from 'kysely'
import { Resend } from 'resend'
import type { AppConfig } from './config.server'
import { engineOf, type Database, type DB, type OutboxRow } from './db.server'
import { createPacer, monotonic } from './email-pacing.server'
import { renderTemplate } from './email-render.server'
import { LANE_TRANSACTIONAL, type OutboxPayload } from './email.server'
import { settleLetterDelivery } from './models/delivery.server'
import { newsContent } from './models/news.server'
import { openPdf, type Vault } from './infra/vault.server'
import { timeOrderedId } from './infra/random.server'

export interface RenderedEmail {
  to: string
  subject: string
  html: string
  text: string
  headers?: Record<string, string>
  attachments?: { filename: string; content: Buffer }[]
}

export type SendOutcome =
  | { ok: true; providerId: string | null }
  | { ok: false; retryable: boolean; retryAfterMs?: number; error: string }

/**
 * The provider refuses a key it has seen with a different body: it accepted that request earlier
 * (before a crash, say, and the news text or a batch member changed since), so the messages went.
 */
const ALREADY_ACCEPTED = 'invalid_idempotent_request'

export type BatchOutcome = { ok: true; providerIds: (string | null)[] } | Extract<SendOutcome, { ok: false }>

export interface EmailSender {
  send(message: RenderedEmail, idempotencyKey: string, outboxId: string): Promise<SendOutcome>
  /** Up to 100 messages in one provider call, all accepted or none; without it, messages go one by one. */
  sendBatch?(messages: RenderedEmail[], idempotencyKey: string, outboxIds: string[]): Promise<BatchOutcome>
}

/** Resend's batch endpoint takes at most this many messages a call. */
export const MAX_BATCH = 100

/** A message the provider keeps failing is retried this long before organisers are told (ADR 096). */
export const RETRY_FOR_MS = 72 * 60 * 60_000
const MAX_BACKOFF_MS = 60 * 60_000
/** The batch endpoint takes no attachments: these templates go one by one. */
const SINGLE_ONLY = LETTER_TEMPLATES

/** The wait before attempt `attempts + 1`: doubling from `baseMs`, at most an hour (partners' webhooks use it too, ADR 133). */
export function backoffMs(attempts: number, baseMs = 2_000): number {
  return Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempts - 1))
}

export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** Sends through the Resend SDK (which honours RESEND_BASE_URL), one idempotency key per message. */
export function resendSender(config: AppConfig['email']): EmailSender {
  const resend = new Resend(config.resendApiKey, config.resendBaseUrl ? { baseUrl: config.resendBaseUrl } : undefined)
  return {
    async send(message, idempotencyKey) {
      const { data, error, headers } = await resend.emails.send(
        {
          from: config.from,
          to: message.to.split(',').map((a) => a.trim()).filter(Boolean),
          subject: message.subject,
          html: message.html,
          text: message.text,
          headers: message.headers,
          attachments: message.attachments,
        },
        { idempotencyKey, signal: AbortSignal.timeout(config.timeoutMs) } as { idempotencyKey: string },
      )
      if (!error) return { ok: true, providerId: data?.id ?? null }
      if (error.name === ALREADY_ACCEPTED) return { ok: true, providerId: null }
      return failure(error, headers)
    },
    async sendBatch(messages, idempotencyKey) {
      const { data, error, headers } = await resend.batch.send(
        messages.map((m) => ({ from: config.from, to: [m.to], subject: m.subject, html: m.html, text: m.text, headers: m.headers })),
        { idempotencyKey, signal: AbortSignal.timeout(config.timeoutMs) } as { idempotencyKey: string },
      )
      if (!error) return { ok: true, providerIds: messages.map((_, i) => data?.data?.[i]?.id ?? null) }
      if (error.name === ALREADY_ACCEPTED) return { ok: true, providerIds: messages.map(() => null) }
      return failure(error, headers)
    },
  }
}

function failure(error: { name: string }, headers: Record<string, string> | null | undefined): Extract<SendOutcome, { ok: false }> {
  const status = (error as { statusCode?: number | null }).statusCode ?? null
  const description = `${status ?? 'network'} ${error.name}`
  if (status === 429) {
    return { ok: false, retryable: true, retryAfterMs: parseRetryAfter(headers?.['retry-after']) ?? 1000, error: description }
  }
  const retryable = status === null || status >= 500 || (status === 409 && error.name === 'concurrent_idempotent_requests')
  return { ok: false, retryable, error: description }
}

/** Without a Resend key (loopback only), mail lands in a table readable at /dev/mailbox. */
export function devMailboxSender(db: DB): EmailSender {
  return {
    async send(message, _key, outboxId) {
      await db
        .insertInto('dev_mailbox')
        .values({ outbox_id: outboxId, to_address: message.to, subject: message.subject, html: message.html, text: message.text, created_at: Date.now() })
        .onConflict((oc) => oc.column('outbox_id').doNothing())
        .execute()
      return { ok: true, providerId: null }
    },
    async sendBatch(messages, key, outboxIds) {
      for (let i = 0; i < messages.length; i++) await this.send(messages[i], key, outboxIds[i])
      return { ok: true, providerIds: messages.map(() => null) }
    },
  }
}

/** Loads the documents an outbox payload refers to; a missing one fails the message for good. */
async function loadAttachments(db: DB, vault: Vault, payload: OutboxPayload): Promise<RenderedEmail['attachments']> {
  if (!payload.attachments?.length) return undefined
  return Promise.all(
    payload.attachments.map(async (a) => {
      const row = await db.selectFrom('letter_versions').select('pdf').where('id', '=', a.letterVersionId).executeTakeFirst()
      if (!row) throw new Error(`attachment ${a.letterVersionId} is gone`)
      return { filename: a.filename, content: openPdf(vault, row.pdf) }
    }),
  )
}

/** How long a process may hold a row it is sending: well over a provider call's timeout. */
const CLAIM_MS = 2 * 60_000

/** Renders a queued message: from its template compiled once per language (email-render.server.ts). */
export async function renderEmail(template: string, payload: OutboxPayload): Promise<RenderedEmail> {
  const { subject, html, text } = await renderTemplate(template, payload.props)
  return { to: payload.to, subject, html, text, headers: payload.headers }
}

/**
 * What the worker decided, as it decides it, on the monotonic clock: the slot each request was given
 * (and which rows it carries), and each pause a 429 asked for. Tests read these rather than the wall
 * clock of a loaded machine; nothing listens in production.
 */
export type WorkerDecision = { kind: 'send'; at: number; reserved: number; rows: string[] } | { kind: 'pause'; ms: number; until: number }

export interface OutboxWorker {
  wake(): void
  stop(): Promise<void>
  /** Calls `listener` with every decision from now on; returns the function that stops it. */
  observe(listener: (decision: WorkerDecision) => void): () => void
}

interface WorkerOptions {
  db: DB
  vault: Vault
  sender: EmailSender
  ratePerSecond: number
  pollMs: number
  concurrency?: number
  onError?: (message: string) => void
}

type Due = ExpressionBuilder<Database, 'outbox'>

/**
 * Rows that may be sent now. Stored times are wall-clock (several processes share them), so a clock
 * stepped back must not strand rows (ADR 097): a claim further ahead than any claim is made is
 * stale, and a short delay written "in the future" of the present clock has already been waited out.
 */
export function dueNow(eb: Due, now: number) {
  return eb.and([
    eb('status', '=', 'pending'),
    eb.or([
      eb('next_attempt_at', '<=', now),
      eb.and([eb('scheduled_at', '>', now), eb(sql<number>`next_attempt_at - scheduled_at`, '<=', MAX_BACKOFF_MS)]),
    ]),
    eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now), eb('claimed_until', '>', now + CLAIM_MS)]),
  ])
}

/**
 * Sends the outbox at most `ratePerSecond` requests a second, a few in flight at once, transactional
 * mail always first (ADR 096): each slot goes to the oldest due confirmation, link or letter, and only
 * when none is due to news. Transactional messages go up to 100 a request through the batch endpoint;
 * a batch's rows and its idempotency key are fixed when it is first claimed and kept through crashes
 * and retries, and its outcome is recorded in one transaction, so a resend after a crash is one the
 * provider recognises and drops. A 429 pauses every send for as long as it asks.
 */
export function startOutboxWorker(options: WorkerOptions): OutboxWorker {
  const { db, vault, sender, pollMs } = options
  // Sends wait on the network more than on us: at higher provider rates more are kept in flight, so
  // the rate, not the round trip, is the limit (the pacing below still spaces their starts).
  const concurrency = options.concurrency ?? Math.min(16, Math.max(4, Math.ceil(options.ratePerSecond / 10)))
  const pacer = createPacer(db, options.ratePerSecond)
  const postgres = engineOf(db) === 'postgres'
  const inflight = new Set<Promise<void>>()
  let stopped = false
  const listeners = new Set<(decision: WorkerDecision) => void>()
  const tell = (decision: WorkerDecision) => listeners.forEach((listener) => listener(decision))

  const { sleep, wake: wakeUp } = wakeableSleep()

  /** Waits for the next send slot on the monotonic clock; returns the slot's time. */
  async function takeSlot(): Promise<{ at: number; reserved: number }> {
    for (;;) {
      const slot = await pacer.slot()
      const { at } = slot
      while (!stopped && monotonic() < at) await new Promise((r) => setTimeout(r, Math.ceil(at - monotonic())))
      // A 429 that came in while this slot waited holds it too.
      if (stopped || pacer.pausedUntil() <= at) return slot
    }
  }

  type NewsCache = Map<string, Promise<{ subject: string; bodyHtml: string } | null>>

  /** Renders a row, or marks it failed for good and answers null. */
  async function prepare(row: OutboxRow, news: NewsCache) {
    try {
      if (!row.payload_enc) throw new Error('empty payload')
      const payload = JSON.parse(vault.decrypt(row.payload_enc)) as OutboxPayload
      if (row.news_update_id) {
        // News content lives with the update, not in every row: read once per language and batch.
        const key = `${row.news_update_id}/${row.locale}`
        if (!news.has(key)) news.set(key, newsContent(db, row.news_update_id, row.locale))
        const content = await news.get(key)!
        if (!content) throw new Error('update has no content')
        payload.props = { ...(payload.props as object), subject: content.subject, bodyHtml: content.bodyHtml }
      }
      const rendered = await renderEmail(row.template, payload)
      rendered.attachments = await loadAttachments(db, vault, payload)
      return rendered
    } catch (error) {
      // The same row fails the same way on every attempt, so a batch without it stays the same batch.
      await db
        .updateTable('outbox')
        .set({ status: 'failed', payload_enc: null, last_error: `render: ${(error as Error).message}`.slice(0, 200) })
        .where('id', '=', row.id)
        .where('status', '=', 'pending')
        .execute()
      options.onError?.(`outbox ${row.id} cannot be rendered`)
      return null
    }
  }

  /** Sends one claimed unit: a batch under its key, or one message under its own. */
  async function deliver(rows: OutboxRow[]) {
    const news: NewsCache = new Map()
    const ready: { row: OutboxRow; rendered: RenderedEmail }[] = []
    for (const row of rows) {
      const rendered = await prepare(row, news)
      if (rendered) ready.push({ row, rendered })
    }
    if (ready.length === 0) return
    const batchKey = rows[0].batch_key
    if (!batchKey || !sender.sendBatch) {
      for (const { row, rendered } of ready) {
        let outcome: SendOutcome
        try {
          outcome = await sender.send(rendered, `outbox/${row.id}`, row.id)
        } catch (error) {
          outcome = { ok: false, retryable: true, error: (error as Error).name }
        }
        await settle([row], outcome.ok ? { ok: true, providerIds: [outcome.providerId] } : outcome)
      }
      return
    }
    let outcome: BatchOutcome
    try {
      outcome = await sender.sendBatch(
        ready.map((r) => r.rendered),
        `outbox-batch/${batchKey}`,
        ready.map((r) => r.row.id),
      )
    } catch (error) {
      outcome = { ok: false, retryable: true, error: (error as Error).name }
    }
    await settle(
      ready.map((r) => r.row),
      outcome,
    )
  }

  /** Records what the provider said about one request's rows, all in one transaction. */
  async function settle(rows: OutboxRow[], outcome: BatchOutcome) {
    const after = Date.now()
    if (!outcome.ok && outcome.retryAfterMs !== undefined) {
      await pacer.pause(outcome.retryAfterMs)
      tell({ kind: 'pause', ms: outcome.retryAfterMs, until: pacer.pausedUntil() })
    }
    const gaveUp: OutboxRow[] = []
    await db.transaction().execute(async (trx) => {
      const update = (row: OutboxRow, values: Partial<Omit<OutboxRow, 'id'>>) =>
        trx.updateTable('outbox').set(values).where('id', '=', row.id).where('status', '=', 'pending').execute()
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]
        const retryAt = (ms: number) => ({ next_attempt_at: after + ms, scheduled_at: after, claimed_until: null })
        if (outcome.ok) {
          await update(row, { status: 'sent', payload_enc: null, sent_at: after, provider_id: outcome.providerIds[i] ?? null, attempts: row.attempts + 1, last_error: null, claimed_until: null })
          if (LETTER_TEMPLATES.includes(row.template)) await settleLetterDelivery(trx, row.id, 'sent', after)
        } else if (outcome.retryAfterMs !== undefined) {
          // Rate-limited: nothing was sent, and it does not count as a failure.
          await update(row, { ...retryAt(Math.min(outcome.retryAfterMs, MAX_BACKOFF_MS)), last_error: outcome.error })
        } else if (!outcome.retryable && rows.length > 1) {
          // The provider refused the whole batch for one message in it (strict validation): nothing
          // was sent, so each goes again alone under a key of its own, and only the bad one fails.
          await update(row, { ...retryAt(0), batch_key: `${row.batch_key}/${row.id}`, last_error: outcome.error })
        } else if (outcome.retryable && after - (row.failing_since ?? after) < RETRY_FOR_MS) {
          await update(row, { ...retryAt(backoffMs(row.attempts + 1)), attempts: row.attempts + 1, failing_since: row.failing_since ?? after, last_error: outcome.error })
        } else {
          // Failed for good: the payload stays (encrypted) so organisers can send the link again
          // from the dashboard, which shows these (ADR 096); the hourly purge removes it after 30 days.
          await update(row, { status: 'failed', attempts: row.attempts + 1, failing_since: row.failing_since ?? after, last_error: outcome.error, claimed_until: null })
          if (LETTER_TEMPLATES.includes(row.template)) await settleLetterDelivery(trx, row.id, 'failed', after)
          gaveUp.push(row)
        }
      }
    })
    for (const row of gaveUp) options.onError?.(`outbox ${row.id} failed for good: ${outcome.ok ? '' : outcome.error}`)
  }

  /**
   * Claims the next unit to send for this process until the claim runs out: with several processes
   * on one database each row is sent by one of them; a process that dies mid-send leaves a claim
   * that expires, and another sends the same rows under the same key. The first due row, transactional
   * before news, decides the unit: its batch if it has one; else, for transactional mail, a new batch
   * of up to 100 due messages, its key written with the claim; else the row alone.
   */
  async function claimNext(): Promise<OutboxRow[]> {
    const now = Date.now()
    const first = await db
      .selectFrom('outbox')
      .select(['id', 'batch_key', 'lane', 'template'])
      .where((eb) => dueNow(eb, now))
      .orderBy('lane')
      .orderBy('next_attempt_at')
      .limit(1)
      .executeTakeFirst()
    if (!first) return []
    let set: { claimed_until: number; batch_key?: string } = { claimed_until: now + CLAIM_MS }
    let pick: (qb: import('kysely').SelectQueryBuilder<Database, 'outbox', { id: string }>) => typeof qb
    if (first.batch_key) {
      const key = first.batch_key
      pick = (qb) => qb.where('batch_key', '=', key).orderBy('id').limit(MAX_BATCH)
    } else if (first.lane === LANE_TRANSACTIONAL && !SINGLE_ONLY.includes(first.template) && sender.sendBatch) {
      set = { ...set, batch_key: `tx/${timeOrderedId()}` }
      pick = (qb) =>
        qb
          .where('lane', '=', LANE_TRANSACTIONAL)
          .where('batch_key', 'is', null)
          .where('template', 'not in', SINGLE_ONLY)
          .orderBy('next_attempt_at')
          .limit(MAX_BATCH)
    } else {
      pick = (qb) => qb.where('id', '=', first.id)
    }
    const ids = pick(db.selectFrom('outbox').select('id').where((eb) => dueNow(eb, now)))
    // On PostgreSQL the rows are picked once, locked, in a materialised CTE: as a plain `in (...)`
    // subquery with a limit, the planner may run it again per row and claim far more than 100.
    // A batch already keyed is claimed whole or not at all: skipping the rows another claim holds
    // locked would split it, and the part sent second would go under a key the provider has seen
    // with other rows, be refused as a replay, and be lost. Locked in id order, a second claim waits
    // at the first row, then finds every row claimed. New batches take any free rows.
    const locked = first.batch_key ? ids.forUpdate() : ids.forUpdate().skipLocked()
    const rows = postgres
      ? await db
          .with((cte) => cte('picked').materialized(), () => locked)
          .updateTable('outbox')
          .set(set)
          .where('id', 'in', (eb) => eb.selectFrom('picked').select('picked.id'))
          .where((eb) => dueNow(eb, now))
          .returningAll()
          .execute()
      : await db
          .updateTable('outbox')
          .set(set)
          .where('id', 'in', ids)
          .where((eb) => dueNow(eb, now))
          .returningAll()
          .execute()
    return rows.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
  }

  /** Gives back rows claimed and not sent (the worker is stopping), so a restart sends them at once. */
  async function release(rows: OutboxRow[]) {
    if (rows.length === 0) return
    await db.updateTable('outbox').set({ claimed_until: null }).where('id', 'in', rows.map((r) => r.id)).where('status', '=', 'pending').execute()
  }

  async function anythingDue() {
    const now = Date.now()
    return !!(await db.selectFrom('outbox').select('id').where((eb) => dueNow(eb, now)).limit(1).executeTakeFirst())
  }

  async function loop() {
    // After a claim more is likely due: look before taking a slot only when the last look found none.
    let busy = false
    // Consecutive failures of the database (a full disk, a lost connection): each waits twice as long, up to 30 s.
    let failures = 0
    while (!stopped) {
      try {
        while (!stopped && inflight.size >= concurrency) await Promise.race(inflight)
        if (stopped) break
        if (!busy && !(await anythingDue())) {
          failures = 0
          await (inflight.size > 0 ? Promise.race([...inflight, sleep(pollMs)]) : sleep(pollMs))
          continue
        }
        // What to send is chosen when its slot comes, so a confirmation queued meanwhile goes first;
        // while sending back to back, the choice is made as the slot is reserved (a slot's wait, not
        // a queue's), which keeps database round trips out of the gap between requests.
        const ahead: Promise<OutboxRow[]> | null = busy ? claimNext() : null
        const slot = await takeSlot()
        if (stopped) {
          if (ahead) await release(await ahead)
          break
        }
        const claimed: OutboxRow[] = await (ahead ?? claimNext())
        busy = claimed.length > 0
        // Nothing left, or another process took it first.
        if (!busy) continue
        tell({ kind: 'send', ...slot, rows: claimed.map((r) => r.id) })
        const job: Promise<void> = deliver(claimed)
          .catch((error) => options.onError?.(`outbox ${claimed[0].id}: ${(error as Error).message}`))
          .finally(() => inflight.delete(job))
        inflight.add(job)
        failures = 0
      } catch (error) {
        options.onError?.(`outbox poll: ${(error as Error).message}`)
        busy = false
        failures++
        if (!stopped) await sleep(Math.min(30_000, pollMs * 2 ** Math.min(failures - 1, 10)))
      }
    }
    await Promise.allSettled(inflight)
  }

  const running = loop()
  return {
    wake: () => wakeUp(),
    observe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    async stop() {
      stopped = true
      wakeUp()
      await running
    },
  }
}
