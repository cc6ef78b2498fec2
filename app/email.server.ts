import { timeOrderedId } from './infra/random.server'
import type { EmailTemplates, TemplateName } from '../emails'
import type { Insertable } from 'kysely'
import { reusableInsert, type Database, type DB } from './db.server'
import type { Vault } from './infra/vault.server'

export type { EmailTemplates, TemplateName } from '../emails'

export interface OutgoingEmail<T extends TemplateName = TemplateName> {
  template: T
  locale: string
  to: string
  props: EmailTemplates[T]
  /** Extra headers, e.g. List-Unsubscribe. */
  headers?: Record<string, string>
  signatureId?: string | null
  campaignId?: string | null
  /** Messages with the same key are sent in one provider batch call. */
  batchKey?: string | null
  newsUpdateId?: string | null
  /** Stored documents to attach, by reference: the payload stays small (see AttachmentRef). */
  attachments?: AttachmentRef[]
  /** Not before this time (epoch ms): e.g. a mission's office hours. */
  sendAt?: number
  /** Overrides the lane the template implies: a test send of news goes with transactional mail. */
  lane?: number
}

/** A letter PDF the worker loads from letter_versions when it sends. */
export interface AttachmentRef {
  filename: string
  letterVersionId: string
}

export interface OutboxPayload {
  /** one address, or several separated by commas (one message to all of them) */
  to: string
  props: unknown
  headers?: Record<string, string>
  attachments?: AttachmentRef[]
}

/** Transactional mail (confirmations, links, receipts, letters) goes before any news (ADR 096). */
export const LANE_TRANSACTIONAL = 0
export const LANE_NEWS = 1

const insertOutbox = reusableInsert((db: DB, rows: Insertable<Database['outbox']>[]) => db.insertInto('outbox').values(rows))

/**
 * Queues a message: one row, written in the caller's transaction, so a message exists exactly when
 * the change that caused it does. The address and the links (which carry tokens) are encrypted;
 * the worker in email-worker.server.ts renders and sends it.
 */
export async function enqueueEmail<T extends TemplateName>(
  db: DB,
  vault: Vault,
  message: OutgoingEmail<T>,
  now = Date.now(),
): Promise<string> {
  // Time-ordered: a busy outbox's key index grows at one end rather than everywhere.
  const id = timeOrderedId()
  const payload: OutboxPayload = { to: message.to, props: message.props, headers: message.headers, attachments: message.attachments }
  await insertOutbox(db, [
    {
      id,
      template: message.template,
      locale: message.locale,
      payload_enc: vault.encrypt(JSON.stringify(payload)),
      status: 'pending',
      attempts: 0,
      next_attempt_at: message.sendAt ?? now,
      scheduled_at: now,
      lane: message.lane ?? (message.template === 'news-update' ? LANE_NEWS : LANE_TRANSACTIONAL),
      last_error: null,
      provider_id: null,
      signature_id: message.signatureId ?? null,
      campaign_id: message.campaignId ?? null,
      batch_key: message.batchKey ?? null,
      news_update_id: message.newsUpdateId ?? null,
      created_at: now,
      sent_at: null,
    },
  ])
  return id
}
