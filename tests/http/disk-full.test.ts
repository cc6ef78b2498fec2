import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { testEngine } from '../support/database'
import { Client } from '../support/http'
import { startTestServer, type TestServer } from '../support/server'
import { signForm, SLUG } from '../support/signing'

/**
 * A full disk, as SQLite meets it: the server's own connection may not grow the file any more
 * (`max_page_count`), so every write that needs a page fails with SQLITE_FULL.
 */
describe.skipIf(testEngine !== 'sqlite')('a full disk', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_SIGN_PER_IP: '1000' })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('answers a translated error page, never raw message keys, in the reader’s language', async () => {
    // The failure is logged, by name and place only (never a message that could quote a token or address).
    const logged: string[] = []
    vi.mocked(console.error).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')))
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(server.db)
    await sql.raw(`pragma max_page_count = ${rows[0].page_count}`).execute(server.db)
    let res: Response | null = null
    for (let i = 0; i < 200 && (res === null || res.status !== 500); i++) {
      res = await new Client(server.url).post(`/campaigns/${SLUG}?lang=fa`, signForm({ email: `full.${i}@example.org`, name: 'مریم رضایی' }))
      if (res.status !== 500) await res.text()
    }
    expect(res!.status).toBe(500)
    const html = await res!.text()
    // No message key rendered as text (the messages' JSON for hydration holds the keys, quoted).
    expect(html).not.toMatch(/>(serverError|nav|site)\.\w+</)
    expect(html).toContain('<h1>خطایی رخ داد</h1>')
    expect(html).toMatch(/<html lang="fa" dir="rtl"/)
    expect(logged.some((line) => line.includes('SqliteError'))).toBe(true)
    expect(logged.filter((line) => /full\.\d+@|database or disk is full/.test(line))).toEqual([])
  })
})
