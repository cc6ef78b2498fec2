import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedInAs } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'
import { seedSignatures, SLUG } from '../support/signatures'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_LOGIN_PER_IP: '1000' })
})
afterAll(async () => {
  await server?.stop()
})

/** RFC 4180 parsing, enough for the tests: quoted cells, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(cell)
      cell = ''
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += ch
  }
  return rows
}

const exportUrl = `/admin/campaigns/${SLUG}/export.csv`
const countsUrl = `/admin/campaigns/${SLUG}/counts.csv`

describe('signature export', () => {
  it('streams every verified signature, inert against formula injection and honouring consents', async () => {
    await seedSignatures(server, [
      { email: 'formula@example.org', name: '=HYPERLINK("http://evil.example","click")', showName: true, country: 'GB' },
      { email: 'hidden@example.org', name: 'Hidden Person', showName: false, newsOptIn: true, country: 'GB' },
      { email: 'nonews@example.org', name: 'Shown NoNews', showName: true, newsOptIn: false, country: 'GB' },
      { email: 'pending@example.org', name: 'Pending Person', showName: true, newsOptIn: true, status: 'pending' },
      { email: 'invalid@example.org', name: 'Invalid Person', showName: true, newsOptIn: true, status: 'invalidated' },
      { email: ' -1+1@example.org', name: '  @SUM(A1)', showName: true, newsOptIn: true },
    ])
    // More than one keyset page (500 rows).
    await seedSignatures(server, Array.from({ length: 1100 }, (_, i) => ({ email: `bulk${i}@example.net`, country: 'FR' })))

    const { client } = await signedInAs(server, 'organiser')
    const res = await client.get(exportUrl)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toContain('text/csv')
    expect(res.headers.get('Content-Disposition')).toContain('attachment')
    const text = (await res.text()).replace(/^\uFEFF/, '')
    const rows = parseCsv(text)
    const [header, ...data] = rows
    expect(header).toEqual(['confirmed_at', 'country_code', 'country', 'name', 'email', 'news_opt_in', 'language'])
    expect(data).toHaveLength(1104)

    // No cell may start a formula, even after spaces.
    for (const cells of data) for (const cell of cells) expect(cell).not.toMatch(/^\s*[=+\-@]/)
    const formula = data.find((r) => r[3].includes('HYPERLINK'))!
    expect(formula[3]).toBe(`'=HYPERLINK("http://evil.example","click")`)
    expect(data.find((r) => r[3].includes('SUM'))![3]).toBe(`'  @SUM(A1)`)

    // Names only where shown, addresses only with news opt-in; pending and invalidated never.
    expect(text).not.toContain('Hidden Person')
    expect(data.find((r) => r[4] === 'hidden@example.org')![3]).toBe('')
    const noNews = data.find((r) => r[3] === 'Shown NoNews')!
    expect(noNews[4]).toBe('')
    expect(text).not.toContain('nonews@example.org')
    expect(text).not.toContain('formula@example.org')
    expect(text).not.toContain('Pending Person')
    expect(text).not.toContain('Invalid Person')

    const audited = await server.db.selectFrom('audit_log').selectAll().where('action', '=', 'export.signatures').execute()
    expect(audited).toHaveLength(1)
  })

  it('refuses viewers the signature export with 403 but gives them the counts per country', async () => {
    const { client } = await signedInAs(server, 'viewer')
    expect((await client.get(exportUrl)).status).toBe(403)
    const res = await client.get(countsUrl)
    expect(res.status).toBe(200)
    const rows = parseCsv(await res.text())
    expect(rows[0]).toEqual(['code', 'name', 'verified_count', 'share_percent'])
    const fr = rows.find((r) => r[0] === 'FR')!
    expect(fr[1]).toBe('France')
    expect(Number(fr[2])).toBeGreaterThanOrEqual(1100)
    expect(rows.at(-1)![1]).toBe('Total')
    expect(JSON.stringify(rows)).not.toContain('@')
    const audited = await server.db.selectFrom('audit_log').select('action').where('action', '=', 'export.counts').execute()
    expect(audited).toHaveLength(1)
  })
})
