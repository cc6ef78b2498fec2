import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { linksIn } from '../support/fake-resend'
import { Client } from '../support/http'
import { PASSWORD, signedInAs } from '../support/organisers'
import { localLink, startTestServer, type TestServer } from '../support/server'

let server: TestServer
let admin: Client
let adminId: string
let adminEmail: string

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_LOGIN_PER_IP: '1000' })
  const signedIn = await signedInAs(server, 'admin')
  admin = signedIn.client
  adminId = signedIn.organiser.id
  adminEmail = signedIn.email
})
afterAll(async () => {
  await server?.stop()
})

const organiserByEmail = async (email: string) => {
  const rows = await server.db.selectFrom('organisers').selectAll().execute()
  return rows.find((r) => server.vault.decrypt(r.email_enc) === email)!
}
const lastAudit = async () =>
  server.db.selectFrom('audit_log').selectAll().where('organiser_id', '=', adminId).orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow()

describe('admins manage organisers', () => {
  it('invites an organiser by email; the one-time link sets their password and they can sign in', async () => {
    const email = 'new-organiser@example.org'
    const res = await admin.post('/admin/organisers', { intent: 'invite', email, name: 'New Person', role: 'viewer' })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain(`Invitation sent to ${email}.`)
    const invited = await organiserByEmail(email)
    // The name is stored encrypted (ADR 089), like the email.
    expect(invited).toMatchObject({ role: 'viewer', name: '', password_hash: null })
    expect(server.vault.decrypt(invited!.name_enc!)).toBe('New Person')
    expect(await lastAudit()).toMatchObject({ action: 'organiser-invited', target: `organiser:${invited.id}` })

    const [mail] = await server.resend.waitFor((all) => all.some((m) => m.to.includes(email)))
    expect(mail.subject).toBe('You are invited to organise a campaign')
    const link = new URL(localLink(server, linksIn(mail.html).find((l) => l.includes('/admin/password/'))!)).pathname
    const them = new Client(server.url)
    expect((await them.post(link, { password: PASSWORD, confirm: PASSWORD })).status).toBe(302)
    expect((await them.post('/admin/login', { email, password: PASSWORD })).status).toBe(302)
    expect((await them.get('/admin')).status).toBe(200)
    expect((await them.post(link, { password: PASSWORD, confirm: PASSWORD })).status).toBe(410)
  })

  it('answers an invitation with errors with 400 and the values kept, and a taken address with 409', async () => {
    const bad = await admin.post('/admin/organisers', { intent: 'invite', email: 'not-an-address', name: 'Kept Name', role: 'organiser' })
    expect(bad.status).toBe(400)
    const html = await bad.text()
    expect(html).toContain('Enter a valid email address.')
    expect(html).toContain('value="Kept Name"')
    const taken = await admin.post('/admin/organisers', { intent: 'invite', email: adminEmail, role: 'viewer' })
    expect(taken.status).toBe(409)
    expect(await taken.text()).toContain('An organiser account already uses this address.')
  })

  it('changes a role, and the new role takes effect at once', async () => {
    const { client, organiser } = await signedInAs(server, 'viewer')
    expect((await client.get('/admin/campaigns/new')).status).toBe(403)
    const res = await admin.post('/admin/organisers', { intent: 'role', id: organiser.id, role: 'organiser' })
    expect(res.status).toBe(200)
    expect((await client.get('/admin/campaigns/new')).status).toBe(200)
    const entry = await lastAudit()
    expect(entry).toMatchObject({ action: 'organiser-role-changed', target: `organiser:${organiser.id}` })
    expect(JSON.parse(entry.details_json)).toEqual({ from: 'viewer', to: 'organiser' })
  })

  it('disabling ends every session of that organiser and stops sign-in; enabling restores it', async () => {
    const { client, organiser, email } = await signedInAs(server, 'organiser')
    expect((await client.get('/admin')).status).toBe(200)
    expect((await admin.post('/admin/organisers', { intent: 'disable', id: organiser.id })).status).toBe(200)
    expect((await client.get('/admin')).status).toBe(302)
    const sessions = await server.db.selectFrom('sessions').select('id_hash').where('organiser_id', '=', organiser.id).execute()
    expect(sessions).toHaveLength(0)
    expect((await new Client(server.url).post('/admin/login', { email, password: PASSWORD })).status).toBe(401)
    expect((await lastAudit()).action).toBe('organiser-disabled')

    expect((await admin.post('/admin/organisers', { intent: 'enable', id: organiser.id })).status).toBe(200)
    expect((await new Client(server.url).post('/admin/login', { email, password: PASSWORD })).status).toBe(302)
    expect((await lastAudit()).action).toBe('organiser-enabled')
  })

  it('refuses to let an admin demote or disable themselves, or leave no active admin', async () => {
    const self = await admin.post('/admin/organisers', { intent: 'disable', id: adminId })
    expect(self.status).toBe(409)
    expect(await self.text()).toContain('You cannot change your own account here')
    const other = await signedInAs(server, 'admin')
    // Two admins: one may demote the other, but not the last one left.
    expect((await admin.post('/admin/organisers', { intent: 'role', id: other.organiser.id, role: 'viewer' })).status).toBe(200)
    const lone = await server.db.selectFrom('organisers').select('id').where('role', '=', 'admin').execute()
    expect(lone.map((r) => r.id)).toEqual([adminId])
  })
})

describe('the audit log', () => {
  it('shows admins who did what, when, newest first, readably', async () => {
    const html = await (await admin.get('/admin/audit')).text()
    expect(html).toContain('organiser enabled')
    expect(html).toContain('organiser role changed')
    expect(html).toContain(`admin tester &lt;${adminEmail}&gt;`)
    expect(html).toContain('organiser New Person &lt;new-organiser@example.org&gt;')
    expect(html.indexOf('organiser enabled')).toBeLessThan(html.indexOf('organiser invited'))
    expect(html).toMatch(/<time dateTime="\d{4}-\d\d-\d\dT/)
  })

  it('pages through a long log', async () => {
    const now = Date.now()
    for (let i = 0; i < 60; i++) {
      await server.db
        .insertInto('audit_log')
        .values({ id: `old-${i}`, organiser_id: adminId, action: 'sign-in', target: null, details_json: '{}', ip_hash: null, created_at: now - 86_400_000 - i })
        .execute()
    }
    const first = await (await admin.get('/admin/audit')).text()
    expect(first).toContain('Page 1 of 2')
    expect(first).toContain('href="/admin/audit?page=2"')
    const second = await admin.get('/admin/audit?page=2')
    expect(second.status).toBe(200)
    expect(await second.text()).toContain('href="/admin/audit?page=1"')
  })
})
