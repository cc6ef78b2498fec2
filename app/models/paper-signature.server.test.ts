import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { seedFirstCampaign } from '../../db/seed'
import { openTestDatabase } from '../../tests/support/database'
import { seedSignatures, SLUG } from '../../tests/support/signatures'
import type { DB } from '../db.server'
import { createVault } from '../infra/vault.server'
import { readPaperCsv } from '../utils/paper-csv.server'
import { reconcileCounts } from './counts.server'
import { dashboardFigures } from './dashboard.server'
import {
  commitPaperBatch,
  deletePaperBatch,
  getPaperSettings,
  listPaperBatches,
  paperCounts,
  paperFigureForLetter,
  paperSignaturesCsv,
  publicPaperTotal,
  savePaperSettings,
} from './paper-signature.server'

const vault = createVault({ encryptionKey: randomBytes(32), hmacKey: randomBytes(32) })
let db: DB
let closeDb: () => Promise<void>
let campaignId: string

beforeEach(async () => {
  ;({ db, close: closeDb } = await openTestDatabase())
  await seedFirstCampaign(db)
  campaignId = (await db.selectFrom('campaigns').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()).id
  await seedSignatures({ db, vault }, [{ email: 'a@example.org', country: 'IR' }, { email: 'b@example.org', country: 'FR' }])
})
afterEach(async () => {
  await closeDb()
})

const rowsOf = (text: string) => {
  const check = readPaperCsv(new TextEncoder().encode(text), { date: '2026-09-01' })
  expect(check.problems).toEqual([])
  return check.rows
}
const verifiedTotal = async () => (await db.selectFrom('campaign_counts').select('verified_count').where('campaign_id', '=', campaignId).executeTakeFirstOrThrow()).verified_count

describe('paper signatures in storage', () => {
  it('stores a batch sealed, counts it per country apart from the verified counts, and undoes it whole', async () => {
    const before = { verified: await verifiedTotal(), signatures: await db.selectFrom('signatures').selectAll().execute() }
    const { batchId, count } = await commitPaperBatch(db, vault, { campaignId, source: 'csv', rows: rowsOf('name,country,place\nMaryam Example,IR,London vigil\nAli Example,IR,\nClaire Example,FR,\n'), organiserId: null })
    expect(count).toBe(3)
    const stored = await db.selectFrom('paper_signatures').selectAll().where('batch_id', '=', batchId).execute()
    expect(stored).toHaveLength(3)
    // Sealed: no name or place in clear.
    expect(JSON.stringify(stored)).not.toContain('Maryam')
    expect(JSON.stringify(stored)).not.toContain('London')
    expect(stored.map((r) => vault.decrypt(r.name_enc)).sort()).toEqual(['Ali Example', 'Claire Example', 'Maryam Example'])

    const counts = await paperCounts(db, campaignId)
    expect(counts.total).toBe(3)
    expect([...counts.byCountry].sort()).toEqual([['FR', 1], ['IR', 2]])
    // Nothing moved in the email-confirmed world: counters, signatures, and reconcile finds no drift.
    expect(await verifiedTotal()).toBe(before.verified)
    expect(await db.selectFrom('signatures').selectAll().execute()).toEqual(before.signatures)
    expect(await reconcileCounts(db, { repair: false })).toEqual([])
    expect(await db.selectFrom('log_pending').selectAll().execute()).toEqual([])

    const figures = await dashboardFigures(db, vault, campaignId)
    expect(figures.totals.verified).toBe(2)
    expect(figures.paper).toBe(3)
    expect(figures.countries.find((c) => c.code === 'IR')).toMatchObject({ count: 1, paper: 2 })

    const audit = await db.selectFrom('audit_log').select(['action', 'details_json']).where('action', 'like', 'paper.%').execute()
    expect(audit.map((a) => a.action)).toEqual(['paper.batch.add'])
    expect(audit[0].details_json).not.toContain('Maryam')

    expect(await deletePaperBatch(db, { campaignId, batchId, organiserId: null })).toBe(3)
    expect(await db.selectFrom('paper_signatures').selectAll().execute()).toEqual([])
    expect(await listPaperBatches(db, campaignId)).toEqual([])
    expect((await paperCounts(db, campaignId)).total).toBe(0)
    expect(await deletePaperBatch(db, { campaignId, batchId, organiserId: null })).toBeNull()
    expect((await db.selectFrom('audit_log').select('action').where('action', '=', 'paper.batch.undo').execute()).length).toBe(1)
  })

  it('stores a large batch in one transaction, across insert chunks', async () => {
    const text = 'name,country\n' + Array.from({ length: 1_234 }, (_, i) => `Signer ${i},${i % 2 ? 'IR' : 'SE'}`).join('\n')
    await commitPaperBatch(db, vault, { campaignId, source: 'csv', rows: rowsOf(text), organiserId: null })
    expect([...(await paperCounts(db, campaignId)).byCountry].sort()).toEqual([['IR', 617], ['SE', 617]])
    expect((await listPaperBatches(db, campaignId))[0]).toMatchObject({ count: 1_234, countries: ['IR', 'SE'], source: 'csv' })
  })

  it('shows paper publicly and in letters only as the settings say, off by default', async () => {
    await commitPaperBatch(db, vault, { campaignId, source: 'form', rows: rowsOf('name,country\nA,IR\nB,IR\n'), organiserId: null })
    expect(await getPaperSettings(db, campaignId)).toEqual({ showOnPage: false, includeInLetters: false })
    expect(await publicPaperTotal(db, campaignId)).toBeNull()
    expect(await paperFigureForLetter(db, campaignId, 'IR')).toBeNull()
    await savePaperSettings(db, campaignId, { showOnPage: true, includeInLetters: false }, null)
    expect(await publicPaperTotal(db, campaignId)).toBe(2)
    expect(await paperFigureForLetter(db, campaignId, 'IR')).toBeNull()
    await savePaperSettings(db, campaignId, { showOnPage: false, includeInLetters: true }, null)
    expect(await publicPaperTotal(db, campaignId)).toBeNull()
    expect(await paperFigureForLetter(db, campaignId, 'IR')).toBe(2)
    expect(await paperFigureForLetter(db, campaignId, 'FR')).toBeNull()
  })

  it('exports with formula-like cells neutralised, and the export imports back unchanged', async () => {
    await commitPaperBatch(db, vault, { campaignId, source: 'csv', rows: rowsOf('name,country,place\n=cmd|calc,IR,@vigil\n<b>Bold</b>,FR,\n'), organiserId: null })
    const exported = await paperSignaturesCsv(db, vault, campaignId)
    expect(exported).toContain("'=cmd|calc")
    expect(exported).toContain("'@vigil")
    expect(exported).toContain('<b>Bold</b>')
    const again = readPaperCsv(new TextEncoder().encode(exported), {})
    expect(again.problems).toEqual([])
    expect(again.rows.map((r) => [r.name, r.country, r.place]).sort()).toEqual([
      ['<b>Bold</b>', 'FR', null],
      ['=cmd|calc', 'IR', '@vigil'],
    ])
  })
})
