import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { seedFirstCampaign } from '../../db/seed'
import { openTestDatabase } from '../../tests/support/database'
import { seedSignatures, SLUG } from '../../tests/support/signatures'
import { type DB } from '../db.server'
import { createVault } from '../infra/vault.server'
import { reconcileCounts } from './counts.server'
import { turnsDuring } from '../../tests/support/turns'
import { applyRule, listBatches, previewRule, resumeRuleBatches, undoBatch } from './moderation.server'

const vault = createVault({
  encryptionKey: randomBytes(32),
  hmacKey: randomBytes(32),
})
let db: DB
let closeDb: () => Promise<void>
let campaignId: string
const actor = { organiserId: null, reason: 'spam wave' }
const rule = { domain: 'spam.example' }

beforeEach(async () => {
  ;({ db, close: closeDb } = await openTestDatabase())
  await seedFirstCampaign(db)
  campaignId = (await db.selectFrom('campaigns').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()).id
  await seedSignatures({ db, vault }, [
    ...Array.from({ length: 9 }, (_, i) => ({
      email: `bot${i}@spam.example`,
      country: i % 2 ? 'SE' : 'IR',
    })),
    ...Array.from({ length: 2 }, (_, i) => ({
      email: `late${i}@spam.example`,
      status: 'pending' as const,
    })),
    { email: 'real@example.org', country: 'SE' },
  ])
})
afterEach(async () => {
  await closeDb()
})

const verifiedCount = async () =>
  Number((await db.selectFrom('campaign_counts').select('verified_count').where('campaign_id', '=', campaignId).executeTakeFirstOrThrow()).verified_count)
const byStatus = async () =>
  Object.fromEntries(
    (
      await db
        .selectFrom('signatures')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute()
    ).map((r) => [r.status, Number(r.n)]),
  )

describe('a moderation rule in slices', () => {
  it('applies and undoes a slice at a time, letting the event loop turn between slices, and ends with exact counts', async () => {
    expect(await verifiedCount()).toBe(10)
    const { result, turns } = await turnsDuring(() => applyRule(db, vault, campaignId, rule, { ...actor, expected: 11 }, Date.now(), 3))
    expect(result).toMatchObject({
      kind: 'done',
      change: { changed: 11, verified: 9 },
    })
    // 11 rows in slices of 3: four slices, each followed by a turn.
    expect(turns).toBeGreaterThanOrEqual(4)
    expect(await byStatus()).toEqual({ invalidated: 11, verified: 1 })
    expect(await verifiedCount()).toBe(1)
    const [batch] = await listBatches(db, vault, campaignId)
    expect(batch).toMatchObject({ state: 'done', done_count: 11, count: 11 })
    expect(await reconcileCounts(db, { repair: false })).toEqual([])

    if (result.kind !== 'done') throw new Error('not applied')
    expect(await undoBatch(db, vault, campaignId, result.batchId, actor, Date.now(), 4)).toEqual({ kind: 'done', change: { changed: 11, verified: 9 } })
    expect(await byStatus()).toEqual({ verified: 10, pending: 2 })
    expect(await verifiedCount()).toBe(10)
    expect((await listBatches(db, vault, campaignId))[0]).toMatchObject({
      state: 'undone',
      done_count: 11,
    })
    expect(await undoBatch(db, vault, campaignId, result.batchId, actor)).toEqual({ kind: 'already-undone' })
    expect(await reconcileCounts(db, { repair: false })).toEqual([])
  })

  it('finishes a batch a stopped process left applying, only once its heartbeat is stale, and never touches signatures made after it', async () => {
    const now = Date.now()
    // As a crash leaves it: a batch recorded as applying, its heartbeat just beaten, no slice done yet.
    const batchId = 'b0000000-0000-4000-8000-000000000001'
    await db
      .insertInto('invalidation_batches')
      .values({
        id: batchId,
        campaign_id: campaignId,
        rule_json: JSON.stringify(rule),
        reason: null,
        organiser_id: null,
        count: 11,
        created_at: now,
        undone_at: null,
        undone_by: null,
        state: 'applying',
        done_count: 0,
        heartbeat_at: now,
      })
      .execute()
    // A spam signature made after the batch: the organiser never saw it in the preview.
    await seedSignatures({ db, vault }, [{ email: 'after@spam.example', createdAt: now + 5_000 }])
    expect(await resumeRuleBatches(db, vault, now + 10_000)).toBe(0)
    expect((await listBatches(db, vault, campaignId)).find((b) => b.id === batchId)).toMatchObject({ state: 'applying' })
    expect(await undoBatch(db, vault, campaignId, batchId, actor)).toEqual({
      kind: 'still-applying',
    })

    expect(await resumeRuleBatches(db, vault, now + 120_000)).toBe(1)
    expect((await listBatches(db, vault, campaignId)).find((b) => b.id === batchId)).toMatchObject({ state: 'done', done_count: 11 })
    expect(await byStatus()).toEqual({ invalidated: 11, verified: 2 })
    expect((await previewRule(db, vault, campaignId, rule)).total).toBe(1)
    expect(await reconcileCounts(db, { repair: false })).toEqual([])
  })
})
