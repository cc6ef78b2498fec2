import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { seedFirstCampaign } from '../../db/seed'
import { type DB } from '../db.server'
import { createVault } from '../infra/vault.server'
import { ReconcileBusyError, reconcileCounts } from './counts.server'
import { acquireLease, releaseLease } from './lease.server'
import { repairCounts } from './counters.server'
import { confirmSignature, purgeExpired, signCampaign } from './signature.server'
import { openTestDatabase } from '../../tests/support/database'
import { turnsDuring } from '../../tests/support/turns'

const vault = createVault({ encryptionKey: randomBytes(32), hmacKey: randomBytes(32) })
let db: DB
let closeDb: () => Promise<void>
let campaign: { id: string; slug: string; status: string }
const DAY = 86_400_000

beforeEach(async () => {
  ;({ db, close: closeDb } = await openTestDatabase())
  await seedFirstCampaign(db)
  campaign = await db.selectFrom('campaigns').select(['id', 'slug', 'status']).executeTakeFirstOrThrow()
})
afterEach(async () => {
  await closeDb()
})

async function signAt(email: string, country: string, now: number) {
  const deps = { db, vault, appUrl: 'http://localhost:3000', retentionDays: 14, now }
  await signCampaign(deps, {
    campaign,
    title: 'T',
    locale: 'en',
    ipHash: null,
    input: { name: 'N', email, country, showName: false, newsOptIn: false },
  })
  const payloads = (await db.selectFrom('outbox').select('payload_enc').execute()).map(
    (r) => JSON.parse(vault.decrypt(r.payload_enc!)) as { to: string; props: { confirmUrl: string } },
  )
  const confirmUrl = payloads.find((p) => p.to === email)!.props.confirmUrl
  return new URL(confirmUrl).pathname.split('/').pop()!
}

describe('purging', () => {
  it('deletes unconfirmed signatures after the retention period, with their mail and tokens, and keeps confirmed ones', async () => {
    const now = Date.now()
    await signAt('old-pending@example.org', 'CA', now - 15 * DAY)
    await signAt('new-pending@example.org', 'CA', now - 13 * DAY)
    const token = await signAt('confirmed@example.org', 'CA', now - 20 * DAY)
    expect((await confirmSignature(db, token, now - 19 * DAY)).kind).toBe('confirmed')
    const result = await purgeExpired(db, 14, now)
    expect(result.signatures).toBe(1)
    const left = await db.selectFrom('signatures').select(['email_enc', 'status']).execute()
    expect(left.map((r) => vault.decrypt(r.email_enc)).sort()).toEqual(['confirmed@example.org', 'new-pending@example.org'])
    const orphanMail = await db.selectFrom('outbox').select('id').where('signature_id', 'not in', (eb) => eb.selectFrom('signatures').select('id')).execute()
    expect(orphanMail).toHaveLength(0)
  })

  it('purges in slices, each its own transaction, letting other work run between them', async () => {
    const now = Date.now()
    for (let i = 0; i < 7; i++) await signAt(`old-${i}@example.org`, 'SE', now - 20 * DAY)
    await signAt('recent@example.org', 'SE', now - DAY)
    const token = await signAt('kept@example.org', 'SE', now - 30 * DAY)
    expect((await confirmSignature(db, token, now - 29 * DAY)).kind).toBe('confirmed')
    // Another task waiting for a turn of the event loop: it gets one between slices, not only at the end.
    const { result, turns } = await turnsDuring(() => purgeExpired(db, 14, now, 2))
    expect(result.signatures).toBe(7)
    expect(turns).toBeGreaterThanOrEqual(3)
    const left = await db.selectFrom('signatures').select('email_enc').execute()
    expect(left.map((r) => vault.decrypt(r.email_enc)).sort()).toEqual(['kept@example.org', 'recent@example.org'])
    const orphanMail = await db.selectFrom('outbox').select('id').where('signature_id', 'not in', (eb) => eb.selectFrom('signatures').select('id')).execute()
    expect(orphanMail).toHaveLength(0)
    // A second run finds nothing more to do.
    expect((await purgeExpired(db, 14, now, 2)).signatures).toBe(0)
  })

  it('takes every expired token and every month-old sent email across slices, and nothing younger', async () => {
    const now = Date.now()
    const token = await signAt('kept-signer@example.org', 'SE', now - DAY)
    expect((await confirmSignature(db, token, now - DAY + 1)).kind).toBe('confirmed')
    const { id: signatureId } = await db.selectFrom('signatures').select('id').executeTakeFirstOrThrow()
    const hash = (i: number) => `${String(i).padStart(2, '0')}-token`
    // Keys out of time order, so a pick that went on by time instead of by key would skip some.
    const tokens = Array.from({ length: 9 }, (_, i) => ({ token_hash: hash((i * 7) % 9), signature_id: signatureId, purpose: 'withdraw' as const, created_at: now - 40 * DAY, expires_at: now - (i % 2 ? 20 : 1) * DAY, used_at: null }))
    await db.insertInto('tokens').values(tokens).execute()
    const mail = Array.from({ length: 9 }, (_, i) => ({
      id: `mail-${(i * 5) % 9}`,
      template: 'confirm',
      locale: 'en',
      payload_enc: null,
      status: (i === 4 ? 'pending' : 'sent') as 'pending' | 'sent',
      attempts: 1,
      next_attempt_at: now,
      last_error: null,
      provider_id: null,
      signature_id: null,
      campaign_id: null,
      created_at: now - (i < 7 ? 31 : 29) * DAY,
      sent_at: now - 29 * DAY,
    }))
    await db.insertInto('outbox').values(mail).execute()
    const result = await purgeExpired(db, 14, now, 2)
    // Expired 14 days before the cutoff: the odd ones; the others expired a day ago and stay.
    expect(result.tokens).toBe(4)
    const leftTokens = (await db.selectFrom('tokens').select('token_hash').where('token_hash', 'like', '%-token').execute()).map((t) => t.token_hash).sort()
    expect(leftTokens).toEqual(tokens.filter((_, i) => i % 2 === 0).map((t) => t.token_hash).sort())
    // Sent more than 30 days ago: gone; the pending one and the younger two stay.
    const leftMail = (await db.selectFrom('outbox').select('id').where('id', 'like', 'mail-%').execute()).map((m) => m.id).sort()
    expect(leftMail).toEqual([mail[4].id, mail[7].id, mail[8].id].sort())
  })
})

describe('reconcile', () => {
  it('finds no drift after normal use, then finds and repairs a tampered counter', async () => {
    for (const [email, country] of [['a@example.org', 'SE'], ['b@example.org', 'SE'], ['c@example.org', 'IR']] as const) {
      expect((await confirmSignature(db, await signAt(email, country, Date.now()))).kind).toBe('confirmed')
    }
    expect(await reconcileCounts(db, { repair: false })).toEqual([])
    await db.updateTable('country_counts').set({ verified_count: 7 }).where('country_code', '=', 'SE').execute()
    const drift = await reconcileCounts(db, { repair: true })
    expect(drift).toEqual([{ campaignId: campaign.id, country: 'SE', stored: 7, actual: 2 }])
    expect(await reconcileCounts(db, { repair: false })).toEqual([])
    const se = await db.selectFrom('country_counts').select('verified_count').where('country_code', '=', 'SE').executeTakeFirstOrThrow()
    expect(se.verified_count).toBe(2)
  })
  it('repairs a total that drifted from its countries, and invalidated counts', async () => {
    for (const email of ['t1@example.org', 't2@example.org']) expect((await confirmSignature(db, await signAt(email, 'FR', Date.now()))).kind).toBe('confirmed')
    await db.updateTable('campaign_counts').set({ verified_count: 40, invalidated_count: 3 }).where('campaign_id', '=', campaign.id).execute()
    const drift = await reconcileCounts(db, { repair: true })
    expect(drift).toEqual([
      { campaignId: campaign.id, country: null, stored: 40, actual: 2 },
      { campaignId: campaign.id, country: null, stored: 3, actual: 0, counter: 'invalidated' },
    ])
    expect(await reconcileCounts(db, { repair: false })).toEqual([])
  })

  it('repairs by the drift it found, so a confirmation made after its recount still counts', async () => {
    expect((await confirmSignature(db, await signAt('first@example.org', 'SE', Date.now()))).kind).toBe('confirmed')
    await db.updateTable('country_counts').set({ verified_count: 5 }).where('country_code', '=', 'SE').execute()
    await db.updateTable('campaign_counts').set({ verified_count: 5 }).where('campaign_id', '=', campaign.id).execute()
    // What reconcile read: SE stored 5, recounted 1. Then a signer confirms before the repair is written.
    const [found] = await reconcileCounts(db, { repair: false })
    expect(found).toMatchObject({ country: 'SE', stored: 5, actual: 1 })
    expect((await confirmSignature(db, await signAt('meanwhile@example.org', 'SE', Date.now()))).kind).toBe('confirmed')
    await db.transaction().execute((trx) => repairCounts(trx, campaign.id, { byCountry: [['SE', found.actual - found.stored]], total: found.actual - found.stored, invalidated: 0 }, Date.now()))
    expect(await reconcileCounts(db, { repair: false })).toEqual([])
    const se = await db.selectFrom('country_counts').select('verified_count').where('country_code', '=', 'SE').executeTakeFirstOrThrow()
    expect(Number(se.verified_count)).toBe(2)
  })

  it('refuses a second repair while one holds the lease, so the same drift is never added twice', async () => {
    expect((await confirmSignature(db, await signAt('once@example.org', 'SE', Date.now()))).kind).toBe('confirmed')
    await db.updateTable('campaign_counts').set({ verified_count: 9 }).where('campaign_id', '=', campaign.id).execute()
    // Another run in progress (another process, or this one: each run holds the lease as itself): refused, nothing moved; a check still reads.
    await db.updateTable('country_counts').set({ verified_count: 9 }).where('country_code', '=', 'SE').execute()
    expect(await acquireLease(db, 'reconcile-repair', 60_000, '00000000-0000-4000-8000-000000000000')).toBe(true)
    await expect(reconcileCounts(db, { repair: true })).rejects.toBeInstanceOf(ReconcileBusyError)
    expect(await reconcileCounts(db, { repair: false })).toEqual(expect.arrayContaining([expect.objectContaining({ country: 'SE', stored: 9, actual: 1 })]))
    await releaseLease(db, 'reconcile-repair', '00000000-0000-4000-8000-000000000000')
    await reconcileCounts(db, { repair: true })
    expect(await reconcileCounts(db, { repair: false })).toEqual([])
    const se = await db.selectFrom('country_counts').select('verified_count').where('country_code', '=', 'SE').executeTakeFirstOrThrow()
    expect(Number(se.verified_count)).toBe(1)
  })
})
