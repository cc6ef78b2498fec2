import { mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startCheckpointer, type Checkpointer } from './checkpointer'
import { openSqliteDatabase as openDatabase } from './index'

const opened: { close(): void }[] = []
const checkpointers: Checkpointer[] = []
afterEach(async () => {
  await Promise.all(checkpointers.splice(0).map((c) => c.stop()))
  for (const s of opened.splice(0)) s.close()
})

function fill(file: string, withCheckpointer: boolean) {
  const { sqlite } = openDatabase(file)
  opened.push(sqlite)
  if (withCheckpointer) checkpointers.push(startCheckpointer(sqlite, file, { everyMs: 20 }))
  else sqlite.pragma('wal_autocheckpoint = 20000')
  sqlite.exec('create table t (id integer primary key, body blob)')
  const insert = sqlite.prepare('insert into t (body) values (?)')
  // About 800 pages, below the serving connection's own backstop: only the worker can copy them.
  for (let i = 0; i < 40; i++) sqlite.transaction(() => { for (let j = 0; j < 20; j++) insert.run(Buffer.alloc(4000, i)) })()
  return sqlite
}

const until = async (check: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
  return check()
}

describe('the checkpoint worker', () => {
  it('copies the write-ahead log into the database file while the serving connection only writes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'checkpoint-'))
    const withWorker = path.join(dir, 'with.db')
    const without = path.join(dir, 'without.db')
    fill(without, false)
    fill(withWorker, true)
    // Without the worker the rows stay in the log; with it they reach the database file.
    expect(await until(() => statSync(withWorker).size > 3_000_000)).toBe(true)
    expect(statSync(without).size).toBeLessThan(100_000)
  })

  it('stops cleanly, and the data written before is all there', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'checkpoint-')), 'app.db')
    const sqlite = fill(file, true)
    await checkpointers.pop()!.stop()
    sqlite.prepare('insert into t (body) values (?)').run(Buffer.from('after'))
    expect((sqlite.prepare('select count(*) as n from t').get() as { n: number }).n).toBe(801)
  })
})
