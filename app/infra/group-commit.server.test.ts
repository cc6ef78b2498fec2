import type { Transaction } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Database, type DB } from '../db.server'
import { createGroupCommit } from './group-commit.server'
import { openTestDatabase } from '../../tests/support/database'

let db: DB
let closeDb: () => Promise<void>

beforeEach(async () => {
  ;({ db, close: closeDb } = await openTestDatabase())
})
afterEach(async () => {
  await closeDb()
})

/** A unit of work: one row in the audit log, so what was committed can be counted. */
const note = (id: string, seen?: Transaction<Database>[]) => async (trx: Transaction<Database>) => {
  seen?.push(trx)
  await trx.insertInto('audit_log').values({ id, organiser_id: null, action: 'test', target: id, details_json: '{}', ip_hash: null, created_at: Date.now() }).execute()
  return id
}
const stored = async () => (await db.selectFrom('audit_log').select('id').where('action', '=', 'test').orderBy('id').execute()).map((r) => r.id)

describe('group commit', () => {
  it('runs the units of work that arrive in one turn in one transaction, each answered with its own result', async () => {
    const writes = createGroupCommit(db)
    const seen: Transaction<Database>[] = []
    const results = await Promise.all(['a', 'b', 'c'].map((id) => writes.run(note(id, seen))))
    expect(results).toEqual(['a', 'b', 'c'])
    expect(new Set(seen).size).toBe(1)
    expect(await stored()).toEqual(['a', 'b', 'c'])
  })

  it('answers a unit only once its transaction is committed', async () => {
    const writes = createGroupCommit(db)
    const id = await writes.run(note('x'))
    // Read outside any transaction: the row is there the moment the caller hears back.
    expect(await stored()).toEqual([id])
  })

  it('keeps the good units when one fails: each is run again on its own, and only the failure is reported', async () => {
    const writes = createGroupCommit(db)
    const outcomes = await Promise.allSettled([
      writes.run(note('a')),
      writes.run(async (trx) => {
        await note('doomed')(trx)
        throw new Error('this unit fails')
      }),
      writes.run(note('c')),
    ])
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toBe('this unit fails')
    // The failed unit's own row went with its rollback.
    expect(await stored()).toEqual(['a', 'c'])
  })

  it('sees earlier units of the same batch, as if they had run one after the other', async () => {
    const writes = createGroupCommit(db)
    const [, count] = await Promise.all([
      writes.run(note('first')),
      writes.run(async (trx) => (await trx.selectFrom('audit_log').select('id').where('action', '=', 'test').execute()).length),
    ])
    expect(count).toBe(1)
  })

  it('splits a burst into transactions of at most maxBatch units', async () => {
    const writes = createGroupCommit(db, { maxBatch: 2 })
    const seen: Transaction<Database>[] = []
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => writes.run(note(id, seen))))
    expect(new Set(seen).size).toBe(3)
    expect(await stored()).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(writes.pending()).toBe(0)
  })
})
