import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../support/http'
import { startTestServer, type TestServer } from '../support/server'
import { SLUG, signForm } from '../support/signing'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_SIGN_PER_IP: '10000' })
})
afterAll(async () => {
  await server?.stop()
})

const stored = async () => Number((await server.db.selectFrom('signatures').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)

async function refused(fields: Record<string, string>, lang = 'en') {
  const before = await stored()
  const form = { ...signForm(), ...fields }
  const res = await new Client(server.url).post(`/campaigns/${SLUG}?lang=${lang}`, form)
  const html = await res.text()
  expect(await stored()).toBe(before)
  return { res, html, form }
}

describe('bad input is refused, explained in the signer’s language, and loses nothing', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['an empty name', { name: '  ' }, 'Please enter your name.'],
    ['a name over 100 characters', { name: 'ن'.repeat(101) }, 'at most 100 characters'],
    ['a control character', { name: 'Bad\u0001Name' }, 'control or direction-override'],
    ['a bidi override', { name: 'evil\u202Etxt.exe' }, 'control or direction-override'],
    ['a URL in the name', { name: 'see http://spam.example' }, 'cannot contain a web address'],
    ['a formula start', { name: '=HYPERLINK("x")' }, 'cannot start with ='],
    ['an invalid email', { email: 'nope' }, 'valid email address'],
    ['an email over 254 characters', { email: `${'a'.repeat(250)}@example.org` }, 'at most 254 characters'],
    ['an unknown country', { country: 'XX' }, 'choose a country from the list'],
    ['no country', { country: '' }, 'Please choose the country where you live.'],
  ]
  for (const [what, fields, message] of cases) {
    it(`refuses ${what} with 400`, async () => {
      const { res, html } = await refused(fields)
      expect(res.status).toBe(400)
      expect(html).toContain(message)
    })
  }

  it('shows the form again with the good values kept', async () => {
    const { html } = await refused({ name: 'مریم احمدی', email: 'broken', country: 'SE' })
    expect(html).toContain('value="مریم احمدی"')
    expect(html).toContain('value="broken"')
    expect(html).toMatch(/<option value="SE" selected="">/)
  })

  it('speaks Persian to a Persian reader', async () => {
    const { res, html } = await refused({ name: '' }, 'fa')
    expect(res.status).toBe(400)
    expect(html).toContain('لطفاً نام خود را وارد کنید.')
    expect(html).toContain('dir="rtl"')
  })

  it('refuses an oversized body with 413 before reading it', async () => {
    const before = await stored()
    const res = await fetch(`${server.url}/campaigns/${SLUG}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept-Language': 'fa' },
      body: `name=${'a'.repeat(20_000)}&email=a@example.org&country=CA`,
    })
    expect(res.status).toBe(413)
    expect(await res.text()).toContain('آنچه فرستادید بیش از حد بزرگ است')
    expect(await stored()).toBe(before)
  })

  it('gives a honeypot-filling robot the same answer, and stores nothing', async () => {
    const { res } = await refused({ website: 'http://spam.example' })
    expect(res.status).toBe(303)
  })
})

describe('rate limits', () => {
  it('answer 429 with a clear message and Retry-After once an address signs too often', async () => {
    const limited = await startTestServer({ RATE_LIMIT_SIGN_PER_IP: '3' })
    try {
      const client = new Client(limited.url)
      for (let i = 0; i < 3; i++) expect((await client.post(`/campaigns/${SLUG}?lang=en`, signForm())).status).toBe(303)
      const res = await client.post(`/campaigns/${SLUG}?lang=en`, signForm({ name: 'Kept Name' }))
      expect(res.status).toBe(429)
      expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0)
      const html = await res.text()
      expect(html).toContain('Too many requests came from your connection')
      expect(html).toContain('value="Kept Name"')
    } finally {
      await limited.stop()
    }
  })

  it('answer 429 to any client that floods the server', async () => {
    const limited = await startTestServer({ RATE_LIMIT_REQUESTS_PER_IP_PER_MINUTE: '5' })
    try {
      const statuses: number[] = []
      for (let i = 0; i < 7; i++) statuses.push((await fetch(`${limited.url}/privacy`, { headers: { 'Accept-Language': 'fa' } })).status)
      expect(statuses.slice(0, 5).every((s) => s === 200)).toBe(true)
      const res = await fetch(`${limited.url}/privacy`, { headers: { 'Accept-Language': 'fa', Accept: 'text/html' } })
      expect(res.status).toBe(429)
      expect(await res.text()).toContain('تلاش‌های بیش از حد')
    } finally {
      await limited.stop()
    }
  })
})

describe('a closed campaign', () => {
  it('says so and takes no signature', async () => {
    await server.db.updateTable('campaigns').set({ status: 'closed' }).where('slug', '=', SLUG).execute()
    try {
      const page = await (await fetch(`${server.url}/campaigns/${SLUG}`)).text()
      expect(page).toContain('This campaign is closed')
      expect(page).not.toContain('name="email"')
      const { res, html } = await refused({})
      expect(res.status).toBe(409)
      expect(html).toContain('This campaign is closed')
    } finally {
      await server.db.updateTable('campaigns').set({ status: 'open' }).where('slug', '=', SLUG).execute()
    }
  })
})
