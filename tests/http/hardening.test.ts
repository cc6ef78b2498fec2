import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../app/config.server'
import { hashToken } from '../../app/infra/vault.server'
import { replyText } from '../../app/letters/reply-text'
import { testEngine } from '../support/database'
import { Client } from '../support/http'
import { PASSWORD, signedInAs } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'
import { sign, SLUG } from '../support/signing'

// Issue 13, the smaller findings: each one's reproduction, answered right.

/** One HTTP/1.1 exchange written by hand, for what fetch will not send (a Host, an absolute target). */
function raw(server: TestServer, text: string): Promise<{ status: number; head: string; body: string }> {
  const u = new URL(server.url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(u.port), u.hostname, () => socket.write(text))
    let out = ''
    socket.setEncoding('latin1')
    socket.on('data', (d) => (out += d))
    socket.on('error', reject)
    socket.on('close', () => {
      const [head, ...body] = out.split('\r\n\r\n')
      resolve({ status: Number(head.split(' ')[1]), head, body: body.join('\r\n\r\n') })
    })
  })
}
const get = (server: TestServer, target: string, headers: Record<string, string> = { Host: 'localhost' }) =>
  raw(server, `GET ${target} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}Connection: close\r\n\r\n`)

describe('a server with its defaults', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_LOGIN_PER_IP: '1000', RATE_LIMIT_SIGN_PER_IP: '1000' })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('keeps a user-given redirect on this site, whatever it is disguised as', async () => {
    const { email } = await signedInAs(server, 'viewer')
    const locationAfter = async (redirectTo: string) =>
      (await new Client(server.url).post('/admin/login', { email, password: PASSWORD, redirectTo })).headers.get('Location')
    for (const hostile of ['/\t/evil.example', '/%09/evil.example', '/\n/evil.example', '//evil.example', '/\\evil.example', '/%5Cevil.example', '/%2F/evil.example', 'https://evil.example', '/\r\n/evil.example']) {
      expect(await locationAfter(hostile), JSON.stringify(hostile)).toBe('/admin')
    }
    expect(await locationAfter('/admin/campaigns/justice-for-1988?tab=a%20b#x')).toBe('/admin/campaigns/justice-for-1988?tab=a%20b#x')
  })

  it('sends the headers loaders set (no-store, Referrer-Policy) on the HTML page itself', async () => {
    const campaign = await server.db.selectFrom('campaigns').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()
    const token = 'a-private-mission-link-token-for-this-test-only'
    await server.db.insertInto('mission_links').values({ token_hash: hashToken(token), campaign_id: campaign.id, country_code: 'EG', created_at: Date.now(), expires_at: Date.now() + 86_400_000 }).execute()
    const res = await new Client(server.url).get(`/respond/EG/${token}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/)
    expect(res.headers.get('Cache-Control')).toBe('no-store')
    // Browsers apply the last policy a Referrer-Policy header lists (Referrer Policy §11.1).
    expect(res.headers.get('Referrer-Policy')!.split(',').at(-1)!.trim()).toBe('no-referrer')
    const { client } = await signedInAs(server, 'organiser')
    const letters = await client.get(`/admin/campaigns/${SLUG}/letters`)
    expect(letters.headers.get('Content-Type')).toMatch(/^text\/html/)
    expect(letters.headers.get('Cache-Control')).toBe('no-store')
  })

  it('answers a malformed multipart body with a 400 that says so, and records nothing', async () => {
    const campaign = await server.db.selectFrom('campaigns').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()
    const token = 'another-private-mission-link-token-for-this-test'
    await server.db.insertInto('mission_links').values({ token_hash: hashToken(token), campaign_id: campaign.id, country_code: 'FR', created_at: Date.now(), expires_at: Date.now() + 86_400_000 }).execute()
    const body = '--x\r\nContent-Disposition: form-data; name="document"; filename="a.pdf\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--x--\r\n'
    const res = await raw(
      server,
      `POST /respond/FR/${token} HTTP/1.1\r\nHost: localhost\r\nOrigin: http://localhost\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    )
    expect(res.status).toBe(400)
    // In the mission's language (France's: French), the page's text alone: not found in a dictionary sent whole with the page.
    const html = Buffer.from(res.body, 'latin1').toString('utf8').replace(/\r\n[0-9a-f]+\r\n/g, '')
    expect(html).toContain(`<p class="error" role="alert">${replyText('fr').unreadable}</p>`)
    expect(await server.db.selectFrom('mission_responses').select('id').where('country_code', '=', 'FR').execute()).toEqual([])
  })

  it('serves a request whose target is in absolute form as its path, never a 500', async () => {
    const page = await get(server, `http://localhost/campaigns/${SLUG}?lang=fr`)
    expect(page.status).toBe(200)
    const counts = await get(server, `http://evil.example/campaigns/${SLUG}.json`)
    expect(counts.status).toBe(200)
    expect(counts.body).toContain('"signature_count"')
    expect((await get(server, 'http://[::1/x')).status).toBe(404)
  })

  // A SQLite file's permissions; PostgreSQL keeps its files under its own account.
  it.skipIf(testEngine === 'postgres')('creates the database and its WAL owner-only (0600)', async () => {
    await sign(server)
    for (const file of ['app.db', 'app.db-wal', 'app.db-shm']) {
      expect((statSync(path.join(server.dir, file)).mode & 0o777).toString(8), file).toBe('600')
    }
  })
})

describe('the dev mailbox', () => {
  const mailboxServer = (host: string) => startTestServer({ HOST: host, RESEND_API_KEY: undefined as unknown as string })

  it('answers on loopback, only to a loopback Host', async () => {
    const server = await mailboxServer('127.0.0.1')
    try {
      expect(server.config.email.mode).toBe('dev-mailbox')
      expect((await get(server, '/dev/mailbox', { Host: 'localhost:3000' })).status).toBe(200)
      expect((await get(server, '/dev/mailbox', { Host: '127.0.0.1' })).status).toBe(200)
      expect((await get(server, '/dev/mailbox', { Host: 'evil.example' })).status).toBe(404)
      expect((await get(server, '/dev/mailbox', { Host: 'localhost.evil.example' })).status).toBe(404)
      expect((await get(server, '/dev/mailbox', { Host: 'localhost', 'X-Forwarded-Host': 'evil.example' })).status).toBe(404)
    } finally {
      await server.stop()
    }
  })

  it('does not answer while the server listens on every interface, even to a loopback Host', async () => {
    const server = await mailboxServer('0.0.0.0')
    try {
      expect((await get(server, '/dev/mailbox', { Host: 'localhost:3000' })).status).toBe(404)
    } finally {
      await server.stop()
    }
  })

  it('is reachable with the defaults, which listen on loopback when APP_URL is loopback', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'petition-config-'))
    try {
      const local = loadConfig({ SECRETS_FILE: path.join(dir, 'secrets.json'), DATABASE_URL: path.join(dir, 'app.db') }, () => {})
      expect(local.host).toBe('127.0.0.1')
      expect((statSync(path.join(dir, 'secrets.json')).mode & 0o777).toString(8)).toBe('600')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
