import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { campaignForm } from '../support/campaigns'
import { Client, locationOf } from '../support/http'
import { signedInAs } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'

const SLUG = 'justice-for-1988'
let server: TestServer
let viewer: Client
let organiser: Client
let admin: Client
let someoneId: string

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_LOGIN_PER_IP: '1000' })
  ;[viewer, organiser, admin] = await Promise.all([
    signedInAs(server, 'viewer').then((s) => s.client),
    signedInAs(server, 'organiser').then((s) => s.client),
    signedInAs(server, 'admin').then((s) => s.client),
  ])
  someoneId = (await signedInAs(server, 'organiser')).organiser.id
})
afterAll(async () => {
  await server?.stop()
})

const pages = {
  dashboard: `/admin/campaigns/${SLUG}`,
  figures: `/admin/campaigns/${SLUG}/figures`,
  newCampaign: '/admin/campaigns/new',
  edit: `/admin/campaigns/${SLUG}/edit`,
  preview: `/admin/campaigns/${SLUG}/preview`,
  organisers: '/admin/organisers',
  audit: '/admin/audit',
}

describe('what each role may reach', () => {
  it('sends anonymous visitors to sign in from every organiser page, and refuses their posts', async () => {
    const anonymous = new Client(server.url)
    for (const path of Object.values(pages)) {
      const res = await anonymous.get(path)
      expect(res.status, path).toBe(302)
      expect(locationOf(res)).toBe(`/admin/login?redirectTo=${encodeURIComponent(path)}`)
    }
    expect((await anonymous.post(pages.newCampaign, campaignForm())).status).toBe(401)
    expect((await anonymous.post(pages.organisers, { intent: 'invite', email: 'x@example.org', role: 'admin' })).status).toBe(401)
  })

  it('lets a viewer read the dashboard and its figures, and refuses everything else with 403', async () => {
    expect((await viewer.get(pages.dashboard)).status).toBe(200)
    expect((await viewer.get(pages.figures)).status).toBe(200)
    for (const path of [pages.newCampaign, pages.edit, pages.preview, pages.organisers, pages.audit]) {
      expect((await viewer.get(path)).status, path).toBe(403)
    }
    const form = campaignForm({ slug: 'viewer-made-this' })
    expect((await viewer.post(pages.newCampaign, form)).status).toBe(403)
    expect((await viewer.post(pages.edit, campaignForm({ slug: SLUG, status: 'closed' }))).status).toBe(403)
    expect((await viewer.post(pages.organisers, { intent: 'disable', id: someoneId })).status).toBe(403)
    const campaigns = await server.db.selectFrom('campaigns').select(['slug', 'status']).execute()
    expect(campaigns.find((c) => c.slug === 'viewer-made-this')).toBeUndefined()
    expect(campaigns.find((c) => c.slug === SLUG)?.status).toBe('open')
  })

  it('lets an organiser run campaigns but refuses admin pages and actions with 403', async () => {
    for (const path of [pages.dashboard, pages.newCampaign, pages.edit, pages.preview]) {
      expect((await organiser.get(path)).status, path).toBe(200)
    }
    expect((await organiser.get(pages.organisers)).status).toBe(403)
    expect((await organiser.get(pages.audit)).status).toBe(403)
    expect((await organiser.post(pages.organisers, { intent: 'invite', email: 'friend@example.org', role: 'admin' })).status).toBe(403)
    expect((await organiser.post(pages.organisers, { intent: 'role', id: someoneId, role: 'admin' })).status).toBe(403)
    expect((await organiser.post(pages.organisers, { intent: 'disable', id: someoneId })).status).toBe(403)
    const someone = await server.db.selectFrom('organisers').select(['role', 'disabled_at']).where('id', '=', someoneId).executeTakeFirstOrThrow()
    expect(someone).toEqual({ role: 'organiser', disabled_at: null })
  })

  it('lets an admin reach every organiser page', async () => {
    for (const path of Object.values(pages)) expect((await admin.get(path)).status, path).toBe(200)
  })

  it('shows a viewer no way to edit', async () => {
    const html = await (await viewer.get('/admin')).text()
    expect(html).not.toContain('/admin/campaigns/new')
    expect(html).not.toContain(`/admin/campaigns/${SLUG}/edit`)
  })
})

// Issue 13: the role matrix covers every write and every read of personal data (letters included).
describe('the role matrix: every write and every read of personal data', () => {
  const writes: [path: string, role: 'organiser' | 'admin'][] = [
    ['/admin/campaigns/new', 'organiser'],
    [`/admin/campaigns/${SLUG}/edit`, 'organiser'],
    [`/admin/campaigns/${SLUG}/letters`, 'organiser'],
    [`/admin/campaigns/${SLUG}/letters/some-letter`, 'organiser'],
    [`/admin/campaigns/${SLUG}/responses`, 'organiser'],
    [`/admin/campaigns/${SLUG}/moderation`, 'organiser'],
    [`/admin/campaigns/${SLUG}/updates`, 'organiser'],
    [`/admin/campaigns/${SLUG}/updates/some-update`, 'organiser'],
    ['/admin/missions/FR', 'organiser'],
    ['/admin/missions/import', 'organiser'],
    ['/admin/organisers', 'admin'],
  ]
  const personalReads: [path: string, role: 'organiser' | 'admin'][] = [
    [`/admin/campaigns/${SLUG}/letters/some-letter`, 'organiser'],
    [`/admin/campaigns/${SLUG}/letters/some-letter/pdf`, 'organiser'],
    [`/admin/campaigns/${SLUG}/letters.zip`, 'organiser'],
    [`/admin/campaigns/${SLUG}/export.csv`, 'organiser'],
    [`/admin/campaigns/${SLUG}/moderation?name=Someone`, 'organiser'],
    [`/admin/campaigns/${SLUG}/updates`, 'organiser'],
    [`/admin/campaigns/${SLUG}/preview`, 'organiser'],
    ['/admin/organisers', 'admin'],
    ['/admin/audit', 'admin'],
  ]
  const auditRows = async () => Number((await server.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

  it('refuses every write to anyone without the role, and records nothing', async () => {
    const before = await auditRows()
    const anonymous = new Client(server.url)
    for (const [path, role] of writes) {
      const form = { intent: 'generate', country: 'FR', locale: 'en', subject: 'x', body: 'y', email: 'x@example.org', role: 'admin', id: someoneId }
      expect((await anonymous.post(path, form)).status, `anonymous ${path}`).toBe(401)
      expect((await viewer.post(path, form)).status, `viewer ${path}`).toBe(403)
      if (role === 'admin') expect((await organiser.post(path, form)).status, `organiser ${path}`).toBe(403)
    }
    expect(await auditRows()).toBe(before)
  })

  it('refuses every read of personal data to viewers (and admin reads to organisers)', async () => {
    const anonymous = new Client(server.url)
    for (const [path, role] of personalReads) {
      expect((await anonymous.get(path)).status, `anonymous ${path}`).toBe(302)
      expect((await viewer.get(path)).status, `viewer ${path}`).toBe(403)
      if (role === 'admin') expect((await organiser.get(path)).status, `organiser ${path}`).toBe(403)
    }
  })

  it('lets a viewer read the aggregates: dashboard, figures, letters list, missions, counts', async () => {
    for (const path of [`/admin/campaigns/${SLUG}`, `/admin/campaigns/${SLUG}/figures`, `/admin/campaigns/${SLUG}/letters`, '/admin/missions', `/admin/campaigns/${SLUG}/counts.csv`]) {
      expect((await viewer.get(path)).status, path).toBe(200)
    }
  })
})
