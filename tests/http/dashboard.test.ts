import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DashboardFigures } from '../../app/models/dashboard.server'
import { campaignBySlug, campaignForm, seedSignature } from '../support/campaigns'
import { Client } from '../support/http'
import { signedInAs } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'

const SLUG = 'dashboard-test'
let server: TestServer
let viewer: Client

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_LOGIN_PER_IP: '1000' })
  const organiser = (await signedInAs(server, 'organiser')).client
  viewer = (await signedInAs(server, 'viewer')).client
  const created = await organiser.post('/admin/campaigns/new', campaignForm({ slug: SLUG, status: 'open', goal: '100', countryGoals: 'SE 4\nJP 10' }))
  if (created.status !== 302) throw new Error(`campaign not created: ${created.status}`)

  const news = { referrer: 'news.example', utm: { source: 'newsletter', medium: 'email', campaign: 'launch' } }
  const signers = [
    { email: 'se1@example.org', country: 'SE', name: 'Zebulon Secretname', ...news },
    { email: 'se2@example.org', country: 'SE', ...news },
    { email: 'se3@example.org', country: 'SE' },
    { email: 'fr1@example.org', country: 'FR', referrer: 'social.example' },
    { email: 'mt1@example.org', country: 'MT' },
    { email: 'ir1@example.org', country: 'IR', withdraw: true },
    { email: 'de1@example.org', country: 'DE', confirm: false },
    { email: 'de2@example.org', country: 'DE', confirm: false },
    { email: 'de3@example.org', country: 'DE', confirm: false },
  ]
  for (const s of signers) await seedSignature(server, SLUG, s)
  // No model for invalidation in this branch: one pending signature marked as moderation would.
  const campaign = await campaignBySlug(server, SLUG)
  await server.db
    .updateTable('signatures')
    .set({ status: 'invalidated' })
    .where('campaign_id', '=', campaign.id)
    .where('country_code', '=', 'DE')
    .where('status', '=', 'pending')
    .where('id', '=', (eb) => eb.selectFrom('signatures').select('id').where('campaign_id', '=', campaign.id).where('country_code', '=', 'DE').limit(1))
    .execute()
})
afterAll(async () => {
  await server?.stop()
})

const total = (html: string, name: string) => new RegExp(`data-total="${name}">([^<]*)<`).exec(html)?.[1]
const rowOf = (html: string, code: string) => new RegExp(`<tr data-country="${code}">(.*?)</tr>`).exec(html)?.[1] ?? ''
const cells = (row: string) => [...row.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((m) => m[1].replace(/<!-- -->/g, ''))

describe('the campaign dashboard', () => {
  it('shows totals equal to the seeded signatures', async () => {
    const html = await (await viewer.get(`/admin/campaigns/${SLUG}`)).text()
    expect(total(html, 'verified')).toBe('5')
    expect(total(html, 'pending')).toBe('2')
    expect(total(html, 'withdrawn')).toBe('1')
    expect(total(html, 'invalidated')).toBe('1')
    // 5 verified of 5 + 2 pending
    expect(total(html, 'rate')).toBe('71.4%')
  })

  it('lists countries with counts, share of the total and progress to their goals', async () => {
    const html = await (await viewer.get(`/admin/campaigns/${SLUG}`)).text()
    expect(cells(rowOf(html, 'SE'))).toEqual(['Sweden', '3', '60%', '3 of 4 (75%)', '3 confirmed by email · 0 on paper'])
    expect(cells(rowOf(html, 'FR'))).toEqual(['France', '1', '20%', 'no goal', '1 confirmed by email · 0 on paper'])
    expect(cells(rowOf(html, 'JP'))).toEqual(['Japan', '0', '0%', '0 of 10 (0%)', '0 confirmed by email · 0 on paper'])
    expect(rowOf(html, 'IR')).toBe('')
    expect(rowOf(html, 'DE')).toBe('')
  })

  it('sorts the country table through the query string, without JavaScript', async () => {
    const order = (html: string) => [...html.matchAll(/<tr data-country="([A-Z]{2})">/g)].map((m) => m[1])
    const byCount = await (await viewer.get(`/admin/campaigns/${SLUG}`)).text()
    expect(order(byCount)).toEqual(['SE', 'FR', 'MT', 'JP'])
    const byName = await (await viewer.get(`/admin/campaigns/${SLUG}?sort=country&dir=asc`)).text()
    expect(order(byName)).toEqual(['FR', 'JP', 'MT', 'SE'])
    expect(byName).toContain('aria-sort="ascending"')
    const byProgress = await (await viewer.get(`/admin/campaigns/${SLUG}?sort=progress&dir=desc`)).text()
    expect(order(byProgress)).toEqual(['SE', 'JP', 'FR', 'MT'])
  })

  it('draws a map shading the countries with verified signatures, small states as dots', async () => {
    const html = await (await viewer.get(`/admin/campaigns/${SLUG}`)).text()
    const svg = /<svg[^>]*class="map"[^>]*>[\s\S]*?<\/svg>/.exec(html)?.[0] ?? ''
    expect(svg).toMatch(/role="img"/)
    expect(svg).toMatch(/aria-label="World map of verified signatures by country: 3 countries have signers; most from Sweden \(3\)/)
    const shadeOf = (code: string) => new RegExp(`class="(?:marker )?shade-(\\d)" data-country="${code}"`).exec(svg)?.[1]
    expect(shadeOf('SE')).toBe('5')
    expect(Number(shadeOf('FR'))).toBeGreaterThan(0)
    expect(Number(shadeOf('FR'))).toBeLessThan(5)
    expect(Number(shadeOf('MT'))).toBeGreaterThan(0)
    expect(svg).toMatch(/<circle[^>]*data-country="MT"/)
    expect(shadeOf('DE')).toBe('0')
    expect(shadeOf('IR')).toBe('0')
    expect(svg).toContain('<title>Sweden: 3 verified signatures</title>')
    expect(svg).toContain('<title>Malta: 1 verified signature</title>')
    expect((svg.match(/<use href="\/map\.svg\?v=[0-9a-f]+#[A-Zx0-9]+"/g) ?? []).length).toBeGreaterThan(150)
  })

  it('charts verified signatures per day and where signers came from', async () => {
    const html = await (await viewer.get(`/admin/campaigns/${SLUG}`)).text()
    const today = new Date().toISOString().slice(0, 10)
    expect(html).toContain(`<time dateTime="${today}">${today}</time></td><td>5</td>`)
    expect(html).toMatch(/aria-label="Verified signatures per day from [^"]*: 5 in all/)
    expect(cells(/<tr><th scope="row">news\.example<\/th>.*?<\/tr>/.exec(html)?.[0] ?? '')).toEqual(['news.example', '2'])
    expect(html).toContain('<td>newsletter</td><td>email</td><td>launch</td><td>2</td>')
    expect(html).toContain('No referrer (direct, email, apps)')
  })

  it('never shows a viewer a signer’s name or email', async () => {
    const html = await (await viewer.get(`/admin/campaigns/${SLUG}`)).text()
    const figures = await (await viewer.get(`/admin/campaigns/${SLUG}/figures`)).text()
    for (const text of [html, figures]) {
      expect(text).not.toContain('Secretname')
      expect(text).not.toContain('Zebulon')
      for (const local of ['se1@', 'fr1@', 'de1@', 'mt1@']) expect(text).not.toContain(local)
    }
  })

  it('serves fresh figures to the open page as they change', async () => {
    const before = (await (await viewer.get(`/admin/campaigns/${SLUG}/figures`)).json()) as DashboardFigures
    expect(before.totals.verified).toBe(5)
    await seedSignature(server, SLUG, { email: 'jp1@example.org', country: 'JP' })
    const after = (await (await viewer.get(`/admin/campaigns/${SLUG}/figures`)).json()) as DashboardFigures
    expect(after.totals.verified).toBe(6)
    expect(after.countries.find((c) => c.code === 'JP')).toEqual({ code: 'JP', name: 'Japan', count: 1, goal: 10, paper: 0 })
    expect(after.daily.at(-1)?.count).toBe(6)
  })
})
