import { afterAll, beforeAll, expect, it } from 'vitest'
import { SEQUENCER_LEASE, sequenceLog } from '../../app/models/transparency-log.server'
import { startTestServer, type TestServer } from '../support/server'
import { signAndConfirm } from '../support/signing'

/**
 * The log sequencer runs in one process at a time (several may share a PostgreSQL database): the one
 * holding the `log-sequencer` lease. Another process's lease is simulated by a row with a foreign holder.
 */
let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_SIGN_PER_IP: '1000' })
})
afterAll(async () => {
  await server?.stop()
})

const pending = async () => Number((await server.db.selectFrom('log_pending').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
const logged = async () => Number((await server.db.selectFrom('log_entries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
async function until(check: () => Promise<boolean>, ms: number) {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await check()) return true
    await new Promise((r) => setTimeout(r, 100))
  }
  return check()
}

it('sequences only under the lease, and takes over once another process’s lease lapses', async () => {
  // This process sequences while nobody else holds the lease.
  await signAndConfirm(server, { email: 'lease-1@example.org' })
  expect(await until(async () => (await pending()) === 0 && (await logged()) === 1, 10_000)).toBe(true)

  // Another process holds it: what is confirmed now waits for that process.
  await server.db
    .insertInto('leases')
    .values({ name: SEQUENCER_LEASE, holder: 'another-process', expires_at: Date.now() + 60_000 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ holder: 'another-process', expires_at: Date.now() + 60_000 }))
    .execute()
  await signAndConfirm(server, { email: 'lease-2@example.org' })
  await signAndConfirm(server, { email: 'lease-3@example.org' })
  // Several of this process's ticks (one a second) pass without it sequencing.
  await new Promise((r) => setTimeout(r, 3_000))
  expect(await pending()).toBe(2)
  expect(await logged()).toBe(1)

  // The other process dies: its lease lapses, and this one takes over within a tick.
  await server.db.updateTable('leases').set({ expires_at: Date.now() - 1 }).where('name', '=', SEQUENCER_LEASE).execute()
  expect(await until(async () => (await pending()) === 0 && (await logged()) === 3, 10_000)).toBe(true)
  const lease = await server.db.selectFrom('leases').select('holder').where('name', '=', SEQUENCER_LEASE).executeTakeFirstOrThrow()
  expect(lease.holder).not.toBe('another-process')
}, 60_000)

it('appends once when two appenders run at once (the sequencer and a letter’s snapshot)', async () => {
  // This process's timer stays out of it: another holds the lease.
  await server.db
    .insertInto('leases')
    .values({ name: SEQUENCER_LEASE, holder: 'another-process', expires_at: Date.now() + 60_000 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ holder: 'another-process', expires_at: Date.now() + 60_000 }))
    .execute()
  const before = await logged()
  for (const i of [4, 5, 6]) await signAndConfirm(server, { email: `lease-${i}@example.org` })
  expect(await pending()).toBe(3)
  // Two transactions reading the same tree size at once: without one lock for appends, the second fails on the entries' key.
  const results = await Promise.allSettled([sequenceLog(server.db, { config: server.config }), sequenceLog(server.db, { config: server.config })])
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled'])
  expect(await pending()).toBe(0)
  expect(await logged()).toBe(before + 3)
  await server.db.deleteFrom('leases').where('name', '=', SEQUENCER_LEASE).execute()
}, 60_000)
