import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { forUpdate, type DB } from '~/db.server'
import { enqueueEmail, LANE_TRANSACTIONAL } from '~/email.server'
import { isLocale, type Locale } from '~/i18n/i18n.server'
import { footerLinks } from '~/models/signature.server'
import { renderMarkdownForEmail } from '~/infra/markdown.server'
import type { Vault } from '~/infra/vault.server'
import { pacer } from '~/infra/next-turn.server'

/** Resend's batch endpoint takes at most 100 messages a call: one fan-out chunk is one batch. */
export const NEWS_BATCH = 100

export interface UpdateCopy {
  locale: Locale
  subject: string
  body: string
}

export async function createUpdate(db: DB, campaignId: string, copy: UpdateCopy, organiserId: string, now = Date.now()) {
  const id = randomUUID()
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('news_updates')
      .values({
        id,
        campaign_id: campaignId,
        status: 'draft',
        default_locale: copy.locale,
        created_by: organiserId,
        sent_by: null,
        queued_count: 0,
        cursor: null,
        created_at: now,
        updated_at: now,
        send_started_at: null,
        queued_at: null,
      })
      .execute()
    await trx
      .insertInto('news_update_translations')
      .values({ update_id: id, locale: copy.locale, subject: copy.subject, body_md: copy.body, updated_at: now })
      .execute()
  })
  return id
}

/** Adds or replaces one language of a draft; a sent update is never changed. */
export async function saveTranslation(db: DB, campaignId: string, updateId: string, copy: UpdateCopy, now = Date.now()) {
  return db.transaction().execute(async (trx) => {
    const update = await trx
      .selectFrom('news_updates')
      .select('status')
      .where('id', '=', updateId)
      .where('campaign_id', '=', campaignId)
      .executeTakeFirst()
    if (!update) return 'missing' as const
    if (update.status !== 'draft') return 'sent' as const
    await trx
      .insertInto('news_update_translations')
      .values({ update_id: updateId, locale: copy.locale, subject: copy.subject, body_md: copy.body, updated_at: now })
      .onConflict((oc) => oc.columns(['update_id', 'locale']).doUpdateSet({ subject: copy.subject, body_md: copy.body, updated_at: now }))
      .execute()
    await trx.updateTable('news_updates').set({ updated_at: now }).where('id', '=', updateId).execute()
    return 'saved' as const
  })
}

export interface Progress {
  queued: number
  pending: number
  sent: number
  failed: number
  /** From Resend's webhook, of the messages sent. */
  delivered: number
  bounced: number
  complained: number
  /** Signers who unsubscribed through this update's link. */
  unsubscribed: number
}

type Counted = Omit<Progress, 'queued' | 'unsubscribed'>
/** The webhook's word for a sent news message, and the figure it counts towards. */
export const NEWS_DELIVERY_STATUSES = ['delivered', 'bounced', 'complained'] as const

async function progressOf(db: DB, updateIds: string[]): Promise<Map<string, Counted>> {
  const out = new Map<string, Counted>()
  if (updateIds.length === 0) return out
  const rows = await db
    .selectFrom('outbox')
    .select(['news_update_id', 'status', 'delivery_status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('news_update_id', 'in', updateIds)
    .groupBy(['news_update_id', 'status', 'delivery_status'])
    .execute()
  for (const id of updateIds) out.set(id, { pending: 0, sent: 0, failed: 0, delivered: 0, bounced: 0, complained: 0 })
  for (const r of rows) {
    const p = out.get(r.news_update_id!)!
    p[r.status] += Number(r.n)
    const d = NEWS_DELIVERY_STATUSES.find((s) => s === r.delivery_status)
    if (d) p[d] += Number(r.n)
  }
  return out
}

export async function listUpdates(db: DB, campaignId: string) {
  const updates = await db
    .selectFrom('news_updates as u')
    .innerJoin('news_update_translations as t', (j) => j.onRef('t.update_id', '=', 'u.id').onRef('t.locale', '=', 'u.default_locale'))
    .select(['u.id', 'u.status', 'u.created_at', 'u.queued_count', 'u.queued_at', 'u.scheduled_for', 'u.unsubscribe_count', 't.subject'])
    .where('u.campaign_id', '=', campaignId)
    .orderBy('u.created_at', 'desc')
    .execute()
  const progress = await progressOf(db, updates.map((u) => u.id))
  return updates.map((u) => ({ ...u, progress: { queued: u.queued_count, unsubscribed: u.unsubscribe_count, ...progress.get(u.id)! } }))
}

export async function getUpdate(db: DB, campaignId: string, updateId: string) {
  const update = await db.selectFrom('news_updates').selectAll().where('id', '=', updateId).where('campaign_id', '=', campaignId).executeTakeFirst()
  if (!update) return null
  const translations = await db.selectFrom('news_update_translations').selectAll().where('update_id', '=', updateId).orderBy('locale').execute()
  const progress = (await progressOf(db, [updateId])).get(updateId)!
  return { update, translations, progress: { queued: update.queued_count, unsubscribed: update.unsubscribe_count, ...progress } }
}

/** The verified signers who asked for news: who an update would go to now. */
export async function countRecipients(db: DB, campaignId: string) {
  const row = await db
    .selectFrom('signatures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'verified')
    .where('news_opt_in', '=', 1)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Subject and body for one language, falling back to the update's default language. */
export async function newsContent(db: DB, updateId: string, locale: string) {
  const rows = await db
    .selectFrom('news_update_translations as t')
    .innerJoin('news_updates as u', 'u.id', 't.update_id')
    .select(['t.locale', 't.subject', 't.body_md', 'u.default_locale'])
    .where('t.update_id', '=', updateId)
    .execute()
  const row = rows.find((r) => r.locale === locale) ?? rows.find((r) => r.locale === r.default_locale)
  return row ? { locale: row.locale, subject: row.subject, bodyHtml: renderMarkdownForEmail(row.body_md) } : null
}

/** Marks a draft (or a scheduled update) as sending; false if it was already sent (a double click sends once). */
export async function startSending(db: DB, campaignId: string, updateId: string, organiserId: string, now = Date.now()) {
  const res = await db
    .updateTable('news_updates')
    .set({ status: 'queueing', sent_by: organiserId, send_started_at: now, scheduled_for: null, updated_at: now })
    .where('id', '=', updateId)
    .where('campaign_id', '=', campaignId)
    .where('status', 'in', ['draft', 'scheduled'])
    .executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}

/** How often each process looks for scheduled updates whose time has come. */
export const NEWS_SCHEDULE_POLL_MS = 5_000

/** How far ahead an update may be scheduled. */
export const MAX_SCHEDULE_AHEAD_MS = 90 * 24 * 3600_000

/**
 * Schedules a draft to leave at `at` (the fan-out then runs as for "send now", ADR 110); false if it
 * is no longer a draft. The organiser who schedules it is recorded as its sender.
 */
export async function scheduleUpdate(db: DB, campaignId: string, updateId: string, organiserId: string, at: number, now = Date.now()) {
  const res = await db
    .updateTable('news_updates')
    .set({ status: 'scheduled', scheduled_for: at, sent_by: organiserId, updated_at: now })
    .where('id', '=', updateId)
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'draft')
    .executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}

/** Turns a scheduled update back into a draft; false if it has already started to leave. */
export async function unscheduleUpdate(db: DB, campaignId: string, updateId: string, now = Date.now()) {
  const res = await db
    .updateTable('news_updates')
    .set({ status: 'draft', scheduled_for: null, sent_by: null, updated_at: now })
    .where('id', '=', updateId)
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'scheduled')
    .executeTakeFirst()
  return Number(res.numUpdatedRows) === 1
}

/**
 * Starts the fan-out of every scheduled update whose time has come. Each process runs this every few
 * seconds; the flip from 'scheduled' to 'queueing' is one conditional UPDATE, so of several processes
 * seeing the same due update exactly one starts it, and the fan-out's locked cursor keeps even a second
 * starter from queueing anyone twice. Answers the ids this process started.
 */
export async function releaseDueUpdates(deps: QueueDeps, now: () => number = Date.now): Promise<string[]> {
  const at = now()
  const due = await deps.db
    .selectFrom('news_updates')
    .select('id')
    .where('status', '=', 'scheduled')
    .where('scheduled_for', '<=', at)
    .orderBy('scheduled_for')
    .execute()
  const started: string[] = []
  for (const { id } of due) {
    const res = await deps.db
      .updateTable('news_updates')
      .set({ status: 'queueing', send_started_at: at, updated_at: at })
      .where('id', '=', id)
      .where('status', '=', 'scheduled')
      .executeTakeFirst()
    if (Number(res.numUpdatedRows) !== 1) continue
    started.push(id)
    await queueNewsUpdate(deps, id, now)
  }
  return started
}

/** The subject line of a test send: marked so it cannot be mistaken for the real one. */
export const testSubject = (subject: string) => `[Test] ${subject}`

/**
 * Sends one language of an update to the organiser's own address only, marked as a test: it has no
 * news_update_id (so no figure counts it and it is not part of the send), placeholder links instead of
 * any signer's, and goes in the transactional lane, ahead of any news being sent. Null when the update
 * is missing.
 */
export async function sendTestUpdate(deps: QueueDeps, campaignId: string, updateId: string, locale: Locale, to: string, now = Date.now()) {
  const { db, vault, appUrl } = deps
  const update = await db.selectFrom('news_updates').select(['id', 'default_locale']).where('id', '=', updateId).where('campaign_id', '=', campaignId).executeTakeFirst()
  if (!update) return null
  const content = await newsContent(db, updateId, locale)
  if (!content) return null
  const campaign = await db.selectFrom('campaigns').select(['id', 'slug', 'default_locale']).where('id', '=', campaignId).executeTakeFirstOrThrow()
  const titles = await db.selectFrom('campaign_translations').select(['locale', 'title']).where('campaign_id', '=', campaignId).execute()
  const title = titles.find((t) => t.locale === content.locale)?.title ?? titles.find((t) => t.locale === campaign.default_locale)?.title ?? campaign.slug
  const shown = content.locale as Locale
  await db.transaction().execute(async (trx) => {
    await enqueueEmail(
      trx,
      vault,
      {
        template: 'news-update',
        locale: shown,
        to,
        props: {
          locale: shown,
          updateId,
          campaignTitle: title,
          campaignUrl: `${appUrl}/campaigns/${campaign.slug}?lang=${shown}`,
          subject: testSubject(content.subject),
          bodyHtml: content.bodyHtml,
          withdrawUrl: `${appUrl}/s/withdraw/test`,
          unsubscribeUrl: `${appUrl}/s/unsubscribe/test`,
          test: true,
        },
        campaignId,
        lane: LANE_TRANSACTIONAL,
      },
      now,
    )
    await trx.updateTable('news_updates').set({ test_sent_at: now }).where('id', '=', updateId).execute()
  })
  return { locale: shown }
}

export interface QueueDeps {
  db: DB
  vault: Vault
  appUrl: string
  /** Called after each chunk so the outbox worker starts sending while the rest is queued. */
  wake?: () => void
}

/**
 * Writes the outbox rows of an update, 100 signers per transaction: each message gets fresh
 * withdraw and unsubscribe tokens and List-Unsubscribe headers, the signer's language where the
 * update has it (else the update's default), and one batch key per chunk. The cursor (last
 * signature id) moves in the same transaction, so after a crash the fan-out resumes exactly where
 * it stopped: nobody is queued twice or skipped.
 */
export async function queueNewsUpdate(deps: QueueDeps, updateId: string, now: () => number = Date.now): Promise<number> {
  const { db, vault } = deps
  const update = await db.selectFrom('news_updates').selectAll().where('id', '=', updateId).executeTakeFirst()
  if (!update || update.status !== 'queueing') return 0
  const campaign = await db.selectFrom('campaigns').select(['id', 'slug', 'default_locale']).where('id', '=', update.campaign_id).executeTakeFirstOrThrow()
  const [languages, titles] = await Promise.all([
    db.selectFrom('news_update_translations').select('locale').where('update_id', '=', updateId).execute(),
    db.selectFrom('campaign_translations').select(['locale', 'title']).where('campaign_id', '=', campaign.id).execute(),
  ])
  const has = new Set(languages.map((l) => l.locale))
  const titleIn = (locale: string) =>
    titles.find((t) => t.locale === locale)?.title ?? titles.find((t) => t.locale === campaign.default_locale)?.title ?? campaign.slug

  let total = 0
  const pause = pacer()
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      // Locked, so another process resuming the same fan-out waits and then reads the moved cursor.
      const current = await forUpdate(trx, trx.selectFrom('news_updates').select(['status', 'cursor', 'queued_count']).where('id', '=', updateId)).executeTakeFirstOrThrow()
      if (current.status !== 'queueing') return true
      const at = now()
      const signers = await trx
        .selectFrom('signatures')
        .select(['id', 'email_enc', 'locale'])
        .where('campaign_id', '=', campaign.id)
        .where('status', '=', 'verified')
        .where('news_opt_in', '=', 1)
        .$if(current.cursor !== null, (qb) => qb.where('id', '>', current.cursor!))
        .orderBy('id')
        .limit(NEWS_BATCH)
        .execute()
      const batchKey = `news/${updateId}/${current.queued_count}`
      for (const s of signers) {
        const locale = (has.has(s.locale) ? s.locale : update.default_locale) as Locale
        const linkLocale = isLocale(s.locale) ? s.locale : locale
        const links = footerLinks(deps, s.id, linkLocale, true, updateId)
        await enqueueEmail(
          trx,
          vault,
          {
            template: 'news-update',
            locale,
            to: vault.decrypt(s.email_enc),
            // Subject and body are read from the update when the worker renders the message.
            props: {
              locale,
              updateId,
              campaignTitle: titleIn(locale),
              campaignUrl: `${deps.appUrl}/campaigns/${campaign.slug}?lang=${linkLocale}`,
              subject: '',
              bodyHtml: '',
              withdrawUrl: links.withdrawUrl,
              unsubscribeUrl: links.unsubscribeUrl,
            },
            headers: links.headers,
            signatureId: s.id,
            campaignId: campaign.id,
            batchKey,
            newsUpdateId: updateId,
          },
          at,
        )
      }
      const last = signers.at(-1)
      const finished = signers.length < NEWS_BATCH
      await trx
        .updateTable('news_updates')
        .set({
          cursor: last ? last.id : current.cursor,
          queued_count: sql`queued_count + ${signers.length}`,
          ...(finished ? { status: 'queued' as const, queued_at: at } : {}),
          updated_at: at,
        })
        .where('id', '=', updateId)
        .execute()
      total += signers.length
      return finished
    })
    deps.wake?.()
    if (done) return total
    // Let requests in between chunks (ADR 140).
    await pause()
  }
}

/** Finishes fan-outs a stopped server left half done. */
export async function resumeNewsQueues(deps: QueueDeps) {
  const open = await deps.db.selectFrom('news_updates').select('id').where('status', '=', 'queueing').execute()
  for (const { id } of open) await queueNewsUpdate(deps, id)
}
