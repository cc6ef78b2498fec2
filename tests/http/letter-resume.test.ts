import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../db'
import { setLetterSender } from '../support/campaigns'
import { freshDatabaseUrl, testEngine, type FreshDatabase } from '../support/database'
import { signedInAs } from '../support/organisers'
import { startTestServer, testSecrets, type TestServer } from '../support/server'
import { SLUG } from '../support/signing'

/** Page text without React's text separators. */
const text = (html: string) => html.replace(/<!-- -->/g, '')

describe('a letter job a stopped server left running (ADR 130)', () => {
  let database: FreshDatabase
  const servers: TestServer[] = []
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.stop()
    await database?.drop()
  })

  it('is resumed by the next start, under its own id, makes every letter and the letters page says it was resumed', async () => {
    database = await freshDatabaseUrl()
    const shared = { ...testSecrets(), DATABASE_URL: database.url }
    const first = await startTestServer(shared)
    servers.push(first)
    await setLetterSender(first, SLUG)
    const { id: campaignId } = await first.db.selectFrom('campaigns').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()
    // Written once the first server is gone: while it runs, its own pick-up could claim the job (it did, on a loaded machine)
    // and then be stopped with it, leaving a fresh heartbeat the next start rightly does not take for a stopped process's.
    await servers.pop()!.stop()
    const { db } = openDatabase(database.url)
    // As a killed process leaves it. On SQLite the server is the only process, so a job running when
    // it starts was the last one's whatever its heartbeat; on PostgreSQL only a stale heartbeat says so.
    const heartbeat = testEngine === 'sqlite' ? Date.now() : Date.now() - 10 * 60_000
    await db
      .insertInto('letter_jobs')
      .values({
        id: 'killed-at-letter-1',
        campaign_id: campaignId,
        status: 'running',
        total: 2,
        done: 1,
        error: null,
        created_by: null,
        started_at: heartbeat,
        finished_at: null,
        heartbeat_at: heartbeat,
        targets_json: JSON.stringify(['NO', 'SE']),
      })
      .execute()
    await db.destroy()

    const second = await startTestServer(shared)
    servers.push(second)
    const until = Date.now() + 20_000
    let job = await second.db.selectFrom('letter_jobs').selectAll().executeTakeFirstOrThrow()
    while (job.status === 'running' && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100))
      job = await second.db.selectFrom('letter_jobs').selectAll().executeTakeFirstOrThrow()
    }
    expect(job).toMatchObject({ id: 'killed-at-letter-1', status: 'done', done: 2, total: 2, resumes: 1 })
    const letters = await second.db.selectFrom('letter_versions').select(['country_code', 'created_at']).orderBy('country_code').execute()
    expect(letters.map((l) => l.country_code)).toEqual(['NO', 'SE'])
    expect(letters[0].created_at).toBe(letters[1].created_at)

    const page = text(await (await (await signedInAs(second, 'viewer')).client.get(`/admin/campaigns/${SLUG}/letters`)).text())
    expect(page).toContain('Last generation finished: 2 of 2')
    expect(page).toContain('The server restarted while these letters were being made; it resumed the generation by itself')
  })
})
