import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { translator } from '../../app/i18n/i18n.server'
import { LOCALES } from '../../app/i18n/locales'
import { Client, locationOf } from '../support/http'
import { startTestServer, type TestServer } from '../support/server'

/** Help on the sign form that works without JavaScript: the country preselected from the browser's language. */
const SLUG = 'justice-for-1988'
let server: TestServer

beforeAll(async () => {
  // The page cache on, as in production: one reader's preselection must never reach another.
  server = await startTestServer({ STATS_CACHE_MS: '60000', RATE_LIMIT_SIGN_PER_IP: '1000' })
})
afterAll(async () => {
  await server?.stop()
})

const page = async (acceptLanguage: string, query = '') =>
  (await fetch(`${server.url}/campaigns/${SLUG}${query}`, { headers: { 'Accept-Language': acceptLanguage } })).text()
const preselected = (html: string) => /<option value="([A-Z]{2})" selected="">/.exec(html)?.[1] ?? null

describe('the country preselected from the browser’s language region', () => {
  it.each([
    ['fa-IR,fa;q=0.9', 'IR'],
    ['en-GB,en;q=0.9', 'GB'],
    ['ar-EG', 'EG'],
    ['fr-CA, fr', 'CA'],
    ['es', null],
  ])('%s preselects %s, with no JavaScript', async (header, code) => {
    expect(preselected(await page(header))).toBe(code)
  })

  it('keeps readers apart in the page cache: the same page, each with their own region or none', async () => {
    const pages = [await page('en-GB', '?lang=en'), await page('en-US', '?lang=en'), await page('en', '?lang=en'), await page('en-GB', '?lang=en')]
    expect(pages.map(preselected)).toEqual(['GB', 'US', null, 'GB'])
  })

  it('stores nothing about it: no row is written by reading the page', async () => {
    const count = async () => (await server.db.selectFrom('signatures').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n
    const before = Number(await count())
    await page('fa-IR', '?lang=fa')
    expect(Number(await count())).toBe(before)
  })
})

describe('a suggestion for a mistyped email domain, without JavaScript', () => {
  // What a reader sees: scripts (which repeat the page's own address) and tags left out.
  const text = (html: string) => html.replace(/<script\b[\s\S]*?<\/script>/g, '').replace(/<!-- -->/g, '').replace(/<[^>]+>/g, '')

  it.each(LOCALES)('%s: after signing as …@gmial.com the next page asks, in that language, whether gmail.com was meant', async (locale) => {
    const client = new Client(server.url)
    const res = await client.post(`/campaigns/${SLUG}?lang=${locale}`, { name: 'Typo Signer', email: `typo.${locale}@gmial.com`, country: 'SE' })
    expect(res.status).toBe(303)
    const location = locationOf(res)
    // The domain it may have meant, never the address, goes in the address of the next page.
    expect(location).toBe(`/campaigns/${SLUG}/check-email?lang=${locale}&suggest=gmail.com`)
    expect(location).not.toContain('typo')
    const page = text(await (await client.get(location)).text())
    const t = translator(locale)
    expect(page).toContain(t('check.suggest', { domain: '@gmail.com', again: t('check.suggestAgain') }))
  })

  it('says nothing for an address without a likely typo', async () => {
    const res = await new Client(server.url).post(`/campaigns/${SLUG}?lang=en`, { name: 'Right Signer', email: 'right@gmail.com', country: 'SE' })
    expect(locationOf(res)).toBe(`/campaigns/${SLUG}/check-email?lang=en`)
  })

  it('names no domain of a crafted link’s choosing', async () => {
    const page = await (await fetch(`${server.url}/campaigns/${SLUG}/check-email?lang=en&suggest=evil.example`)).text()
    expect(text(page)).not.toContain('evil.example')
    expect(text(page)).not.toContain('Did you mean')
    expect(page).toContain('"suggest":null')
  })
})
