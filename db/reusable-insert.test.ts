import type { Insertable } from 'kysely'
import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type Database, type DB } from './index'
import { reusableInsert } from './reusable-insert'
import { openTestDatabase } from '../tests/support/database'

let db: DB
let closeDb: () => Promise<void>
beforeEach(async () => {
  ;({ db, close: closeDb } = await openTestDatabase())
})
afterEach(async () => {
  await closeDb()
})

type Audit = Insertable<Database['audit_log']>
const row = (id: string, extra: Partial<Audit> = {}): Audit => ({ id, organiser_id: null, action: 'test', target: `t-${id}`, details_json: '{}', ip_hash: null, created_at: 1, ...extra })
const all = () => db.selectFrom('audit_log').selectAll().orderBy('id').execute()

describe('reusableInsert', () => {
  it('builds a shape once and stores every later row with its own values', async () => {
    const build = vi.fn((d: DB, rows: Audit[]) => d.insertInto('audit_log').values(rows))
    const insert = reusableInsert(build)
    await insert(db, [row('a')])
    await insert(db, [row('b', { target: 'other', ip_hash: 'h' })])
    await insert(db, [row('c', { created_at: 3 })])
    expect(build).toHaveBeenCalledTimes(1)
    expect((await all()).map((r) => [r.id, r.target, r.ip_hash, r.created_at])).toEqual([
      ['a', 't-a', null, 1],
      ['b', 'other', 'h', 1],
      ['c', 't-c', null, 3],
    ])
  })

  it('tells several rows from one, and columns in another order from the first', async () => {
    const build = vi.fn((d: DB, rows: Audit[]) => d.insertInto('audit_log').values(rows))
    const insert = reusableInsert(build)
    await insert(db, [row('a'), row('b')])
    await insert(db, [row('c')])
    const { id, ...rest } = row('d')
    await insert(db, [{ ...rest, id }])
    await insert(db, [row('e'), row('f')])
    expect(build).toHaveBeenCalledTimes(3)
    expect((await all()).map((r) => r.id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f'])
  })

  it('builds afresh every time where the SQL holds a value of its own', async () => {
    // The action is written into the SQL, not bound: the same SQL cannot be reused for other rows.
    const build = vi.fn((d: DB, rows: Audit[]) => d.insertInto('audit_log').values(rows.map((r) => ({ ...r, action: sql.lit(r.action) as never }))))
    const insert = reusableInsert(build)
    await insert(db, [row('a', { action: 'one' })])
    await insert(db, [row('b', { action: 'two' })])
    await insert(db, [row('c', { action: 'three' })])
    expect(build).toHaveBeenCalledTimes(3)
    expect((await all()).map((r) => [r.id, r.action])).toEqual([
      ['a', 'one'],
      ['b', 'two'],
      ['c', 'three'],
    ])
  })

  it('builds afresh every time for rows whose columns differ from one another', async () => {
    const build = vi.fn((d: DB, rows: Audit[]) => d.insertInto('audit_log').values(rows))
    const insert = reusableInsert(build)
    const { ip_hash: _a, ...withoutIp } = row('b', { ip_hash: 'never stored' })
    await insert(db, [row('a', { ip_hash: 'h' }), withoutIp])
    const { ip_hash: _c, ...again } = row('d')
    await insert(db, [row('c', { ip_hash: 'h' }), again])
    expect(build).toHaveBeenCalledTimes(2)
    expect((await all()).map((r) => [r.id, r.ip_hash])).toEqual([
      ['a', 'h'],
      ['b', null],
      ['c', 'h'],
      ['d', null],
    ])
  })

  it('answers with the rows it stored, so an insert that did nothing is seen', async () => {
    const insert = reusableInsert((d: DB, rows: Audit[]) => d.insertInto('audit_log').values(rows).onConflict((oc) => oc.column('id').doNothing()))
    expect(Number((await insert(db, [row('a')])).numAffectedRows)).toBe(1)
    expect(Number((await insert(db, [row('a', { target: 'again' })])).numAffectedRows)).toBe(0)
    expect((await all()).map((r) => r.target)).toEqual(['t-a'])
  })
})
