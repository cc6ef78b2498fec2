import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSqliteDatabase } from './index'
import { openReadWorker } from './read-worker'

// The read worker is SQLite's (on PostgreSQL the serving pool reads): it runs on a SQLite file under either engine's run.
const dir = mkdtempSync(path.join(tmpdir(), 'read-worker-'))
const file = path.join(dir, 'read.db')
const serving = openSqliteDatabase(file)
const reader = openReadWorker(file)
const rdb = reader.db as unknown as Kysely<any>
const wdb = serving.db as unknown as Kysely<any>

beforeAll(async () => {
  await sql`create table items (id integer primary key, label text not null, data blob)`.execute(wdb)
  const rows = Array.from({ length: 5_000 }, (_, i) => ({ id: i + 1, label: `item ${i + 1}`, data: Buffer.from([i % 256, 7]) }))
  for (let i = 0; i < rows.length; i += 500) await wdb.insertInto('items').values(rows.slice(i, i + 500)).execute()
})

afterAll(async () => {
  await reader.db.destroy()
  await serving.db.destroy()
  rmSync(dir, { recursive: true, force: true })
})

// A query that keeps SQLite busy for a while: a recursive count to two million.
const slow = sql<{ n: number }>`with recursive c(x) as (select 1 union all select x + 1 from c where x < 2000000) select count(*) as n from c`

describe('the read worker', () => {
  it('answers what the serving connection answers, binding values and giving blobs back as Buffers', async () => {
    const key = Buffer.from([42, 7])
    const query = (db: Kysely<any>) => db.selectFrom('items').selectAll().where('id', '>', 40).where('data', '!=', key).orderBy('id').limit(3).execute()
    const fromWorker = await query(rdb)
    expect(fromWorker).toEqual(await query(wdb))
    // Item 43 holds [42, 7]: the Buffer bound as a value leaves it out.
    expect(fromWorker.map((r) => r.id)).toEqual([41, 42, 44])
    expect(Buffer.isBuffer(fromWorker[0].data)).toBe(true)
    // Rows written after it opened are seen: each query reads the latest commit.
    await wdb.insertInto('items').values({ id: 9_999, label: 'late', data: null }).execute()
    expect(await rdb.selectFrom('items').select('label').where('id', '=', 9_999).executeTakeFirst()).toEqual({ label: 'late' })
    expect(reader.threadId()).toBeGreaterThan(0)
  })

  it('leaves the event loop free while a long query runs', async () => {
    const order: string[] = []
    const query = slow.execute(rdb).then(() => order.push('query'))
    await new Promise((r) => setTimeout(r, 5)).then(() => order.push('timer'))
    await query
    // On the serving connection the same query holds the thread: the timer can only fire after it.
    expect(order).toEqual(['timer', 'query'])
    const onServing: string[] = []
    const blocking = slow.execute(wdb).then(() => onServing.push('query'))
    await new Promise((r) => setTimeout(r, 5)).then(() => onServing.push('timer'))
    await blocking
    expect(onServing).toEqual(['query', 'timer'])
  })

  it('refuses to write and to open a transaction', async () => {
    await expect(rdb.insertInto('items').values({ id: 10_001, label: 'no' }).execute()).rejects.toThrow(/does not write/)
    await expect(rdb.transaction().execute(async () => {})).rejects.toThrow(/no transactions/)
    expect(await wdb.selectFrom('items').select('id').where('id', '=', 10_001).executeTakeFirst()).toBeUndefined()
  })

  it('streams in chunks, answering other queries between chunks, and frees it when the reader stops', async () => {
    const seen: number[] = []
    let answeredMidStream = false
    for await (const row of rdb.selectFrom('items').select('id').orderBy('id').stream(100)) {
      seen.push(row.id as number)
      if (seen.length === 150) {
        // Another read while the stream is open: it is answered, not queued behind the whole stream.
        const other = await rdb.selectFrom('items').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
        answeredMidStream = Number(other.n) >= 5_000
      }
    }
    expect(seen.length).toBe(5_001)
    expect(answeredMidStream).toBe(true)

    let early = 0
    for await (const _ of rdb.selectFrom('items').select('id').stream(50)) {
      if (++early === 10) break
    }
    expect(early).toBe(10)
    // Still answering after the abandoned stream.
    expect((await rdb.selectFrom('items').select('id').where('id', '=', 1).execute()).length).toBe(1)
  })
})
