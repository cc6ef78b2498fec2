import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countryOfIp } from '../../app/infra/geoip.server'
import { Client, locationOf } from '../support/http'
import { signedInAs } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'
import { linkIn, nextEmailTo, SLUG } from '../support/signing'
import { setLetterSender } from '../support/campaigns'

// Issue 13 / ADR 089: a test populates a database through the real paths, then scans every table of
// it for personal data in clear. Only counts, codes, times and opaque hashes may be readable.
let server: TestServer

const signers = [
  { name: 'Zhaleh Uniquename', email: 'zhaleh.uniquemail@example.org', country: 'IR', ip: '5.160.0.1', ref: 'diaspora-forum.example', utm: 'secretlistsource' },
  { name: 'Bahram Distinctive', email: 'bahram.distinctmail@example.org', country: 'DE', ip: '2001:db8:abcd:12::77', ref: 'another-forum.example', utm: '' },
]
const pendingSigner = { name: 'Parvin Peculiarname', email: 'parvin.peculiarmail@example.org', country: 'FR', ip: '198.51.100.201' }
const organiserPerson = { name: 'Organiser Rarename', email: 'organiser.raremail@example.org' }

/** Every piece of personal data the population put in, as it could appear in a cell. */
const needles = [
  ...[...signers, pendingSigner].flatMap((s) => [...s.name.split(' '), s.email, s.email.split('@')[0], s.ip]),
  ...signers.flatMap((s) => [s.ref, s.utm].filter(Boolean)),
  ...organiserPerson.name.split(' ').filter((w) => w !== 'Organiser'),
  organiserPerson.email,
  organiserPerson.email.split('@')[0],
  '2001:db8:abcd',
].map((n) => n.toLowerCase())

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_SIGN_PER_IP: '1000', RATE_LIMIT_LOGIN_PER_IP: '1000' })
  await setLetterSender(server, SLUG)
  const admin = (await signedInAs(server, 'admin')).client

  for (const s of signers) {
    const client = new Client(server.url, { 'X-Forwarded-For': s.ip })
    const res = await client.post(`/campaigns/${SLUG}?lang=en`, { name: s.name, email: s.email, country: s.country, showName: 'on', newsOptIn: 'on', ref: s.ref, utm_source: s.utm })
    expect(res.status).toBe(303)
    expect((await client.get(linkIn(server, await nextEmailTo(server, s.email), 'confirm'))).status).toBe(303)
  }
  const pending = new Client(server.url, { 'X-Forwarded-For': pendingSigner.ip })
  expect((await pending.post(`/campaigns/${SLUG}?lang=fr`, { name: pendingSigner.name, email: pendingSigner.email, country: pendingSigner.country })).status).toBe(303)
  await nextEmailTo(server, pendingSigner.email)
  expect((await pending.post(`/campaigns/${SLUG}/resend?lang=fr`, { email: pendingSigner.email })).status).toBe(303)
  await nextEmailTo(server, pendingSigner.email, 1)

  expect((await admin.post('/admin/organisers', { intent: 'invite', email: organiserPerson.email, name: organiserPerson.name, role: 'organiser' })).status).toBe(200)
  await nextEmailTo(server, organiserPerson.email)
  expect((await new Client(server.url).post('/admin/forgot', { email: organiserPerson.email })).status).toBe(200)
  await nextEmailTo(server, organiserPerson.email, 1)

  for (const country of ['IR', 'DE']) {
    const res = await admin.post(`/admin/campaigns/${SLUG}/letters`, { intent: 'generate', country })
    expect((await admin.get(locationOf(res))).status).toBe(200)
  }
  expect((await admin.get(`/admin/campaigns/${SLUG}/moderation?name=Bahram`)).status).toBe(200)
  expect((await admin.get(`/admin/campaigns/${SLUG}`)).status).toBe(200)
  expect((await admin.get('/admin/audit')).status).toBe(200)
  // Every queued message has gone out, so the outbox holds what it keeps after sending.
  for (let i = 0; i < 200; i++) {
    const pendingMail = await server.db.selectFrom('outbox').select('id').where('status', '=', 'pending').execute()
    if (pendingMail.length === 0) break
    await new Promise((r) => setTimeout(r, 25))
  }
})
afterAll(async () => {
  await server?.stop()
})

describe('personal data at rest', () => {
  it('was really put in through the real paths (the scan below has something to find)', async () => {
    const rows = await server.db.selectFrom('signatures').select(['status', 'referrer_hash', 'utm_hash', 'ip_country_enc', 'name_enc']).execute()
    expect(rows).toHaveLength(3)
    expect(rows.filter((r) => r.referrer_hash !== null)).toHaveLength(2)
    expect(rows.filter((r) => r.utm_hash !== null)).toHaveLength(1)
    const names = rows.map((r) => server.vault.decrypt(r.name_enc)).sort()
    expect(names).toEqual([signers[1].name, pendingSigner.name, signers[0].name])
    expect(await server.db.selectFrom('letter_versions').select('id').execute()).toHaveLength(2)
    expect(await server.db.selectFrom('audit_log').select('id').where('action', '=', 'signatures.search').execute()).toHaveLength(1)
    if (countryOfIp(signers[0].ip)) expect(rows.filter((r) => r.ip_country_enc !== null).length).toBeGreaterThan(0)
  })

  it('holds no name, email, IP address, referrer or campaign tag in clear in any table', async () => {
    // On PostgreSQL the introspection lists every schema of the database; each name is read in this server's.
    const tables = [...new Set((await server.db.introspection.getTables()).map((t) => t.name))].map((name) => ({ name }))
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['signatures', 'organisers', 'letter_versions', 'outbox', 'audit_log', 'attribution_labels']))
    const found: string[] = []
    for (const table of tables) {
      const rows = (await server.db.selectFrom(table.name as 'signatures').selectAll().execute()) as Record<string, unknown>[]
      for (const row of rows) {
        for (const [column, value] of Object.entries(row)) {
          const text = Buffer.isBuffer(value) || value instanceof Uint8Array ? Buffer.from(value).toString('latin1').toLowerCase() : typeof value === 'string' ? value.toLowerCase() : null
          if (text === null) continue
          for (const needle of needles) if (text.includes(needle)) found.push(`${table.name}.${column} holds "${needle}"`)
        }
      }
    }
    expect(found).toEqual([])
  })

  it('keeps no IP-derived country, referrer or campaign tag in the old clear columns', async () => {
    const clear = await server.db
      .selectFrom('signatures')
      .select(['ip_country', 'referrer', 'utm_source', 'utm_medium', 'utm_campaign'])
      .where((eb) => eb.or([eb('ip_country', 'is not', null), eb('referrer', 'is not', null), eb('utm_source', 'is not', null)]))
      .execute()
    expect(clear).toEqual([])
    const organisers = await server.db.selectFrom('organisers').select('name').where('name', '!=', '').execute()
    expect(organisers).toEqual([])
  })

  it('still names referrers and tags on the dashboard, and the organiser in the audit log', async () => {
    const admin = (await signedInAs(server, 'admin')).client
    const dashboard = await (await admin.get(`/admin/campaigns/${SLUG}`)).text()
    expect(dashboard).toContain('diaspora-forum.example')
    expect(dashboard).toContain('secretlistsource')
    const organisers = await (await admin.get('/admin/organisers')).text()
    expect(organisers).toContain(organiserPerson.name)
  })
})

describe('data stored in clear before ADR 089', () => {
  it('is moved into its encrypted or hashed form, and still reads the same', async () => {
    const { encryptClearFields } = await import('../../app/models/at-rest.server')
    const row = await server.db.selectFrom('signatures').select(['id', 'country_code']).where('status', '=', 'verified').executeTakeFirstOrThrow()
    await server.db.updateTable('signatures').set({ ip_country: 'RU', ip_country_enc: null, ip_country_differs: null, referrer: 'old-clear-referrer.example', referrer_hash: null, utm_source: 'oldtag', utm_hash: null }).where('id', '=', row.id).execute()
    const { organiser } = await signedInAs(server, 'viewer')
    await server.db.updateTable('organisers').set({ name: 'Legacy Clearname', name_enc: null }).where('id', '=', organiser.id).execute()

    expect(await encryptClearFields(server.db, server.vault)).toBe(3)
    const after = await server.db.selectFrom('signatures').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow()
    expect(after).toMatchObject({ ip_country: null, referrer: null, utm_source: null, ip_country_differs: row.country_code === 'RU' ? 0 : 1 })
    expect(server.vault.decrypt(after.ip_country_enc!)).toBe('RU')
    const labels = await server.db.selectFrom('attribution_labels').select('label_enc').where('hash', 'in', [after.referrer_hash!, after.utm_hash!]).execute()
    expect(labels.map((l) => server.vault.decrypt(l.label_enc)).sort()).toEqual(['r:old-clear-referrer.example', 'u:["oldtag",null,null]'])
    const moved = await server.db.selectFrom('organisers').select(['name', 'name_enc']).where('id', '=', organiser.id).executeTakeFirstOrThrow()
    expect(moved.name).toBe('')
    expect(server.vault.decrypt(moved.name_enc!)).toBe('Legacy Clearname')
    expect(await encryptClearFields(server.db, server.vault)).toBe(0)
  })
})
