import { readdirSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../../app/db.server'
import { Client } from '../support/http'
import { createOrganiser, setPassword } from '../../app/models/organiser.server'
import { PASSWORD, signedInAs } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'
import { SLUG } from '../support/signing'

/**
 * The role table: every organiser route, the least role that may read it (its loader) and the least
 * role that may change anything through it (its action, every intent the action names). The test walks
 * app/routes: a new admin route that is not in this table fails, so a route cannot ship unguarded by
 * omission. How to add one: docs/testing.md.
 *
 * `read` or `write` null: the route has no loader or no action. Reads by 'organiser' are the reads of
 * personal data (a viewer sees aggregates only, ADR 087).
 */
type Need = Role | null
/** `intents`: the intents of an action that need more than its `write` (ADR 137). */
const ADMIN_ROUTES: Record<string, { path: string; read: Need; write: Need; intents?: Record<string, Role> }> = {
  'admin._index.tsx': { path: '/admin', read: 'viewer', write: null },
  'admin.account.tsx': { path: '/admin/account', read: 'viewer', write: 'viewer' },
  'admin.audit.tsx': { path: '/admin/audit', read: 'admin', write: null },
  'admin.campaigns.$slug._index.tsx': { path: `/admin/campaigns/${SLUG}`, read: 'viewer', write: null },
  'admin.campaigns.$slug.edit.tsx': { path: `/admin/campaigns/${SLUG}/edit`, read: 'organiser', write: 'organiser' },
  'admin.campaigns.$slug.figures.ts': { path: `/admin/campaigns/${SLUG}/figures`, read: 'viewer', write: null },
  'admin.campaigns.$slug.letters.$id.pdf.ts': { path: `/admin/campaigns/${SLUG}/letters/some-letter/pdf`, read: 'organiser', write: null },
  'admin.campaigns.$slug.letters.$id.tsx': { path: `/admin/campaigns/${SLUG}/letters/some-letter`, read: 'organiser', write: 'organiser' },
  'admin.campaigns.$slug.letters._index.tsx': { path: `/admin/campaigns/${SLUG}/letters`, read: 'viewer', write: 'organiser' },
  'admin.campaigns.$slug.letters.sender.tsx': { path: `/admin/campaigns/${SLUG}/letters/sender`, read: 'viewer', write: 'organiser' },
  'admin.campaigns.$slug.letters[.zip].ts': { path: `/admin/campaigns/${SLUG}/letters.zip`, read: 'organiser', write: null },
  'admin.campaigns.$slug.preview.tsx': { path: `/admin/campaigns/${SLUG}/preview`, read: 'organiser', write: null },
  'admin.campaigns.$slug.responses.tsx': { path: `/admin/campaigns/${SLUG}/responses`, read: 'viewer', write: 'organiser' },
  'admin.campaigns.new.tsx': { path: '/admin/campaigns/new', read: 'organiser', write: 'organiser' },
  'admin.campaigns.$slug.counts[.csv].ts': { path: `/admin/campaigns/${SLUG}/counts.csv`, read: 'viewer', write: null },
  'admin.campaigns.$slug.export[.csv].ts': { path: `/admin/campaigns/${SLUG}/export.csv`, read: 'organiser', write: null },
  'admin.campaigns.$slug.moderation.tsx': { path: `/admin/campaigns/${SLUG}/moderation`, read: 'organiser', write: 'organiser' },
  'admin.campaigns.$slug.partners.tsx': {
    path: `/admin/campaigns/${SLUG}/partners`,
    read: 'organiser',
    write: 'organiser',
    intents: { 'key-create': 'admin', 'webhook-set': 'admin' },
  },
  'admin.campaigns.$slug.paper.tsx': { path: `/admin/campaigns/${SLUG}/paper`, read: 'organiser', write: 'organiser' },
  'admin.campaigns.$slug.paper[.csv].ts': { path: `/admin/campaigns/${SLUG}/paper.csv`, read: 'organiser', write: null },
  // A partner's own organisers read these too (ADR 131): tests/http/partner-consent.test.ts.
  'admin.campaigns.$slug.partners_.$ref.tsx': { path: `/admin/campaigns/${SLUG}/partners/AAAAAAAAAAAA`, read: 'organiser', write: 'admin' },
  'admin.campaigns.$slug.partners_.$ref.export[.csv].ts': { path: `/admin/campaigns/${SLUG}/partners/AAAAAAAAAAAA/export.csv`, read: 'organiser', write: null },
  'admin.campaigns.$slug.embed.tsx': { path: `/admin/campaigns/${SLUG}/embed`, read: 'organiser', write: 'organiser' },
  'admin.campaigns.$slug.image.tsx': { path: `/admin/campaigns/${SLUG}/image`, read: 'organiser', write: 'organiser' },
  'admin.campaigns.$slug.undelivered.tsx': { path: `/admin/campaigns/${SLUG}/undelivered`, read: 'organiser', write: 'organiser' },
  'admin.campaigns.$slug.updates.tsx': { path: `/admin/campaigns/${SLUG}/updates`, read: 'organiser', write: 'organiser' },
  'admin.campaigns.$slug.updates_.$id.tsx': { path: `/admin/campaigns/${SLUG}/updates/some-update`, read: 'organiser', write: 'organiser' },
  'admin.campaigns.$slug.updates_.$id_.preview[.html].ts': { path: `/admin/campaigns/${SLUG}/updates/some-update/preview.html`, read: 'organiser', write: null },
  'admin.missions.$code.tsx': { path: '/admin/missions/FR', read: 'viewer', write: 'organiser' },
  'admin.missions._index.tsx': { path: '/admin/missions', read: 'viewer', write: null },
  'admin.missions.import.tsx': { path: '/admin/missions/import', read: 'organiser', write: 'organiser' },
  'admin.missions[.csv].ts': { path: '/admin/missions.csv', read: 'viewer', write: null },
  'admin.organisers.tsx': { path: '/admin/organisers', read: 'admin', write: 'admin' },
  'admin.un-addressees.tsx': { path: '/admin/un-addressees', read: 'viewer', write: 'organiser' },
}
// Admin routes open to the signed out, each for a reason: signing in and out, the layout, and links
// that carry their own token (token-purposes.test.ts).
const OPEN_ADMIN_ROUTES = ['admin.tsx', 'admin.login.tsx', 'admin.login_.code.tsx', 'admin.forgot.tsx', 'admin.logout.tsx', 'admin.password.$token.tsx', 'admin.passkey.ts']

const ROLES: Role[] = ['viewer', 'organiser', 'admin']
const rank = (role: Role) => ROLES.indexOf(role)

/** The intents an action names, read from its source: a new intent is checked without a new line here. */
function intentsOf(file: string): string[] {
  const source = readFileSync(`app/routes/${file}`, 'utf8')
  const found = [...source.matchAll(/intent === '([a-z-]+)'|case '([a-z-]+)'/g)].map((m) => m[1] ?? m[2])
  return ['', ...new Set(found)]
}

let server: TestServer
const clients = {} as Record<Role | 'signed out', Client>

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_LOGIN_PER_IP: '1000' })
  for (const role of ROLES) clients[role] = (await signedInAs(server, role)).client
  clients['signed out'] = new Client(server.url)
})
afterAll(async () => {
  await server?.stop()
})

/** An account limited to a partner (ADR 131) holding `role`: an admin who made a mistake must not widen it. */
async function partnerClient(role: Role) {
  const email = `partner-${role}-${Math.random().toString(36).slice(2)}@example.org`
  const partnerId = `partner-of-${role}`
  await server.db.insertInto('partners').values({ id: partnerId, campaign_id: (await server.db.selectFrom('campaigns').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()).id, ref: `ref${role}`.padEnd(12, 'x'), name: 'P', url: null, privacy_url: null, contact_email_enc: null, logo: null, logo_type: null, created_at: 1, updated_at: 1, removed_at: null }).execute()
  const organiser = await createOrganiser(server.db, server.vault, { email, role, name: 'Partner staff', partnerId })
  await setPassword(server.db, organiser.id, PASSWORD)
  const client = new Client(server.url)
  const res = await client.post('/admin/login', { email, password: PASSWORD, redirectTo: '/admin' })
  if (res.status !== 302) throw new Error(`sign-in failed with ${res.status}`)
  return client
}

const auditRows = async () => Number((await server.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
const signatureRows = async () => Number((await server.db.selectFrom('signatures').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

describe('the role table', () => {
  it('lists every admin route in app/routes', () => {
    const files = readdirSync('app/routes').filter((f) => f.startsWith('admin'))
    const unlisted = files.filter((f) => !(f in ADMIN_ROUTES) && !OPEN_ADMIN_ROUTES.includes(f))
    const gone = [...Object.keys(ADMIN_ROUTES), ...OPEN_ADMIN_ROUTES].filter((f) => !files.includes(f))
    expect(unlisted, 'admin routes missing from the role table').toEqual([])
    expect(gone, 'table entries with no route file').toEqual([])
  })

  it('matches each route file: a loader where a read is listed, an action where a write is', () => {
    for (const [file, entry] of Object.entries(ADMIN_ROUTES)) {
      const source = readFileSync(`app/routes/${file}`, 'utf8')
      expect(/export (async function|const|function) loader\b/.test(source), `${file} loader`).toBe(entry.read !== null)
      expect(/export (async function|const|function) action\b/.test(source), `${file} action`).toBe(entry.write !== null)
    }
  })

  it('sends the signed out to sign in, and refuses a role below the one listed, for every read', async () => {
    const wrong: string[] = []
    for (const [file, { path, read }] of Object.entries(ADMIN_ROUTES)) {
      if (!read) continue
      const anonymous = await clients['signed out'].get(path)
      await anonymous.text()
      if (anonymous.status !== 302 || !anonymous.headers.get('Location')?.startsWith('/admin/login')) wrong.push(`signed out GET ${path} (${file}): ${anonymous.status}`)
      for (const role of ROLES) {
        const res = await clients[role].get(path)
        await res.text()
        const allowed = rank(role) >= rank(read)
        if (!allowed && res.status !== 403) wrong.push(`${role} GET ${path}: ${res.status}, want 403`)
        if (allowed && (res.status === 401 || res.status === 403 || res.headers.get('Location')?.startsWith('/admin/login'))) wrong.push(`${role} GET ${path}: ${res.status}, want access`)
      }
    }
    expect(wrong).toEqual([])
  })

  it('refuses every intent of every write to the signed out (401) and to a role below the one listed (403), and records nothing', async () => {
    const before = { audit: await auditRows(), signatures: await signatureRows() }
    const wrong: string[] = []
    for (const [file, { path, write, intents }] of Object.entries(ADMIN_ROUTES)) {
      if (!write) continue
      for (const intent of intentsOf(file)) {
        const need = intents?.[intent] ?? write
        // Enough of a form for most actions to do something if they were let through.
        const form = { intent, country: 'FR', locale: 'en', subject: 'x', body: 'y', email: 'x@example.org', role: 'admin', id: 'someone', confirm: 'yes' }
        const anonymous = await clients['signed out'].post(path, form)
        await anonymous.text()
        if (anonymous.status !== 401) wrong.push(`signed out POST ${path} intent=${intent}: ${anonymous.status}, want 401`)
        for (const role of ROLES.filter((r) => rank(r) < rank(need))) {
          const res = await clients[role].post(path, form)
          await res.text()
          if (res.status !== 403) wrong.push(`${role} POST ${path} intent=${intent}: ${res.status}, want 403`)
        }
      }
    }
    expect(wrong).toEqual([])
    expect({ audit: await auditRows(), signatures: await signatureRows() }).toEqual(before)
    expect(await server.db.selectFrom('letter_jobs').selectAll().execute()).toEqual([])
    expect(await server.db.selectFrom('letter_deliveries').selectAll().execute()).toEqual([])
    expect(await server.db.selectFrom('outbox').selectAll().execute()).toEqual([])
  })

  it("refuses a partner's organiser every route but its account, whatever role the account holds (ADR 131)", async () => {
    // Scoped to a partner that does not exist: the scope, not the partner, is what every route refuses.
    const wrong: string[] = []
    const partnerOpen = ['admin.account.tsx', 'admin._index.tsx', 'admin.campaigns.$slug.partners_.$ref.tsx', 'admin.campaigns.$slug.partners_.$ref.export[.csv].ts']
    for (const role of ROLES) {
      const client = await partnerClient(role)
      for (const [file, { path, read, write }] of Object.entries(ADMIN_ROUTES)) {
        if (partnerOpen.includes(file)) continue
        if (read) {
          const res = await client.get(path)
          await res.text()
          if (res.status !== 403) wrong.push(`partner ${role} GET ${path}: ${res.status}, want 403`)
        }
        if (write) {
          const res = await client.post(path, { intent: intentsOf(file)[1] ?? '', email: 'x@example.org', role: 'admin', id: 'someone', confirm: 'yes' })
          await res.text()
          if (res.status !== 403) wrong.push(`partner ${role} POST ${path}: ${res.status}, want 403`)
        }
      }
      const account = await client.get('/admin/account')
      await account.text()
      if (account.status !== 200) wrong.push(`partner ${role} GET /admin/account: ${account.status}, want 200`)
    }
    expect(wrong).toEqual([])
  })

  it('refuses passkey registration to the signed out (sign-in itself is open)', async () => {
    const res = await clients['signed out'].request('/admin/passkey', { method: 'POST', body: JSON.stringify({ intent: 'register-options' }), headers: { 'Content-Type': 'application/json', Origin: server.url } })
    await res.text()
    expect(res.status).toBe(401)
  })
})

describe('the /admin origin guard, on its own', () => {
  // The global guard lets a POST without Origin through (non-browser clients); under /admin a browser's
  // own markers are required, so these differ from the global rule and prove this guard answers.
  const post = (headers: Record<string, string>) =>
    fetch(`${server.url}/admin/login`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body: 'email=x%40example.org&password=x' })

  it.each([
    ['no Origin and no Sec-Fetch-Site', {}],
    ['no Origin, Sec-Fetch-Site cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
    ['no Origin, Sec-Fetch-Site same-site (a sibling subdomain)', { 'Sec-Fetch-Site': 'same-site' }],
  ])('refuses a POST with %s', async (_name, headers) => {
    const res = await post(headers)
    expect(res.status).toBe(403)
    expect(await res.text()).toBe('Cross-origin request refused.')
  })

  it('lets a POST from the page itself through to the form (Origin, or Sec-Fetch-Site same-origin alone)', async () => {
    for (const headers of [{ Origin: server.url }, { 'Sec-Fetch-Site': 'same-origin' }] as Record<string, string>[]) {
      const res = await post(headers)
      const body = await res.text()
      expect(body).not.toBe('Cross-origin request refused.')
      expect(res.status).not.toBe(403)
    }
  })

  it.each(['/%61dmin/login', '/ADMIN/login', '/admin%2Flogin'])('refuses a POST with no Origin at %s, which names the same page', async (path) => {
    const res = await fetch(`${server.url}${path}`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'email=x%40example.org&password=x' })
    expect(res.status).toBe(403)
    expect(await res.text()).toBe('Cross-origin request refused.')
  })

  it('refuses a foreign Origin under /admin before any session is read', async () => {
    const res = await post({ Origin: 'https://other.example' })
    expect(res.status).toBe(403)
    await res.text()
  })
})
