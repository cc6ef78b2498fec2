import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { campaignForm } from '../support/campaigns'
import { Client } from '../support/http'
import { signedInAs } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'
import { seedSignatures } from '../support/signatures'

// ADR 107 and ADR 113: no public figure under 5 for a country, in the page, the JSON or the CSV, and
// none that the exact total gives away; the organisers' CSV stays exact.
let server: TestServer
let organiser: Client
beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_LOGIN_PER_IP: '1000' })
  organiser = (await signedInAs(server, 'organiser')).client
}, 120_000)
afterAll(async () => {
  await server?.stop()
})

interface PublicCounts {
  signature_count: number
  signatures_by_country: { code: string; name: string; signature_count: number | null }[]
}

async function campaignWith(slug: string, byCountry: Record<string, number>) {
  expect((await organiser.post('/admin/campaigns/new', campaignForm({ slug }))).status).toBe(302)
  const list = Object.entries(byCountry).flatMap(([country, n]) => Array.from({ length: n }, (_, i) => ({ email: `${country}${i}@${slug}.example`, country })))
  await seedSignatures(server, list, slug)
}

const json = async (slug: string, lang = 'en') => (await (await fetch(`${server.url}/campaigns/${slug}.json?lang=${lang}`)).json()) as PublicCounts
const csvRows = async (slug: string) =>
  (await (await fetch(`${server.url}/campaigns/${slug}.csv`)).text())
    .trim()
    .split('\r\n')
    .map((l) => l.split(','))
const page = async (slug: string, lang = 'en') => (await fetch(`${server.url}/campaigns/${slug}?lang=${lang}`)).text()

/** What a reader can work out: the withheld countries' sum. It must never belong to one country alone. */
function differencing(counts: PublicCounts) {
  const withheld = counts.signatures_by_country.filter((c) => c.signature_count === null)
  const published = counts.signatures_by_country.reduce((n, c) => n + (c.signature_count ?? 0), 0)
  return { withheld: withheld.map((c) => c.code), rest: counts.signature_count - published }
}

describe('the public counts per country', () => {
  it('withhold the countries at 1 and 4 and publish 5 and more, in the JSON, the CSV and the page, the same way', async () => {
    await campaignWith('small-counts', { CA: 30, FR: 12, MT: 5, LU: 4, IS: 1 })
    const counts = await json('small-counts')
    expect(counts.signature_count).toBe(52)
    expect(counts.signatures_by_country.map((c) => [c.code, c.signature_count])).toEqual([
      ['CA', 30],
      ['FR', 12],
      ['MT', 5],
      ['LU', null],
      ['IS', null],
    ])
    expect(counts.signatures_by_country.find((c) => c.code === 'LU')).toEqual({ code: 'LU', name: 'Luxembourg', signature_count: null })
    expect(differencing(counts)).toEqual({ withheld: ['LU', 'IS'], rest: 5 })

    const rows = await csvRows('small-counts')
    expect(rows[0]).toEqual(['code', 'name', 'signature_count'])
    expect(rows.slice(1)).toEqual([
      ['CA', 'Canada', '30'],
      ['FR', 'France', '12'],
      ['MT', 'Malta', '5'],
      ['LU', 'Luxembourg', ''],
      ['IS', 'Iceland', ''],
    ])

    const html = await page('small-counts')
    expect(html).toContain('<title>Malta: 5 verified signatures</title>')
    expect(html).toContain('<title>Luxembourg: fewer than 5 verified signatures, or figure withheld</title>')
    expect(html).toContain('<title>Iceland: fewer than 5 verified signatures, or figure withheld</title>')
    expect(html).not.toMatch(/\\?"(LU|IS)\\?",\\?"count\\?":[0-9]/)
    expect(html).not.toMatch(/(Luxembourg|Iceland): [0-9]/)
    const fa = await page('small-counts', 'fa')
    expect(fa).toContain('لوکزامبورگ: کمتر از ۵ امضای تأییدشده، یا رقمی که نشان داده نمی‌شود</title>')
  })

  it('withhold the next smallest country too when only one is under 5, so that the total minus the rest gives no one country', async () => {
    await campaignWith('one-small', { CA: 30, FR: 12, MT: 5, IS: 1 })
    const counts = await json('one-small')
    expect(counts.signature_count).toBe(48)
    // Without the second one, 48 − 30 − 12 − 5 = 1 would be Iceland's figure.
    expect(differencing(counts)).toEqual({ withheld: ['MT', 'IS'], rest: 6 })
    expect(counts.signatures_by_country.find((c) => c.code === 'FR')?.signature_count).toBe(12)
    expect((await csvRows('one-small')).find((r) => r[0] === 'MT')).toEqual(['MT', 'Malta', ''])
    const html = await page('one-small')
    expect(html).toContain('<title>Malta: fewer than 5 verified signatures, or figure withheld</title>')
    expect(html).toContain('<title>France: 12 verified signatures</title>')
    expect(html).not.toMatch(/\\?"(MT|IS)\\?",\\?"count\\?":[0-9]/)
  })

  it('withhold one more when every withheld country stands at 1, since then each is 1', async () => {
    await campaignWith('all-ones', { CA: 30, FR: 7, LU: 1, IS: 1 })
    const counts = await json('all-ones')
    expect(differencing(counts)).toEqual({ withheld: ['FR', 'IS', 'LU'], rest: 9 })
  })

  it('stay exact in the organisers’ CSV, behind their role', async () => {
    const res = await organiser.get('/admin/campaigns/small-counts/counts.csv')
    expect(res.status).toBe(200)
    const body = await res.text()
    expect(body).toContain('IS,Iceland,1,')
    expect(body).toContain('LU,Luxembourg,4,')
    expect((await new Client(server.url).get('/admin/campaigns/small-counts/counts.csv')).status).not.toBe(200)
  })
})
