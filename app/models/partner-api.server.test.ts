import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { seedFirstCampaign } from '../../db/seed'
import { openTestDatabase } from '../../tests/support/database'
import type { DB } from '../db.server'
import { timeOrderedId } from '../infra/random.server'
import { createVault } from '../infra/vault.server'
import { authenticateApiKey, createApiKey, parsePagination, personId, revokeApiKey, signatureOfPerson } from './partner-api.server'
import { addPartner, removePartner } from './partner.server'

const vault = createVault({ encryptionKey: randomBytes(32), hmacKey: randomBytes(32) })

describe('person ids', () => {
  it('are opaque, differ per partner, and lead back to the signature only under the same partner', () => {
    const signature = timeOrderedId()
    const a = personId(vault, 'partner-a', signature)
    const b = personId(vault, 'partner-b', signature)
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(a).not.toBe(b)
    expect(signatureOfPerson(vault, 'partner-a', a)).toBe(signature)
    expect(signatureOfPerson(vault, 'partner-b', a)).not.toBe(signature)
    // Another key (another deployment) gives other ids.
    expect(personId(createVault({ encryptionKey: randomBytes(32), hmacKey: randomBytes(32) }), 'partner-a', signature)).not.toBe(a)
    expect(signatureOfPerson(vault, 'partner-a', 'short')).toBeNull()
    expect(signatureOfPerson(vault, 'partner-a', `${a}=`)).toBeNull()
  })
})

describe('pagination parameters', () => {
  it('default to page 1 of 25, take 1 to 100 a page, and refuse anything else with a reason', () => {
    expect(parsePagination(new URLSearchParams(''))).toEqual({ page: 1, perPage: 25 })
    expect(parsePagination(new URLSearchParams('page=3&per_page=100'))).toEqual({ page: 3, perPage: 100 })
    for (const q of ['per_page=101', 'per_page=0', 'page=0', 'page=-2', 'page=2.5', 'per_page=1e2', 'page=x', 'page=9999999999']) {
      expect(parsePagination(new URLSearchParams(q)), q).toHaveProperty('error')
    }
  })
})

describe('API keys', () => {
  let db: DB
  let close: () => Promise<void>
  let campaignId: string
  beforeEach(async () => {
    ;({ db, close } = await openTestDatabase())
    await seedFirstCampaign(db)
    campaignId = (await db.selectFrom('campaigns').select('id').executeTakeFirstOrThrow()).id
  })
  afterEach(async () => {
    await close()
  })

  it('authenticate while current, record their use at most once a minute, and stop at revocation or the partner’s removal', async () => {
    const partner = await addPartner(db, vault, campaignId, { name: 'P', url: null, privacyUrl: null, contactEmail: null, logo: null })
    const { id, key } = await createApiKey(db, { id: partner.id, campaignId }, ['people:read', 'people:read'], 1_000)
    expect(await authenticateApiKey(db, key, 10_000)).toMatchObject({ keyId: id, partnerId: partner.id, campaignId, scopes: ['people:read'] })
    const used = async () => (await db.selectFrom('partner_api_keys').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow()).last_used_at
    expect(Number(await used())).toBe(10_000)
    await authenticateApiKey(db, key, 30_000)
    expect(Number(await used())).toBe(10_000)
    await authenticateApiKey(db, key, 70_000)
    expect(Number(await used())).toBe(70_000)
    // One character off is another key.
    expect(await authenticateApiKey(db, key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A'))).toBeNull()
    expect(await revokeApiKey(db, 'another-campaign', id)).toBe(false)
    expect(await revokeApiKey(db, campaignId, id)).toBe(true)
    expect(await authenticateApiKey(db, key)).toBeNull()

    const second = await createApiKey(db, { id: partner.id, campaignId }, ['campaign:read'])
    expect(await authenticateApiKey(db, second.key)).not.toBeNull()
    await removePartner(db, campaignId, partner.id)
    expect(await authenticateApiKey(db, second.key)).toBeNull()
  })
})
