import { LETTER_TEMPLATES } from '../../emails'
import type { DB } from '~/db.server'

/**
 * Mail of a campaign that the provider would not take for 72 hours, or refused (ADR 096): the
 * organisers' dashboard shows it, since each one is a signer without their link.
 */
export async function undeliveredMail(db: DB, campaignId: string): Promise<{ count: number; since: number | null }> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('since')])
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'failed')
    .where('payload_enc', 'is not', null)
    // Letters have their own record of a failed delivery (ADR 077).
    .where('template', 'not in', LETTER_TEMPLATES)
    .executeTakeFirst()
  return { count: Number(row?.n ?? 0), since: row?.since == null ? null : Number(row.since) }
}

/**
 * Queues that mail again, as new messages under new keys (the provider never took the old ones):
 * for after an outage has ended. Answers how many were queued.
 */
export async function sendUndeliveredAgain(db: DB, campaignId: string, now = Date.now()): Promise<number> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, failing_since: null, batch_key: null, claimed_until: null, next_attempt_at: now, scheduled_at: now, last_error: null })
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'failed')
    .where('payload_enc', 'is not', null)
    // Letters have their own record of a failed delivery (ADR 077).
    .where('template', 'not in', LETTER_TEMPLATES)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}
