import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FIRST_CAMPAIGN_SLUG, seedFirstCampaign } from '../../db/seed'
import type { DB } from '../db.server'
import { createVault } from '../infra/vault.server'
import { takeSnapshot } from './letter.server'
import { markAtRisk } from './risk-policy.server'
import { openTestDatabase } from '../../tests/support/database'
import { seedSignatures } from '../../tests/support/signatures'
import { turnsDuring } from '../../tests/support/turns'

let db: DB
let closeDb: () => Promise<void>
let campaignId: string
const secrets = { ENCRYPTION_KEY: randomBytes(32), HMAC_KEY: randomBytes(32), SESSION_SECRET: randomBytes(32), ED25519_PRIVATE_KEY: randomBytes(32) }
const vault = createVault({ encryptionKey: secrets.ENCRYPTION_KEY, hmacKey: secrets.HMAC_KEY })
const deps = () => ({ db, vault, config: { appUrl: 'https://petition.example', secrets } })

beforeEach(async () => {
  ;({ db, close: closeDb } = await openTestDatabase())
  await seedFirstCampaign(db)
  campaignId = (await db.selectFrom('campaigns').select('id').where('slug', '=', FIRST_CAMPAIGN_SLUG).executeTakeFirstOrThrow()).id
  // 30 signers in three states, a third showing their name, some confirmed in the same millisecond (keyset ties).
  const at = Date.now() - 60_000
  await seedSignatures(
    { db, vault },
    Array.from({ length: 30 }, (_, i) => ({
      email: `s${i}@example.org`,
      name: `Signer ${String(i).padStart(2, '0')}`,
      country: ['NO', 'IR', 'FR'][i % 3],
      showName: i % 3 !== 1 || i % 2 === 0,
      createdAt: at + Math.floor(i / 4),
    })),
    FIRST_CAMPAIGN_SLUG,
  )
  // Confirmed when created, so several share one millisecond (the page boundary's tie-break on id).
  await db.updateTable('signatures').set((eb) => ({ confirmed_at: eb.ref('created_at') })).execute()
  await markAtRisk(db, campaignId, 'IR', null)
})
afterEach(async () => {
  await closeDb()
})

const summary = (s: Awaited<ReturnType<typeof takeSnapshot>>) => ({
  total: s.total,
  countryTotal: s.countryTotal,
  byCountry: Object.fromEntries([...s.byCountry].map(([c, e]) => [c, { leaves: e.leaves.map((l) => l.toString('hex')), names: e.names }])),
})

describe('a letter snapshot', () => {
  it('reads the signatures in slices with a turn of the event loop between them, and gives what one unbroken read gives', async () => {
    const now = Date.now()
    const whole = await takeSnapshot(deps(), campaignId, now, 10_000)
    const { result: sliced, turns } = await turnsDuring(() => takeSnapshot(deps(), campaignId, now, 4))
    // 30 rows in slices of 4: at least 7 turns between slices, whatever the engine's own waits add.
    expect(turns).toBeGreaterThanOrEqual(7)
    expect(summary(sliced)).toEqual(summary(whole))
    expect(sliced.total).toBe(30)
    expect(sliced.byCountry.get('NO')?.leaves).toHaveLength(10)
    // Leaves sorted by their bytes; names only where shown, never for a state at risk.
    const no = sliced.byCountry.get('NO')!.leaves
    expect([...no].sort(Buffer.compare)).toEqual(no)
    expect(sliced.byCountry.get('IR')?.names).toEqual([])
    expect(sliced.byCountry.get('FR')?.names).toHaveLength(10)
    expect(sliced.byCountry.get('NO')?.names).toEqual([...sliced.byCountry.get('NO')!.names].sort())
  })
})
