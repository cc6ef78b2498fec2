import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { getLetterDocument } from '../../app/models/letter.server'
import { canonicalText } from '../../app/letters/text'
import { PAPER_MAX_BYTES, PAPER_MAX_ROWS } from '../../app/utils/paper-limits'
import { setLetterSender } from '../support/campaigns'
import { Client, locationOf } from '../support/http'
import { signedInAs } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'
import { campaignId as campaignIdOf, seedSignatures, SLUG } from '../support/signatures'

// Paper signatures (issue #16 item 5, ADR 134): entered by organisers, checked line by line before
// anything is stored, counted apart, shown publicly and in letters only as organisers choose.

let server: TestServer
let organiser: Client
let viewer: Client
let campaignId: string
const PAGE = `/admin/campaigns/${SLUG}/paper`

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_LOGIN_PER_IP: '1000' })
  organiser = (await signedInAs(server, 'organiser')).client
  viewer = (await signedInAs(server, 'viewer')).client
  campaignId = await campaignIdOf(server)
  await seedSignatures(server, [
    { email: 'fr1@example.org', country: 'FR', name: 'Claire Example' },
    { email: 'fr2@example.org', country: 'FR', name: 'Jean Example' },
    { email: 'se1@example.org', country: 'SE', name: 'Anna Example' },
  ])
  await setLetterSender(server, SLUG)
})
afterAll(async () => {
  await server?.stop()
})
beforeEach(async () => {
  await server.db.deleteFrom('paper_signatures').execute()
  await server.db.deleteFrom('paper_batches').execute()
  await server.db.deleteFrom('campaign_paper_settings').execute()
})

const paperRows = async () => Number((await server.db.selectFrom('paper_signatures').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
const paperBatches = async () => Number((await server.db.selectFrom('paper_batches').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
/** Page text without React's text separators, entities read back. */
const text = (html: string) => html.replace(/<!-- -->/g, '').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, '&')

function upload(client: Client, fields: Record<string, string | Uint8Array>, headers: Record<string, string> = {}) {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'string') form.set(k, v)
    else form.set(k, new Blob([Buffer.from(v)], { type: 'text/csv' }), 'sheet.csv')
  }
  return client.request(PAGE, { method: 'POST', body: form, headers: { Origin: server.url, ...headers } })
}
const preview = (csv: string | Uint8Array, extra: Record<string, string> = {}, headers: Record<string, string> = {}) =>
  upload(organiser, { intent: 'preview', file: typeof csv === 'string' ? new TextEncoder().encode(csv) : csv, ...extra }, headers)
const payloadIn = (html: string) => /name="payload" value="([^"]*)"/.exec(html)?.[1] ?? null

/** Previews and commits a CSV, as an organiser would with the two buttons. */
async function importCsv(csv: string, extra: Record<string, string> = {}) {
  const shown = await preview(csv, extra)
  const html = await shown.text()
  expect(shown.status, text(html).slice(0, 2000)).toBe(200)
  const res = await upload(organiser, { intent: 'commit', payload: payloadIn(html)!, place: extra.place ?? '', date: extra.date ?? '' })
  expect(res.status).toBe(302)
  return res
}

describe('who may enter paper signatures', () => {
  it('refuses viewers (403) and the signed out, reading or writing, and stores nothing', async () => {
    expect((await viewer.get(PAGE)).status).toBe(403)
    expect((await viewer.get(`${PAGE}.csv`)).status).toBe(403)
    const refused = await upload(viewer, { intent: 'preview', file: new TextEncoder().encode('name,country\nA,FR\n') })
    expect(refused.status).toBe(403)
    expect((await viewer.post(PAGE, { intent: 'sheet', date: '2026-09-01', name1: 'A', country1: 'FR' })).status).toBe(403)
    expect((await viewer.post(PAGE, { intent: 'settings', showOnPage: 'on', includeInLetters: 'on' })).status).toBe(403)
    const anonymous = new Client(server.url)
    expect((await anonymous.get(PAGE)).status).toBe(302)
    expect((await anonymous.post(PAGE, { intent: 'sheet', date: '2026-09-01', name1: 'A', country1: 'FR' })).status).toBe(401)
    expect(await paperRows()).toBe(0)
    expect(await server.db.selectFrom('campaign_paper_settings').selectAll().execute()).toEqual([])
    expect((await organiser.get(PAGE)).status).toBe(200)
  })
})

describe('importing a CSV', () => {
  it('previews every row with nothing stored, then stores the batch whole on commit, audited, names sealed', async () => {
    const csv = 'name,country,place,date\r\nMaryam Example,Iran,London vigil,2026-09-01\r\n<script>alert(1)</script>,FR,,2026-09-01\r\n"=HYPERLINK(""http://evil.example"")",fra,,2026-09-02\r\n'
    const shown = await preview(csv)
    expect(shown.status).toBe(200)
    const html = await shown.text()
    expect(text(html)).toContain('3 signatures read')
    expect(text(html)).toContain('Maryam Example')
    // HTML in a name is shown as text, never as markup.
    expect(html).not.toContain('<script>alert(1)</script>')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(await paperRows()).toBe(0)

    const res = await upload(organiser, { intent: 'commit', payload: payloadIn(html)!, place: '', date: '' })
    expect(res.status).toBe(302)
    expect(locationOf(res)).toBe(`${PAGE}?added=3`)
    const stored = await server.db.selectFrom('paper_signatures').selectAll().execute()
    expect(stored.map((r) => r.country_code).sort()).toEqual(['FR', 'FR', 'IR'])
    expect(JSON.stringify(stored)).not.toContain('Maryam')
    const audit = await server.db.selectFrom('audit_log').select(['action', 'details_json']).where('action', '=', 'paper.batch.add').execute()
    expect(audit).toHaveLength(1)
    expect(audit[0].details_json).not.toContain('Maryam')

    // The export neutralises the formula; the page lists the batch.
    const exported = await (await organiser.get(`${PAGE}.csv`)).text()
    expect(exported).toContain(`"'=HYPERLINK(""http://evil.example"")"`)
    expect(text(await (await organiser.get(PAGE)).text())).toContain('3 on paper in all.')
  })

  const hostile: [string, string | Uint8Array, number, RegExp][] = [
    ['another delimiter', 'name;country\nMaryam;IR\n', 400, /Line 1: The columns are separated by “;”, not by commas/],
    ['too many columns', 'name,country,date\nA,FR,2026-09-01\nB,FR,2026-09-01,surplus\n', 400, /Line 3: This row has 4 cells, the header row 3\./],
    ['a file over 2 MB', new Uint8Array(PAPER_MAX_BYTES + 1).fill(0x41), 413, /The file is larger than 2 MB/],
    ['more than 10,000 rows', 'name,country,date\n' + Array.from({ length: PAPER_MAX_ROWS + 1 }, (_, i) => `S${i},FR,2026-09-01`).join('\n'), 413, /The file has more than 10,000 rows/],
    ['invalid UTF-8', new Uint8Array([...new TextEncoder().encode('name,country,date\nA,FR,2026-09-01\n'), 0x42, 0xc3, 0x28, ...new TextEncoder().encode(',FR,2026-09-01\n')]), 400, /Line 3: The file is not in UTF-8/],
    ['an unknown country', 'name,country,date\nA,Atlantis,2026-09-01\n', 400, /Line 2: Unknown country “Atlantis”/],
    ['an empty name', 'name,country,date\nA,FR,2026-09-01\n  ,FR,2026-09-01\n', 400, /Line 3: The name is empty\./],
    ['an over-long name', `name,country,date\n${'x'.repeat(201)},FR,2026-09-01\n`, 400, /Line 2: The name is longer than 200 characters\./],
    ['a bidi override', 'name,country,date\nA\u202Eevil,FR,2026-09-01\n', 400, /Line 2: A cell contains a hidden character that changes the direction/],
    ['a quoted newline in a name', 'name,country,date\nA,FR,2026-09-01\n"B\nC",FR,2026-09-01\n', 400, /Line 3: A cell contains a line break/],
    ['an unclosed quote', 'name,country,date\n"A,FR,2026-09-01\n', 400, /Line \d: This is not a readable CSV file/],
    ['an unknown column', 'name,country,surname\nA,FR,B\n', 400, /Line 1: The header row has columns this import does not know: surname/],
    ['a bad date', 'name,country,date\nA,FR,01/09/2026\n', 400, /Line 2: The date must be a real day written YYYY-MM-DD/],
  ]
  it.each(hostile)('refuses %s with a clear line error, and stores nothing', async (_name, csv, status, message) => {
    const res = await preview(csv)
    const html = text(await res.text())
    expect(res.status).toBe(status)
    expect(html).toMatch(message)
    expect(html).toContain('Nothing was stored')
    // No way to commit what was refused.
    expect(payloadIn(html)).toBeNull()
    expect(await paperRows()).toBe(0)
    expect(await paperBatches()).toBe(0)
  })

  it('refuses a commit whose file does not pass the checks (sent without its preview)', async () => {
    const bad = Buffer.from('name,country\n,FR\nB,XX\n').toString('base64')
    const res = await upload(organiser, { intent: 'commit', payload: bad, place: '', date: '2026-09-01' })
    expect(res.status).toBe(400)
    const html = text(await res.text())
    expect(html).toContain('Line 2: The name is empty.')
    expect(html).toContain('Line 3: Unknown country “XX”')
    expect(await paperRows()).toBe(0)
  })

  it('says the problems in the organiser’s language', async () => {
    const res = await preview('name,country,date\n,FR,2026-09-01\n', {}, { 'Accept-Language': 'fa' })
    expect(res.status).toBe(400)
    expect(text(await res.text())).toContain('سطر ۲: نام خالی است.')
  })

  it('flags repeated rows and stores them only when the organiser keeps them', async () => {
    const csv = 'name,country\nMaryam Example,FR\nmaryam example,France\n'
    const shown = await preview(csv, { date: '2026-09-01' })
    const html = text(await shown.text())
    expect(html).toContain('Line 3: The same name and country as line 2.')
    const refused = await upload(organiser, { intent: 'commit', payload: payloadIn(html)!, place: '', date: '2026-09-01' })
    expect(refused.status).toBe(400)
    expect(await paperRows()).toBe(0)
    const kept = await upload(organiser, { intent: 'commit', payload: payloadIn(html)!, place: '', date: '2026-09-01', keepDuplicates: 'on' })
    expect(kept.status).toBe(302)
    expect(await paperRows()).toBe(2)
  })
})

describe('typing in a sheet', () => {
  it('stores a sheet whole, or nothing with the row that is wrong and every value kept', async () => {
    const bad = await organiser.post(PAGE, { intent: 'sheet', place: 'Vigil, Trafalgar Square', date: '2026-09-01', name1: 'Ali Example', country1: 'IR', name2: '', country2: 'FR' })
    expect(bad.status).toBe(400)
    const html = text(await bad.text())
    expect(html).toContain('Row 2: The name is empty.')
    expect(html).toContain('value="Ali Example"')
    expect(await paperRows()).toBe(0)
    const good = await organiser.post(PAGE, { intent: 'sheet', place: 'Vigil, Trafalgar Square', date: '2026-09-01', name1: 'Ali Example', country1: 'IR', name2: 'Sara Example', country2: 'FR' })
    expect(good.status).toBe(302)
    const batch = await server.db.selectFrom('paper_batches').selectAll().executeTakeFirstOrThrow()
    expect(batch).toMatchObject({ source: 'form', row_count: 2 })
    const place = (await server.db.selectFrom('paper_signatures').select('place_enc').execute()).map((r) => server.vault.decrypt(r.place_enc!))
    expect(place).toEqual(['Vigil, Trafalgar Square', 'Vigil, Trafalgar Square'])
  })
})

describe('counts kept apart', () => {
  it('shows the dashboard "N confirmed by email · M on paper" in total and per country, to viewers too', async () => {
    await importCsv('name,country\nA,FR\nB,FR\nC,IR\nD,DE\n', { date: '2026-09-01' })
    const html = text(await (await viewer.get(`/admin/campaigns/${SLUG}`)).text())
    expect(html).toContain('3 confirmed by email · 4 on paper')
    expect(html).toMatch(/data-country="FR"[\s\S]*?2 confirmed by email · 2 on paper/)
    expect(html).toMatch(/data-country="DE"[\s\S]*?0 confirmed by email · 1 on paper/)
    expect(html).toMatch(/data-total="verified">3</)
    const figures = await (await viewer.get(`/admin/campaigns/${SLUG}/figures`)).json()
    expect(figures.totals.verified).toBe(3)
    expect(figures.paper).toBe(4)
  })

  it('leaves the public count and goal unchanged, and shows paper apart only when organisers turn it on', async () => {
    const before = await (await new Client(server.url).get(`/campaigns/${SLUG}.json`)).json()
    await importCsv('name,country\nA,FR\nB,FR\nC,IR\n', { date: '2026-09-01' })
    const publicPage = async () => text(await (await new Client(server.url).get(`/campaigns/${SLUG}?lang=en`)).text())
    expect(await publicPage()).toContain('3 verified signatures')
    // (The messages themselves travel with every page, in the root's data: the rendered line is what counts.)
    expect(await publicPage()).not.toContain('paper-count')
    expect((await organiser.post(PAGE, { intent: 'settings', showOnPage: 'on' })).status).toBe(302)
    const page = await publicPage()
    expect(page).toContain('3 verified signatures')
    expect(page).toContain('<p class="hint paper-count">3 more signatures were gathered on paper at vigils and events. They are not confirmed by email and are not part of the count above.</p>')
    expect(page).toMatch(/<progress id="progress" max="\d+" value="3"/)
    expect(await (await new Client(server.url).get(`/campaigns/${SLUG}.json`)).json()).toEqual(before)
  })
})

describe('letters', () => {
  async function letterFor(country: string) {
    const res = await organiser.post(`/admin/campaigns/${SLUG}/letters`, { intent: 'generate', country })
    expect(res.status).toBe(302)
    const id = locationOf(res).split('/').pop()!
    const row = await server.db.selectFrom('letter_versions').select(['code', 'certificate_json']).where('id', '=', id).executeTakeFirstOrThrow()
    const cert = JSON.parse(await (await new Client(server.url).get(`/verify/${row.code}/certificate.json`)).text())
    return { doc: (await getLetterDocument(server.db, server.vault, id))!, cert: cert.certificate, stored: JSON.parse(row.certificate_json) }
  }
  const figures = (c: Record<string, unknown>) => ({ countryCount: c.countryCount, totalCount: c.totalCount, countryTotal: c.countryTotal, namedCount: c.namedCount, leafCount: c.leafCount, merkleRoot: c.merkleRoot })

  it('states the paper figure in a sentence of its own, in the letter’s languages, only with the setting on; the certificate’s figures stay the email-confirmed ones', async () => {
    await importCsv('name,country\nA,FR\nB,FR\nC,FR\nD,FR\nE,FR\nF,SE\n', { date: '2026-09-01' })
    const off = await letterFor('FR')
    expect(canonicalText(off.doc)).not.toMatch(/paper|papier/i)

    expect((await organiser.post(PAGE, { intent: 'settings', includeInLetters: 'on' })).status).toBe(302)
    const on = await letterFor('FR')
    const [fr, en] = on.doc.letters
    expect(fr.lang).toBe('fr')
    expect(fr.afterAsk[1]).toMatch(/^En outre, 5 personnes ayant indiqué votre pays .* sur papier .* n’ont pas été confirmées par courrier électronique/)
    expect(en.afterAsk[1]).toMatch(/^In addition, 5 people who gave your country .* on paper .*not been confirmed by email, are not included in the figures above/)
    // No paper signer's name reaches the letter.
    expect(canonicalText(on.doc)).not.toMatch(/\n[A-F]\n/)

    // The certificate certifies the email-confirmed figures only, the same with the setting on or off.
    expect(figures(on.cert)).toEqual(figures(off.cert))
    expect(on.cert).toMatchObject({ countryCount: 2, totalCount: 3 })
    expect(Object.keys(on.cert).sort()).toEqual(Object.keys(off.cert).sort())
    expect(JSON.stringify(on.stored)).not.toMatch(/paper/i)

    expect((await organiser.post(PAGE, { intent: 'settings' })).status).toBe(302)
    expect(canonicalText((await letterFor('FR')).doc)).not.toMatch(/paper|papier/i)
  })
})

describe('undoing a batch', () => {
  it('deletes the batch’s rows, audited, and the counts go back', async () => {
    await importCsv('name,country\nA,FR\nB,IR\n', { date: '2026-09-01' })
    await organiser.post(PAGE, { intent: 'sheet', date: '2026-09-02', name1: 'C', country1: 'FR' })
    const [latest] = await server.db.selectFrom('paper_batches').select(['id', 'source']).orderBy('entered_at', 'desc').execute()
    expect(latest.source).toBe('form')
    expect((await viewer.post(PAGE, { intent: 'undo', batchId: latest.id })).status).toBe(403)
    const res = await organiser.post(PAGE, { intent: 'undo', batchId: latest.id })
    expect(res.status).toBe(302)
    expect(locationOf(res)).toBe(`${PAGE}?undone=1`)
    expect(await paperRows()).toBe(2)
    expect(await paperBatches()).toBe(1)
    expect((await organiser.post(PAGE, { intent: 'undo', batchId: latest.id })).status).toBe(404)
    const audit = await server.db.selectFrom('audit_log').select(['target', 'details_json']).where('action', '=', 'paper.batch.undo').execute()
    expect(audit).toEqual([{ target: latest.id, details_json: JSON.stringify({ campaignId, rows: 1 }) }])
    expect(text(await (await organiser.get(`/admin/campaigns/${SLUG}`)).text())).toContain('3 confirmed by email · 2 on paper')
  })
})
