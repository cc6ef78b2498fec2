import { getUnAddressee } from '~/models/un-addressee.server'
import { randomUUID } from 'node:crypto'
import type { DB, DeliveryStatus, LetterDelivery } from '~/db.server'
import { enqueueEmail } from '~/email.server'
import type { MissionLetterLanguage } from '../../emails/MissionLetter'
import { getLetterDocument, getLetter, letterFileName, verifyUrlFor } from '~/models/letter.server'
import { getLetterSettings } from '~/models/letter-settings.server'
import { getMission, missionEmails } from '~/models/mission.server'
import { issueMissionLink } from '~/models/response.server'
import { isMissionOffice } from '~/utils/mission-schema'
import { nextOfficeSlot } from '~/utils/office-hours'
import type { Vault } from '~/infra/vault.server'

export interface DeliveryDeps {
  db: DB
  vault: Vault
  appUrl: string
  /** gap between two letters to missions */
  gapMs: number
}

export type SendResult =
  | { kind: 'scheduled'; delivery: LetterDelivery }
  | { kind: 'no-email' }
  | { kind: 'already'; delivery: LetterDelivery }
  | { kind: 'not-found' }

/**
 * Sends a letter version to its mission: one email to all the mission's addresses with the PDF
 * attached, queued for the next slot within New York office hours, at least `gapMs` after the
 * last letter queued. A mission without an address is left to a delivery by hand or post, which
 * an organiser records with recordManualDelivery.
 * A version is sent at most once (letter_deliveries.letter_version_id is unique).
 */
export async function sendLetter(deps: DeliveryDeps, letterId: string, organiserId: string | null, now = Date.now()): Promise<SendResult> {
  const letter = await getLetter(deps.db, letterId)
  if (!letter) return { kind: 'not-found' }
  const existing = await deps.db.selectFrom('letter_deliveries').selectAll().where('letter_version_id', '=', letterId).executeTakeFirst()
  if (existing) return { kind: 'already', delivery: existing }
  // A letter to a UN office holder goes to the directory's addresses, with its own cover note and no
  // private reply link (those are per mission): the office holder answers the sending organisation.
  const addressee = letter.addressee ? await getUnAddressee(deps.db, letter.addressee) : undefined
  const mission = letter.addressee || !isMissionOffice(letter.city) ? undefined : await getMission(deps.db, letter.country_code, letter.city)
  const emails = mission ? missionEmails(mission) : addressee ? missionEmails(addressee) : []
  if (emails.length === 0) return { kind: 'no-email' }
  const doc = await getLetterDocument(deps.db, deps.vault, letterId)
  const settings = await getLetterSettings(deps.db, letter.campaign_id)
  // Letters are refused until the campaign has a sender (ADR 076); a UN note is signed by it.
  if (addressee && !settings) return { kind: 'no-email' }

  return deps.db.transaction().execute(async (trx) => {
    const base = {
      id: randomUUID(),
      letter_version_id: letterId,
      campaign_id: letter.campaign_id,
      country_code: letter.country_code,
      note: '',
      created_by: organiserId,
      created_at: now,
      status_at: now,
    }
    const last = await trx
      .selectFrom('letter_deliveries')
      .select((eb) => eb.fn.max('scheduled_at').as('at'))
      .where('channel', '=', 'email')
      .executeTakeFirst()
    const earliest = Math.max(now, Number(last?.at ?? 0) + deps.gapMs)
    const slot = nextOfficeSlot(earliest)
    const common = {
      locale: letter.language,
      to: emails.join(', '),
      attachments: [{ filename: `${letterFileName(letter)}.pdf`, letterVersionId: letterId }],
      campaignId: letter.campaign_id,
      sendAt: slot,
    }
    const letterProps = {
      letterSubject: doc?.letters[0]?.subject ?? letter.reference,
      reference: letter.reference,
      code: letter.code,
      verifyUrl: verifyUrlFor(deps.appUrl, letter.code),
    }
    const sender = settings
      ? { name: settings.sender.name, email: settings.sender.email, signerName: settings.sender.signerName, signerTitle: settings.sender.signerTitle }
      : undefined
    const outboxId = addressee
      ? await enqueueEmail(
          trx,
          deps.vault,
          {
            ...common,
            template: 'un-office-letter',
            props: { ...letterProps, language: letter.language === 'fr' ? 'fr' : 'en', salutation: addressee.salutation, sender: sender! },
          },
          now,
        )
      : await enqueueEmail(
          trx,
          deps.vault,
          {
            ...common,
            template: 'mission-letter',
            props: {
              ...letterProps,
              language: letter.language as MissionLetterLanguage,
              respondUrl: `${deps.appUrl}/respond/${letter.country_code}/${await issueMissionLink(trx, letter.campaign_id, letter.country_code, now)}`,
              headTitle: mission?.head_title ?? 'representative',
              sender,
            },
          },
          now,
        )
    const delivery = { ...base, channel: 'email' as const, status: 'scheduled' as const, outbox_id: outboxId, scheduled_at: slot }
    await trx.insertInto('letter_deliveries').values(delivery).execute()
    return { kind: 'scheduled' as const, delivery }
  })
}

/**
 * The provider has taken (or finally refused) a letter's message: its delivery moves from
 * "scheduled" to "sent" (or "failed"), so the public table of who was written to does not wait for
 * webhooks, which may never be set up. Only a still-scheduled delivery moves: a webhook's status
 * that came first is kept.
 */
export async function settleLetterDelivery(db: DB, outboxId: string, status: 'sent' | 'failed', now = Date.now()) {
  await db.updateTable('letter_deliveries').set({ status, status_at: now }).where('outbox_id', '=', outboxId).where('status', '=', 'scheduled').execute()
}

export const MANUAL_STATUSES = ['delivered-by-hand', 'posted'] as const

/** An organiser records a delivery made by hand or by post. */
export async function recordManualDelivery(
  db: DB,
  letterId: string,
  status: (typeof MANUAL_STATUSES)[number],
  note: string,
  organiserId: string | null,
  now = Date.now(),
) {
  const letter = await getLetter(db, letterId)
  if (!letter) return null
  await db
    .insertInto('letter_deliveries')
    .values({
      id: randomUUID(),
      letter_version_id: letterId,
      campaign_id: letter.campaign_id,
      country_code: letter.country_code,
      channel: 'manual',
      status,
      outbox_id: null,
      scheduled_at: null,
      status_at: now,
      note,
      created_by: organiserId,
      created_at: now,
    })
    .onConflict((oc) => oc.column('letter_version_id').doUpdateSet({ status, note, status_at: now, channel: 'manual' }))
    .execute()
  return letter
}

const EVENT_STATUS: Record<string, DeliveryStatus> = {
  'email.sent': 'sent',
  'email.delivered': 'delivered',
  'email.bounced': 'bounced',
  'email.complained': 'complained',
  'email.failed': 'failed',
}
// A later event never overwrites a more final one (a "sent" arriving after "bounced", say).
const RANK: Record<DeliveryStatus, number> = { scheduled: 0, sent: 1, delivered: 2, failed: 3, bounced: 3, complained: 4, 'delivered-by-hand': 2, posted: 2 }

export type WebhookOutcome = 'applied' | 'duplicate' | 'ignored'

/** What a news update's figures count of a sent message (ADR 109); a later, worse word replaces an earlier one. */
const NEWS_FATES: DeliveryStatus[] = ['delivered', 'bounced', 'complained']

async function applyToNews(trx: DB, providerId: string, status: DeliveryStatus): Promise<WebhookOutcome> {
  const row = await trx
    .selectFrom('outbox')
    .select(['id', 'delivery_status'])
    .where('provider_id', '=', providerId)
    .where('news_update_id', 'is not', null)
    .executeTakeFirst()
  if (!row) return 'ignored'
  const was = row.delivery_status as DeliveryStatus | null
  if (was && RANK[status] < RANK[was]) return 'ignored'
  await trx.updateTable('outbox').set({ delivery_status: status }).where('id', '=', row.id).execute()
  return 'applied'
}

/** Applies one verified Resend webhook event, once per svix-id. */
export async function applyWebhookEvent(db: DB, eventId: string, event: { type?: unknown; data?: { email_id?: unknown } }, now = Date.now()): Promise<WebhookOutcome> {
  const type = typeof event.type === 'string' ? event.type : ''
  const providerId = typeof event.data?.email_id === 'string' ? event.data.email_id : null
  return db.transaction().execute(async (trx) => {
    const seen = await trx.selectFrom('delivery_events').select('id').where('id', '=', eventId).executeTakeFirst()
    if (seen) return 'duplicate'
    const delivery = providerId
      ? await trx
          .selectFrom('letter_deliveries')
          .innerJoin('outbox', 'outbox.id', 'letter_deliveries.outbox_id')
          .select(['letter_deliveries.id', 'letter_deliveries.status'])
          .where('outbox.provider_id', '=', providerId)
          .executeTakeFirst()
      : undefined
    await trx.insertInto('delivery_events').values({ id: eventId, delivery_id: delivery?.id ?? null, type: type.slice(0, 60), received_at: now }).execute()
    const status = EVENT_STATUS[type]
    if (!delivery && providerId && status && NEWS_FATES.includes(status)) return applyToNews(trx, providerId, status)
    if (!delivery || !status) return 'ignored'
    if (RANK[status] < RANK[delivery.status]) return 'ignored'
    await trx.updateTable('letter_deliveries').set({ status, status_at: now }).where('id', '=', delivery.id).execute()
    return 'applied'
  })
}

/** Every delivery of a campaign, newest first, with the time the provider accepted the email. */
export function listDeliveries(db: DB, campaignId: string) {
  return db
    .selectFrom('letter_deliveries as d')
    .innerJoin('letter_versions as l', 'l.id', 'd.letter_version_id')
    .leftJoin('outbox as o', 'o.id', 'd.outbox_id')
    .select([
      'd.id',
      'd.letter_version_id as letterId',
      'd.country_code as country',
      'd.channel',
      'd.status',
      'd.scheduled_at as scheduledAt',
      'd.status_at as statusAt',
      'd.created_at as createdAt',
      'o.sent_at as sentAt',
      'l.version',
      'l.reference',
    ])
    .where('d.campaign_id', '=', campaignId)
    .orderBy('d.created_at', 'desc')
    .execute()
}
