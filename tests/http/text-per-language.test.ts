import { request } from 'node:http'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatDate } from '../../app/i18n/core'
import { LOCALES } from '../../app/i18n/locales'
import { linksIn } from '../support/fake-resend'
import { Client } from '../support/http'
import { signedInAs } from '../support/organisers'
import { localLink, startTestServer, type TestServer } from '../support/server'

/**
 * Every public page, in every language, as bytes: no NUL and no U+FFFD anywhere, in the page as it is
 * rendered and as the response cache and its gzip splice send it. React 18.3's Node stream renderer
 * sent the zero-filled tail of its 2048-byte buffer whenever a multi-byte character did not fit at its
 * end (react#24985, fixed upstream in #26228 and released only in React 19): a NUL in the text, "�"
 * once an HTML parser reads it in an attribute. Where a page is long enough, Persian and Arabic hit it.
 */
const SLUG = 'justice-for-1988'
let server: TestServer
const pages: [name: string, path: string, status: number][] = []
let letterDate = 0
let inclusionPath = ''

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
const CRAWLER = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'

beforeAll(async () => {
  // Production settings with the page cache on: the path a real reader's bytes take.
  server = await startTestServer({ NODE_ENV: 'production', STATS_CACHE_MS: '60000', RATE_LIMIT_REQUESTS_PER_IP_PER_MINUTE: '100000' })
  // A real signer's private pages, and a letter's public verification page.
  const email = 'bytes.signer@example.org'
  const client = new Client(server.url)
  const signed = await client.post(`/campaigns/${SLUG}?lang=en`, { name: 'Bytes Signer', email, country: 'FR' })
  if (signed.status !== 303) throw new Error(`sign answered ${signed.status}`)
  const mail = (await server.resend.waitFor((all) => all.some((e) => e.to.includes(email)))).find((e) => e.to.includes(email))!
  const links = linksIn(mail.html).map((l) => new URL(localLink(server, l)))
  const link = (kind: string) => links.find((l) => l.pathname.startsWith(`/s/${kind}/`))!
  expect((await client.get(link('confirm').href)).status).toBe(303)
  const organiser = (await signedInAs(server, 'admin')).client
  const sender = { senderName: 'Justice Watch', senderAddress: '12 Example Street\nLondon', senderEmail: 'letters@justice.example', signerName: 'Maryam Example', signerTitle: 'Director' }
  expect((await organiser.post(`/admin/campaigns/${SLUG}/letters/sender`, sender)).status).toBe(302)
  const generated = await organiser.post(`/admin/campaigns/${SLUG}/letters`, { intent: 'generate', country: 'FR' })
  expect(generated.status).toBe(302)
  const letter = await server.db.selectFrom('letter_versions').select(['code', 'created_at']).orderBy('created_at', 'desc').executeTakeFirstOrThrow()
  letterDate = Number(letter.created_at)
  inclusionPath = link('inclusion').pathname
  pages.push(
    ['home', '/', 200],
    ['campaign', `/campaigns/${SLUG}`, 200],
    ['privacy', '/privacy', 200],
    ['check your email', `/campaigns/${SLUG}/check-email`, 200],
    ['new link', `/campaigns/${SLUG}/resend`, 200],
    ['thank you', `/campaigns/${SLUG}/thanks`, 200],
    ['replies', `/campaigns/${SLUG}/responses`, 200],
    ['inclusion', link('inclusion').pathname, 200],
    ['withdraw', link('withdraw').pathname, 200],
    ['verify', `/verify/${letter.code}`, 200],
    ['bad confirmation link', '/s/confirm/not-a-token', 404],
    ['bad withdraw link', '/s/withdraw/not-a-token', 404],
    ['not found', '/no-such-page', 404],
  )
}, 120_000)
afterAll(async () => {
  await server?.stop()
})

/** Where the first NUL or U+FFFD sits in the bytes, with what surrounds it, or null. */
function brokenByte(body: Buffer): string | null {
  const nul = body.indexOf(0)
  const text = body.toString('utf8')
  const replacement = text.indexOf('\uFFFD')
  if (nul < 0 && replacement < 0) return null
  const at = nul >= 0 ? body.subarray(0, nul).toString('utf8').length : replacement
  return `${nul >= 0 ? 'NUL' : 'U+FFFD'} at ${at}: …${JSON.stringify(text.slice(Math.max(0, at - 40), at + 20))}…`
}

/** The bytes on the wire, through node:http (fetch would decode them first); gzip undone here, strictly. */
function bytesOf(path: string, locale: string, headers: Record<string, string>) {
  return new Promise<{ status: number; encoding: string | undefined; body: Buffer }>((resolve, reject) => {
    const req = request(`${server.url}${path}?lang=${locale}`, { headers: { 'Accept-Encoding': 'identity', ...headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('error', reject)
      res.on('end', () => {
        const raw = Buffer.concat(chunks)
        const encoding = res.headers['content-encoding']
        try {
          resolve({ status: res.statusCode ?? 0, encoding, body: encoding === 'gzip' ? gunzipSync(raw) : raw })
        } catch (error) {
          reject(error)
        }
      })
    })
    req.on('error', reject)
    req.end()
  })
}

describe.each(LOCALES)('every public page in %s', (locale) => {
  it('has no NUL or U+FFFD in its bytes: streamed, whole for a crawler, cached, and gzipped from the cache', async () => {
    expect(pages.length).toBeGreaterThan(10)
    const problems: string[] = []
    for (const [name, path, status] of pages) {
      // Twice each: the first fills the cache (rendered), the second is answered from it.
      for (const [variant, headers] of [
        ['streamed', { 'User-Agent': BROWSER }],
        ['from the cache', { 'User-Agent': BROWSER }],
        ['gzip', { 'User-Agent': BROWSER, 'Accept-Encoding': 'gzip' }],
        ['crawler', { 'User-Agent': CRAWLER }],
        ['crawler, gzip', { 'User-Agent': CRAWLER, 'Accept-Encoding': 'gzip' }],
      ] as const) {
        const { status: got, body } = await bytesOf(path, locale, headers)
        if (got !== status) problems.push(`${name} (${variant}): status ${got}`)
        const broken = brokenByte(body)
        if (broken) problems.push(`${name} (${variant}): ${broken}`)
      }
    }
    expect(problems).toEqual([])
  })
})

describe.each(LOCALES)('dates in %s', (locale) => {
  it("the signer's inclusion page dates the letter in the language's one format", async () => {
    const html = (await (await fetch(`${server.url}${inclusionPath}?lang=${locale}`)).text()).replace(/<!-- -->/g, '')
    expect(html).toContain(formatDate(locale, letterDate))
  })
})

describe('the check itself', () => {
  it('sees a NUL and a U+FFFD', () => {
    expect(brokenByte(Buffer.from('<p>ok</p>'))).toBeNull()
    expect(brokenByte(Buffer.from('<p>سل\0ام</p>'))).toMatch(/^NUL at 5/)
    expect(brokenByte(Buffer.from('<meta content="\uFFFD">'))).toMatch(/^U\+FFFD/)
  })

  it('gzips a cached page when asked, so the splice is what was checked', async () => {
    await bytesOf(`/campaigns/${SLUG}`, 'fa', { 'User-Agent': BROWSER })
    const { encoding } = await bytesOf(`/campaigns/${SLUG}`, 'fa', { 'User-Agent': BROWSER, 'Accept-Encoding': 'gzip' })
    expect(encoding).toBe('gzip')
  })
})
