import type { DB, WebhookEvent } from '~/db.server'
import { webhookUrlProblem } from '~/infra/network.server'
import { timeOrderedId } from '~/infra/random.server'
import type { Vault } from '~/infra/vault.server'
import { newWebhookSecret } from '~/infra/webhook-signature.server'

/** Partners' webhooks (ADR 133): the endpoint settings, the queue written with each event, the delivery log. */

export const WEBHOOK_EVENTS: WebhookEvent[] = ['signature.confirmed', 'signature.withdrawn']
export const isWebhookEvent = (e: unknown): e is WebhookEvent => WEBHOOK_EVENTS.includes(e as WebhookEvent)

export { webhookUrlProblem }

/**
 * Sets a partner's endpoint and events. A new signing secret is made when the partner has none or
 * when asked (`rotate`), and answered, to be shown once; otherwise the stored one stays and null is answered.
 */
export async function setWebhook(
  db: DB,
  vault: Vault,
  campaignId: string,
  partnerId: string,
  settings: { url: string; events: WebhookEvent[]; rotate: boolean },
  now = Date.now(),
): Promise<{ found: boolean; secret: string | null }> {
  const partner = await db
    .selectFrom('partners')
    .select(['id', 'webhook_secret_enc'])
    .where('id', '=', partnerId)
    .where('campaign_id', '=', campaignId)
    .where('removed_at', 'is', null)
    .executeTakeFirst()
  if (!partner) return { found: false, secret: null }
  const secret = settings.rotate || !partner.webhook_secret_enc ? newWebhookSecret() : null
  await db
    .updateTable('partners')
    .set({
      webhook_url: settings.url,
      webhook_events: [...new Set(settings.events)].join(' '),
      ...(secret ? { webhook_secret_enc: vault.encrypt(secret) } : {}),
      updated_at: now,
    })
    .where('id', '=', partnerId)
    .execute()
  return { found: true, secret }
}

/** Stops the partner's webhooks: the endpoint, its secret and what was still waiting to go. */
export async function removeWebhook(db: DB, campaignId: string, partnerId: string, now = Date.now()) {
  return db.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable('partners')
      .set({ webhook_url: null, webhook_events: null, webhook_secret_enc: null, updated_at: now })
      .where('id', '=', partnerId)
      .where('campaign_id', '=', campaignId)
      .where('webhook_url', 'is not', null)
      .executeTakeFirst()
    if (Number(done.numUpdatedRows) === 0) return false
    await trx.deleteFrom('webhook_outbox').where('partner_id', '=', partnerId).where('status', '=', 'pending').execute()
    return true
  })
}

/**
 * Queues an event for the partner that brought a signer, in the caller's transaction, if the partner
 * takes that event. The row names the signature (confirmed) or the opaque person id (withdrawn), no
 * personal data: the body is built when it is sent.
 */
export async function queueWebhook(
  trx: DB,
  event: { campaignId: string; partnerId: string; type: WebhookEvent; signatureId?: string | null; personId?: string | null },
  now = Date.now(),
) {
  const partner = await trx
    .selectFrom('partners')
    .select(['webhook_events'])
    .where('id', '=', event.partnerId)
    .where('removed_at', 'is', null)
    .where('webhook_url', 'is not', null)
    .executeTakeFirst()
  if (!partner?.webhook_events?.split(' ').includes(event.type)) return null
  const id = timeOrderedId()
  await trx
    .insertInto('webhook_outbox')
    .values({
      id,
      partner_id: event.partnerId,
      campaign_id: event.campaignId,
      event: event.type,
      signature_id: event.signatureId ?? null,
      person_id: event.personId ?? null,
      occurred_at: now,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
    })
    .execute()
  return id
}

/** A withdrawn signature is no longer there to be read: waiting deliveries forget it. */
export async function forgetSignatureInWebhooks(trx: DB, signatureId: string) {
  await trx.updateTable('webhook_outbox').set({ signature_id: null }).where('signature_id', '=', signatureId).execute()
}

export interface WebhookSettings {
  partnerId: string
  url: string
  events: WebhookEvent[]
}

export async function listWebhooks(db: DB, campaignId: string): Promise<WebhookSettings[]> {
  const rows = await db
    .selectFrom('partners')
    .select(['id', 'webhook_url', 'webhook_events'])
    .where('campaign_id', '=', campaignId)
    .where('webhook_url', 'is not', null)
    .execute()
  return rows.map((r) => ({ partnerId: r.id, url: r.webhook_url!, events: (r.webhook_events ?? '').split(' ').filter(isWebhookEvent) }))
}

/** The last attempts to each partner's endpoint, newest first: status code or error, attempt, time; never a body. */
export async function deliveryLog(db: DB, campaignId: string, perPartner = 20) {
  const rows = await db
    .selectFrom('webhook_attempts')
    .innerJoin('partners', 'partners.id', 'webhook_attempts.partner_id')
    .select(['webhook_attempts.partner_id', 'delivery_id', 'event', 'attempt', 'at', 'status_code', 'error'])
    .where('partners.campaign_id', '=', campaignId)
    .orderBy('at', 'desc')
    .orderBy('webhook_attempts.id', 'desc')
    .limit(perPartner * 50)
    .execute()
  const byPartner = new Map<string, typeof rows>()
  for (const r of rows) {
    const list = byPartner.get(r.partner_id) ?? []
    if (list.length < perPartner) list.push(r)
    byPartner.set(r.partner_id, list)
  }
  return [...byPartner.entries()].flatMap(([, list]) =>
    list.map((r) => ({
      partnerId: r.partner_id,
      webhookId: `msg_${r.delivery_id}`,
      event: r.event,
      attempt: r.attempt,
      at: Number(r.at),
      statusCode: r.status_code,
      error: r.error,
    })),
  )
}

/** The delivery log and delivered or failed rows are kept 30 days: enough to answer a partner's question. */
export const WEBHOOK_LOG_DAYS = 30

export async function purgeWebhookLog(db: DB, now = Date.now()) {
  const cutoff = now - WEBHOOK_LOG_DAYS * 86_400_000
  await db.deleteFrom('webhook_attempts').where('at', '<', cutoff).execute()
  await db.deleteFrom('webhook_outbox').where('status', 'in', ['sent', 'failed']).where('created_at', '<', cutoff).execute()
}
