import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../support/server'

/** Help on the sign form that works without JavaScript: the country preselected from the browser's language. */
const SLUG = 'justice-for-1988'
let server: TestServer

beforeAll(async () => {
  // The page cache on, as in production: one reader's preselection must never reach another.
  server = await startTestServer({ STATS_CACHE_MS: '60000' })
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
