import { plainTextSelectors, render } from '@react-email/render'
import { compile } from 'html-to-text'
import { createHash } from 'node:crypto'
import { createElement } from 'react'
import { Resend } from 'resend'
import { templates, type TemplateName } from '../emails'
import type { AppConfig } from './config.server'
import { engineOf, type DB, type OutboxRow } from './db.server'
import { createPacer } from './email-pacing.server'
import type { OutboxPayload } from './email.server'
import { settleLetterDelivery } from './models/delivery.server'
import { newsContent } from './models/news.server'
import { openPdf, type Vault } from './utils/vault.server'

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

export type BatchOutcome = { ok: true; providerIds: (string | null)[] } | Extract<SendOutcome, { ok: false }>

export interface EmailSender {
  send(message: RenderedEmail, idempotencyKey: string, outboxId: string): Promise<SendOutcome>
  /** Up to 100 messages in one provider call, all accepted or none; without it, messages go one by one. */
  sendBatch?(messages: RenderedEmail[], idempotencyKey: string, outboxIds: string[]): Promise<BatchOutcome>
}

/** Resend's batch endpoint takes at most this many messages a call. */
export const MAX_BATCH = 100

const MAX_ATTEMPTS = 10
const MAX_BACKOFF_MS = 60 * 60_000

export function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, 2_000 * 2 ** Math.max(0, attempts - 1))
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
      return failure(error, headers)
    },
    async sendBatch(messages, idempotencyKey) {
      const { data, error, headers } = await resend.batch.send(
        messages.map((m) => ({ from: config.from, to: [m.to], subject: m.subject, html: m.html, text: m.text, headers: m.headers })),
        { idempotencyKey, signal: AbortSignal.timeout(config.timeoutMs) } as { idempotencyKey: string },
      )
      if (!error) return { ok: true, providerIds: messages.map((_, i) => data?.data?.[i]?.id ?? null) }
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

/**
 * The same text as react-email's render(..., { plainText: true }) and its toPlainText, without
 * rendering the tree a second time, and with html-to-text's options compiled once rather than for
 * every message (that compilation was a third of an email's rendering time).
 */
const toPlainText = compile({ wordwrap: false, selectors: plainTextSelectors })

/** How long a process may hold a row it is sending: well over a provider call's timeout. */
const CLAIM_MS = 2 * 60_000

export async function renderEmail(template: string, payload: OutboxPayload): Promise<RenderedEmail> {
  const entry = templates[template as TemplateName] as
    | { component: (p: unknown) => unknown; subject: (p: unknown) => string }
    | undefined
  if (!entry) throw new Error(`Unknown email template ${template}`)
  const html = await render(createElement(entry.component as never, payload.props as never))
  const text = toPlainText(html)
  return { to: payload.to, subject: entry.subject(payload.props), html, text, headers: payload.headers }
}

export interface OutboxWorker {
  wake(): void
  stop(): Promise<void>
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

/**
 * Sends the outbox at most `ratePerSecond` requests a second, a few in flight at once. A message is
 * marked sent only after the provider accepted it; a crash in between sends it again with the same
 * idempotency key, which the provider deduplicates. A 429 pauses every send for as long as it asks.
 */
export function startOutboxWorker(options: WorkerOptions): OutboxWorker {
  const { db, vault, sender, pollMs } = options
  // Sends wait on the network more than on us: at higher provider rates more are kept in flight, so
  // the rate, not the round trip, is the limit (the pacing below still spaces their starts).
  const concurrency = options.concurrency ?? Math.min(16, Math.max(4, Math.ceil(options.ratePerSecond / 10)))
  const pacer = createPacer(db, options.ratePerSecond)
  const postgres = engineOf(db) === 'postgres'
  const inflight = new Map<string, Promise<void>>()
  let stopped = false
  let wakeUp: (() => void) | null = null

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        wakeUp = null
        resolve()
      }
      wakeUp = done
    })

  async function takeSlot() {
    for (;;) {
      const at = await pacer.slot()
      while (!stopped && Date.now() < at) await new Promise((r) => setTimeout(r, at - Date.now()))
      // A 429 that came in while this slot waited holds it too.
      if (stopped || pacer.pausedUntil() <= at) return
    }
  }

  /** Renders a row, or marks it failed for good and answers null. */
  async function prepare(row: OutboxRow, news: Map<string, Promise<{ subject: string; bodyHtml: string } | null>>) {
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
      await updateRow(row.id, { status: 'failed', payload_enc: null, last_error: `render: ${(error as Error).message}`.slice(0, 200) })
      return null
    }
  }

  async function deliver(row: OutboxRow) {
    const rendered = await prepare(row, new Map())
    if (!rendered) return
    await sendOne(row, rendered)
  }

  async function sendOne(row: OutboxRow, rendered: RenderedEmail) {
    let outcome: SendOutcome
    try {
      outcome = await sender.send(rendered, `outbox/${row.id}`, row.id)
    } catch (error) {
      outcome = { ok: false, retryable: true, error: (error as Error).name }
    }
    await settle(row, outcome)
  }

  /**
   * Sends the rows of one batch key in one provider call. The idempotency key names the batch and
   * the exact rows in it, so a retry of the same rows is deduplicated by the provider, and a batch
   * that lost a row (its signer withdrew) is a new request rather than a conflicting replay.
   */
  async function deliverBatch(batchKey: string, rows: OutboxRow[]) {
    const news = new Map<string, Promise<{ subject: string; bodyHtml: string } | null>>()
    const ready: { row: OutboxRow; rendered: RenderedEmail }[] = []
    for (const row of rows) {
      const rendered = await prepare(row, news)
      if (rendered) ready.push({ row, rendered })
    }
    if (ready.length === 0) return
    if (!sender.sendBatch) {
      for (const { row, rendered } of ready) await sendOne(row, rendered)
      return
    }
    const ids = ready.map((r) => r.row.id)
    const digest = createHash('sha256').update([...ids].sort().join(',')).digest('base64url').slice(0, 16)
    let outcome: BatchOutcome
    try {
      outcome = await sender.sendBatch(ready.map((r) => r.rendered), `outbox-batch/${batchKey}/${digest}`, ids)
    } catch (error) {
      outcome = { ok: false, retryable: true, error: (error as Error).name }
    }
    for (let i = 0; i < ready.length; i++) {
      await settle(ready[i].row, outcome.ok ? { ok: true, providerId: outcome.providerIds[i] ?? null } : outcome)
    }
  }

  async function settle(row: OutboxRow, outcome: SendOutcome) {
    const after = Date.now()
    if (outcome.ok) {
      await updateRow(row.id, { status: 'sent', payload_enc: null, sent_at: after, provider_id: outcome.providerId, attempts: row.attempts + 1, last_error: null })
      if (row.template === 'mission-letter') await settleLetterDelivery(db, row.id, 'sent', after)
    } else if (outcome.retryAfterMs !== undefined) {
      await pacer.pause(after + outcome.retryAfterMs)
      await updateRow(row.id, { next_attempt_at: after + outcome.retryAfterMs, last_error: outcome.error, claimed_until: null })
    } else if (outcome.retryable && row.attempts + 1 < MAX_ATTEMPTS) {
      await updateRow(row.id, { attempts: row.attempts + 1, next_attempt_at: after + backoffMs(row.attempts + 1), last_error: outcome.error, claimed_until: null })
    } else {
      options.onError?.(`outbox ${row.id} failed for good: ${outcome.error}`)
      await updateRow(row.id, { status: 'failed', payload_enc: null, attempts: row.attempts + 1, last_error: outcome.error })
      if (row.template === 'mission-letter') await settleLetterDelivery(db, row.id, 'failed', after)
    }
  }

  /**
   * Claims a message, or up to a batch of rows sharing a key, for this process until the claim runs
   * out: with several processes on one database each row is sent by one of them; a process that
   * dies mid-send leaves a claim that expires, and another sends the row under the same key.
   */
  async function claim(unit: { id: string } | { batchKey: string }): Promise<OutboxRow[]> {
    const now = Date.now()
    const claimable = <Q extends import('kysely').SelectQueryBuilder<import('./db.server').Database, 'outbox', object>>(qb: Q) =>
      qb
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)])) as Q
    const rows = await db
      .updateTable('outbox')
      .set({ claimed_until: now + CLAIM_MS })
      .where('id', 'in', (eb) => {
        let ids = claimable(eb.selectFrom('outbox').select('id'))
        ids = 'id' in unit ? ids.where('id', '=', unit.id) : ids.where('batch_key', '=', unit.batchKey).orderBy('id').limit(MAX_BATCH)
        return postgres ? ids.forUpdate().skipLocked() : ids
      })
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
      .returningAll()
      .execute()
    return rows.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
  }

  /** Gives back rows claimed and not sent (the worker is stopping), so a restart sends them at once. */
  async function release(rows: OutboxRow[]) {
    await db.updateTable('outbox').set({ claimed_until: null }).where('id', 'in', rows.map((r) => r.id)).where('status', '=', 'pending').execute()
  }

  function updateRow(id: string, values: Partial<Omit<OutboxRow, 'id'>>) {
    return db.updateTable('outbox').set(values).where('id', '=', id).where('status', '=', 'pending').execute()
  }

  async function loop() {
    while (!stopped) {
      let launched = 0
      try {
        const now = Date.now()
        const due = await db
          .selectFrom('outbox')
          .select(['id', 'batch_key'])
          .where('status', '=', 'pending')
          .where('next_attempt_at', '<=', now)
          .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
          .orderBy('next_attempt_at')
          .limit(200)
          .execute()
        const seenBatches = new Set<string>()
        for (const row of due) {
          if (stopped) break
          // A batch is one request: one rate slot, all its rows together.
          const key = row.batch_key ? `batch:${row.batch_key}` : row.id
          if (inflight.has(key) || seenBatches.has(key)) continue
          seenBatches.add(key)
          while (inflight.size >= concurrency) await Promise.race(inflight.values())
          const claimed = await claim(row.batch_key ? { batchKey: row.batch_key } : { id: row.id })
          // Another process took it first.
          if (claimed.length === 0) continue
          await takeSlot()
          if (stopped) {
            await release(claimed)
            break
          }
          const work = row.batch_key ? deliverBatch(row.batch_key, claimed) : deliver(claimed[0])
          const job = work
            .catch((error) => options.onError?.(`outbox ${row.id}: ${(error as Error).message}`))
            .finally(() => inflight.delete(key))
          inflight.set(key, job)
          launched++
        }
      } catch (error) {
        options.onError?.(`outbox poll: ${(error as Error).message}`)
      }
      if (stopped) break
      if (launched === 0) {
        if (inflight.size > 0) await Promise.race([...inflight.values(), sleep(pollMs)])
        else await sleep(pollMs)
      }
    }
    await Promise.allSettled(inflight.values())
  }

  const running = loop()
  return {
    wake: () => wakeUp?.(),
    async stop() {
      stopped = true
      wakeUp?.()
      await running
    },
  }
}
