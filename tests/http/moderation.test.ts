import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reconcileCounts } from '../../app/models/counts.server'
import { backfillDomainHashes } from '../../app/models/moderation.server'
import { Client } from '../support/http'
import { signedInAs } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'
import { seedSignatures, SLUG, storedCounts } from '../support/signatures'

let server: TestServer
let organiser: Client
const page = `/admin/campaigns/${SLUG}/moderation`

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_LOGIN_PER_IP: '1000', FRAUD_IP_PER_HOUR: '5' })
  ;({ client: organiser } = await signedInAs(server, 'organiser'))
})
afterAll(async () => {
  await server?.stop()
})

const noDrift = async () => expect(await reconcileCounts(server.db, { repair: false })).toEqual([])

async function signatureStatus(id: string) {
  return (await server.db.selectFrom('signatures').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status
}

describe('moderation access', () => {
  it('refuses viewers with 403, for the page and for every action', async () => {
    const { client } = await signedInAs(server, 'viewer')
    expect((await client.get(page)).status).toBe(403)
    const [id] = await seedSignatures(server, [{ email: 'viewer-target@example.org' }])
    const res = await client.post(page, { intent: 'invalidate', id })
    expect(res.status).toBe(403)
    expect(await signatureStatus(id)).toBe('verified')
  })
})

describe('finding signatures', () => {
  it('finds a signature by exact email through the keyed hash, whatever its case or +tag', async () => {
    await seedSignatures(server, [
      { email: 'Shirin.Example@Example.org', name: 'Shirin Example', country: 'SE' },
      { email: 'someone.else@example.org', name: 'Someone Else', country: 'SE' },
    ])
    const client = organiser
    const html = await (await client.get(`${page}?email=${encodeURIComponent('shirin.example+petition@example.org')}`)).text()
    expect(html).toContain('1 signature found')
    expect(html).toContain('Shirin Example')
    expect(html).not.toContain('Someone Else')
  })

  it('finds by part of a name, by email domain, and by country and status together', async () => {
    await seedSignatures(server, [
      { email: 'a@namesearch.example', name: 'Maryam Rostami', country: 'NO' },
      { email: 'b@namesearch.example', name: 'Reza Karimi', country: 'NO', status: 'pending' },
      { email: 'c@other.example', name: 'Maryam Other', country: 'FI' },
    ])
    const client = organiser
    const byName = await (await client.get(`${page}?name=rostami`)).text()
    expect(byName).toContain('Maryam Rostami')
    expect(byName).not.toContain('Maryam Other')
    const byDomain = await (await client.get(`${page}?domain=NameSearch.example`)).text()
    expect(byDomain).toContain('2 signatures found')
    const pendingInNorway = await (await client.get(`${page}?country=NO&status=pending`)).text()
    expect(pendingInNorway).toContain('Reza Karimi')
    expect(pendingInNorway).not.toContain('Maryam Rostami')
  })
})

describe('email domains', () => {
  it('stores the domain hash at signing and backfills rows signed before it existed', async () => {
    const signer = new Client(server.url)
    const res = await signer.post(`/campaigns/${SLUG}?lang=en`, { name: 'Domain Signer', email: 'someone@Signed-Domain.example', country: 'CA' })
    expect(res.status).toBe(303)
    const [old] = await seedSignatures(server, [{ email: 'older@backfill.example', name: 'Older Signer' }])
    await server.db.updateTable('signatures').set({ email_domain_hash: null }).where('id', '=', old).execute()
    expect(await (await organiser.get(`${page}?domain=backfill.example`)).text()).toContain('0 signatures found')
    expect(await backfillDomainHashes(server.db, server.vault)).toBe(1)

    expect(await (await organiser.get(`${page}?domain=signed-domain.example`)).text()).toContain('Domain Signer')
    expect(await (await organiser.get(`${page}?domain=backfill.example`)).text()).toContain('Older Signer')
  })
})

describe('invalidation', () => {
  it('previews a rule, applies it, moves every count exactly, and undoes it', async () => {
    // In the past: a rule touches only signatures made before it is applied (ADR 112).
    const hour = Date.UTC(2024, 0, 1, 10)
    const spam = await seedSignatures(server, [
      ...Array.from({ length: 5 }, (_, i) => ({ email: `bot${i}@spam.example`, country: 'FR', createdAt: hour + i * 1000 })),
      { email: 'bot-pending@spam.example', country: 'FR', status: 'pending' as const, createdAt: hour },
      { email: 'bot-de@spam.example', country: 'DE', createdAt: hour },
    ])
    const keep = await seedSignatures(server, [{ email: 'real@fine.example', country: 'FR', createdAt: hour }])
    const before = await storedCounts(server)
    const client = organiser

    const preview = await (await client.get(`${page}?r_domain=spam.example`)).text()
    expect(preview).toMatch(/data-preview-total="?[^>]*>7</)
    expect(preview).toMatch(/data-preview-verified="?[^>]*>6</)
    expect(preview).toMatch(/data-preview-pending="?[^>]*>1</)
    // Previewing changes nothing.
    expect(await storedCounts(server)).toEqual(before)

    // A stale preview is refused rather than applied to more than was shown.
    const stale = await client.post(`${page}?r_domain=spam.example`, { intent: 'apply-rule', r_domain: 'spam.example', expected: '6' })
    expect(stale.status).toBe(409)
    expect(await storedCounts(server)).toEqual(before)

    const applied = await client.post(`${page}?r_domain=spam.example`, {
      intent: 'apply-rule',
      r_domain: 'spam.example',
      expected: '7',
      reason: 'one sender',
    })
    expect(applied.status).toBe(303)
    const after = await storedCounts(server)
    expect(after.verified).toBe(before.verified - 6)
    expect(after.invalidated).toBe(before.invalidated + 7)
    expect(after.byCountry.FR).toBe(before.byCountry.FR - 5)
    expect(after.byCountry.DE ?? 0).toBe((before.byCountry.DE ?? 0) - 1)
    for (const id of spam) expect(await signatureStatus(id)).toBe('invalidated')
    expect(await signatureStatus(keep[0])).toBe('verified')
    await noDrift()

    // The public count follows.
    const pub = (await (await fetch(`${server.url}/campaigns/${SLUG}.json`)).json()) as { signature_count: number }
    expect(pub.signature_count).toBe(after.verified)

    const batch = await server.db.selectFrom('invalidation_batches').select('id').orderBy('created_at', 'desc').executeTakeFirstOrThrow()
    const undone = await client.post(page, { intent: 'undo-batch', batch: batch.id })
    expect(undone.status).toBe(303)
    expect(await storedCounts(server)).toEqual(before)
    expect(await signatureStatus(spam[5])).toBe('pending')
    expect(await signatureStatus(spam[0])).toBe('verified')
    await noDrift()
    expect((await client.post(page, { intent: 'undo-batch', batch: batch.id })).status).toBe(409)

    const audit = await server.db.selectFrom('audit_log').select('action').where('action', 'like', 'signatures.%').execute()
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['signatures.invalidate-rule', 'signatures.undo-rule']))
  })

  it('applies a rule by IP hash within a time window only', async () => {
    const t0 = Date.UTC(2024, 1, 1, 9)
    const ids = await seedSignatures(server, [
      { email: 'w1@window.example', ipHash: 'IPWINDOW', createdAt: t0 + 10 * 60_000 },
      { email: 'w2@window.example', ipHash: 'IPWINDOW', createdAt: t0 + 20 * 60_000 },
      { email: 'w3@window.example', ipHash: 'IPWINDOW', createdAt: t0 + 3 * 3_600_000 },
    ])
    const client = organiser
    const q = `r_ip=IPWINDOW&r_from=2024-02-01T09:00&r_to=2024-02-01T10:00`
    expect(await (await client.get(`${page}?${q}`)).text()).toMatch(/data-preview-total="?[^>]*>2</)
    const res = await client.post(`${page}?${q}`, { intent: 'apply-rule', r_ip: 'IPWINDOW', r_from: '2024-02-01T09:00', r_to: '2024-02-01T10:00', expected: '2' })
    expect(res.status).toBe(303)
    expect([await signatureStatus(ids[0]), await signatureStatus(ids[1]), await signatureStatus(ids[2])]).toEqual(['invalidated', 'invalidated', 'verified'])
    await noDrift()
  })

  it('invalidates one signature and restores it, both in its history with who did it', async () => {
    const [id] = await seedSignatures(server, [{ email: 'single@one.example', name: 'Single Signer', country: 'IE' }])
    const before = await storedCounts(server)
    const client = organiser
    expect((await client.post(page, { intent: 'invalidate', id, reason: 'duplicate person' })).status).toBe(303)
    expect(await signatureStatus(id)).toBe('invalidated')
    const mid = await storedCounts(server)
    expect(mid.byCountry.IE ?? 0).toBe(before.byCountry.IE - 1)
    expect(mid.invalidated).toBe(before.invalidated + 1)
    // Invalidating twice changes nothing more.
    await client.post(page, { intent: 'invalidate', id })
    expect(await storedCounts(server)).toEqual(mid)
    await noDrift()

    expect((await client.post(page, { intent: 'restore', id })).status).toBe(303)
    expect(await storedCounts(server)).toEqual(before)
    await noDrift()

    const history = await (await client.get(`${page}?signature=${id}`)).text()
    expect(history).toContain('Signed')
    expect(history).toContain('Confirmed by the signer')
    expect(history).toContain('Invalidated by organiser tester (duplicate person)')
    expect(history).toContain('Restored by organiser tester')
  })
})

describe('fraud flags', () => {
  it('shows IP bursts, disposable domains and country mismatches on the moderation page', async () => {
    const t = Date.now() - 2 * 3_600_000
    await seedSignatures(server, [
      ...Array.from({ length: 6 }, (_, i) => ({ email: `burst${i}@burst.example`, ipHash: 'BURSTIPHASH', createdAt: t + i * 60_000 })),
      { email: 'throwaway@mailinator.com', createdAt: t },
      { email: 'abroad@mismatch.example', country: 'DE', ipCountry: 'RU', createdAt: t },
    ])
    const client = organiser
    const html = await (await client.get(page)).text()
    const section = (flag: string) => html.split(`data-flag="${flag}"`)[1]?.split('</table>')[0] ?? ''
    expect(section('ip-burst')).toContain('BURSTIPHASH')
    expect(section('disposable')).toContain('mailinator.com')
    expect(section('country-mismatch')).toMatch(/DE<\/td><td>RU<\/td><td>1</)
  })
})

describe('figures slow to compute (ADR 141)', () => {
  // Every computation counts as slow here: what a campaign of millions sees, at a test's size.
  let slow: TestServer
  let client: Client
  beforeAll(async () => {
    slow = await startTestServer({ RATE_LIMIT_LOGIN_PER_IP: '1000', FRAUD_IP_PER_HOUR: '5', FIGURES_QUICK_MS: '0' })
    ;({ client } = await signedInAs(slow, 'organiser'))
  })
  afterAll(async () => {
    await slow?.stop()
  })

  /** Reads `read` until `done` holds of it (a background computation finishing), at most 5 s. */
  async function until<T>(read: () => Promise<T>, done: (v: T) => boolean) {
    for (let i = 0; i < 50; i++) {
      const v = await read()
      if (done(v)) return v
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error('never came')
  }

  it('shows the fraud flags of the last computation, with its time, and the newer ones once computed', async () => {
    const first = await (await client.get(page)).text()
    expect(first).toContain('Many verified signatures from one IP')
    expect(first).not.toContain('data-flags="computing"')
    expect(first).not.toContain('As of ')
    const t = Date.now() - 2 * 3_600_000
    await seedSignatures(slow, Array.from({ length: 6 }, (_, i) => ({ email: `later${i}@later.example`, ipHash: 'LATERBURSTHASH', createdAt: t + i * 60_000 })))
    const cached = await (await client.get(page)).text()
    expect(cached).toMatch(/As of \d{4}-\d\d-\d\d \d\d:\d\d UTC/)
    expect(cached).not.toContain('LATERBURSTHASH')
    await until(async () => (await client.get(page)).text(), (html) => html.includes('LATERBURSTHASH'))
  })

  it('answers the dashboard’s live figures from the last computation while a newer one runs', async () => {
    const figures = async () => (await (await client.get(`/admin/campaigns/${SLUG}/figures`)).json()) as { at: number; totals: { verified: number } }
    const before = await figures()
    await seedSignatures(slow, [{ email: 'one-more@later.example' }])
    const cached = await figures()
    expect(cached.totals.verified).toBe(before.totals.verified)
    expect(cached.at).toBe(before.at)
    const after = await until(figures, (f) => f.totals.verified === before.totals.verified + 1)
    expect(after.at).toBeGreaterThan(before.at)
  })
})
