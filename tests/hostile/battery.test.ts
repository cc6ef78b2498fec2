import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonicalEmail } from '../../app/utils/email-address'
import { createVault } from '../../app/infra/vault.server'
import { startTestServer, type TestServer } from '../support/server'
import { BODY_PAYLOADS, COUNTRY_PAYLOADS, FIELD_PAYLOADS, HEADER_PAYLOADS, LANG_PAYLOADS, PATH_PAYLOADS, TOKEN_PAYLOADS } from './payloads'
import { FORMS, PAGES, RESOURCES, SLUG, TOKEN_PATHS } from './surface'
import { expectClearRefusal, expectSafe, form, raw } from './support'

const keys = { ENCRYPTION_KEY: randomBytes(32).toString('base64'), HMAC_KEY: randomBytes(32).toString('base64') }
const vault = createVault({ encryptionKey: Buffer.from(keys.ENCRYPTION_KEY, 'base64'), hmacKey: Buffer.from(keys.HMAC_KEY, 'base64') })
let server: TestServer

beforeAll(async () => {
  // The battery is many requests from one address; the limits have their own test (headers.test.ts).
  server = await startTestServer({
    ...keys,
    RATE_LIMIT_SIGN_PER_IP: '100000',
    RATE_LIMIT_REQUESTS_PER_IP_PER_MINUTE: '100000',
  })
})
afterAll(async () => {
  // The server keeps serving after all of it: the campaign page and an honest signature still work.
  const page = await raw(server.url, 'GET', `/campaigns/${SLUG}?lang=en`)
  expect(page.status).toBe(200)
  const sign = await raw(server.url, 'POST', `/campaigns/${SLUG}?lang=en`, form({ name: 'After Battery', email: 'after@example.org', country: 'SE' }, server.url))
  expect(sign.status).toBe(303)
  await server?.stop()
})

const fieldCases = Object.entries(FIELD_PAYLOADS).flatMap(([family, values]) => values.map((value, i) => ({ family, value, i })))
let serial = 0
const uniqueEmail = () => `hostile.${serial++}@example.org`

async function storedName(email: string): Promise<string | null> {
  const row = await server.db
    .selectFrom('signatures')
    .select('name_enc')
    .where('email_hash', '=', vault.emailHash(canonicalEmail(email)))
    .executeTakeFirst()
  return row ? vault.decrypt(row.name_enc) : null
}

describe.each(FORMS)('the $name form', (target) => {
  const fieldNames = Object.keys(target.fields).filter((f) => !['showName', 'newsOptIn'].includes(f))
  const cases = fieldNames.flatMap((field) =>
    [...fieldCases, ...(field === 'country' ? COUNTRY_PAYLOADS.map((value, i) => ({ family: 'country', value, i })) : [])].map((c) => ({ field, ...c })),
  )

  it.each(cases)('$field ← $family #$i: refused with a message, or stored as inert text', async ({ field, value }) => {
    const fields = { ...target.fields }
    const email = uniqueEmail()
    if (target.emailField) fields[target.emailField] = email
    fields[field] = value
    const reply = await raw(server.url, 'POST', target.path, form(fields, server.url))
    expectSafe(reply, [value])
    if (reply.status === 303) {
      expect(reply.headers.location).toContain('/check-email')
      // Stored exactly as sent (a lone surrogate cannot travel in UTF-8: it arrives as U+FFFD).
      if (target.name === 'sign' && field === 'name') expect(await storedName(email)).toBe(Buffer.from(value).toString().trim())
    } else {
      expectClearRefusal(reply)
    }
  })

  it.each(BODY_PAYLOADS)('a body of the wrong kind ($name) is refused or read as a form, never a 5xx', async ({ contentType, body }) => {
    const headers: Record<string, string> = { Origin: server.url }
    if (contentType) headers['Content-Type'] = contentType
    const reply = await raw(server.url, 'POST', target.path, { headers, body })
    expectSafe(reply)
    if (reply.status !== 303) expectClearRefusal(reply)
  })
})

describe.each(TOKEN_PATHS)('token links %s', (prefix) => {
  it.each(TOKEN_PAYLOADS.flatMap((token) => ['GET', 'POST'].map((method) => ({ token, method }))))(
    '$method with token $token: a page saying the link is not valid, never a 5xx',
    async ({ token, method }) => {
      const reply = await raw(server.url, method, `${prefix}${token}?lang=en`, method === 'POST' ? form({}, server.url) : {})
      expectSafe(reply, [decodeURIComponentSafe(token)])
      expect(reply.status).toBeGreaterThanOrEqual(400)
    },
  )
})

describe('the language parameter', () => {
  it.each([...PAGES, ...RESOURCES].flatMap((page) => LANG_PAYLOADS.map((lang) => ({ page, lang }))))(
    '$page?lang=$lang is ignored when unknown, and sets no cookie but a known one',
    async ({ page, lang }) => {
      const reply = await raw(server.url, 'GET', `${page}?lang=${lang.includes('%') ? lang : encodeURIComponent(lang)}`)
      expectSafe(reply, [lang])
      const cookies = ([] as string[]).concat(reply.headers['set-cookie'] ?? [])
      for (const cookie of cookies) expect(cookie).toMatch(/^lang=(en|fa);/)
      if (!['en', 'fa'].includes(lang)) expect(cookies).toEqual([])
    },
  )
})

describe('paths that try to escape or redirect', () => {
  it.each(PATH_PAYLOADS)('%s reveals no file and redirects nowhere else', async (path) => {
    const reply = await raw(server.url, 'GET', path)
    expectSafe(reply)
    expect(reply.body).not.toMatch(/root:x:0:0|"name": "un-petitions"|ENCRYPTION_KEY|import \{|\[core\]/)
    if (![200, 301, 302, 303, 308].includes(reply.status)) expect(reply.status).toBeGreaterThanOrEqual(400)
  })
})

describe('hostile request headers', () => {
  it.each(HEADER_PAYLOADS)('%o on the campaign page: served safely', async (headers) => {
    const reply = await raw(server.url, 'GET', `/campaigns/${SLUG}`, { headers })
    expectSafe(reply, Object.values(headers))
    // Links in the page never point at a host the request named (a referring host is kept as
    // attribution, in a hidden field, and only its name).
    expect(reply.body).not.toMatch(/(href|src|action|content)="[^"]*evil\.example/)
  })
})

function decodeURIComponentSafe(s: string) {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}
