import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { translator } from '../../app/i18n/i18n.server'
import { signCampaign } from '../../app/models/signature.server'
import { campaignBySlug, campaignForm } from '../support/campaigns'
import { Client, locationOf } from '../support/http'
import { signedInAs } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'

let server: TestServer
let organiser: Client
let organiserId: string

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_LOGIN_PER_IP: '1000' })
  const signedIn = await signedInAs(server, 'organiser')
  organiser = signedIn.client
  organiserId = signedIn.organiser.id
})
afterAll(async () => {
  await server?.stop()
})

const auditOf = (action: string) =>
  server.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('organiser_id', '=', organiserId).orderBy('created_at', 'desc').execute()

describe('creating a campaign', () => {
  it('answers a form with errors with 400, a message per field, and the values as sent', async () => {
    const res = await organiser.post(
      '/admin/campaigns/new',
      campaignForm({ slug: 'Bad Slug!', goal: '0', 'copy.en.title': 'Kept title', 'copy.en.ask': '', countryGoals: 'SE 100\nXX 5' }),
    )
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('The campaign was not saved')
    expect(html).toContain('Use lower-case letters, digits and single hyphens only')
    expect(html).toContain('The goal must be at least 1.')
    expect(html).toContain('Enter the ask in English (the default language).')
    expect(html).toContain('Line 2: “XX” is not the code of a UN member or observer state.')
    expect(html).toContain('value="Kept title"')
    expect(html).toContain('SE 100')
    expect(await server.db.selectFrom('campaigns').select('id').where('slug', '=', 'bad-slug!').executeTakeFirst()).toBeUndefined()
  })

  it('asks for every field of a second language once one is started', async () => {
    const res = await organiser.post('/admin/campaigns/new', campaignForm({ 'copy.fa.title': 'عنوان' }))
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('Enter a summary in فارسی (a language you started).')
  })

  it('refuses an address another campaign uses', async () => {
    const res = await organiser.post('/admin/campaigns/new', campaignForm({ slug: 'justice-for-1988' }))
    expect(res.status).toBe(409)
    expect(await res.text()).toContain('Another campaign already uses this address.')
  })

  it('creates a draft that only organisers can preview, rendering its Markdown without raw HTML', async () => {
    const form = campaignForm({
      slug: 'draft-one',
      status: 'draft',
      countryGoals: 'se 500\nFR, 200',
      'copy.en.story': 'The **story**.\n\n<script>alert(1)</script>',
      'copy.fa.title': 'عنوان آزمایشی',
      'copy.fa.summary': 'خلاصه',
      'copy.fa.story': 'داستان',
      'copy.fa.ask': 'درخواست',
    })
    const res = await organiser.post('/admin/campaigns/new', form)
    expect(res.status).toBe(302)
    expect(locationOf(res)).toBe('/admin/campaigns/draft-one')

    const campaign = await campaignBySlug(server, 'draft-one')
    expect(campaign.status).toBe('draft')
    const goals = await server.db.selectFrom('campaign_country_goals').select(['country_code', 'goal']).where('campaign_id', '=', campaign.id).orderBy('country_code').execute()
    expect(goals).toEqual([
      { country_code: 'FR', goal: 200 },
      { country_code: 'SE', goal: 500 },
    ])
    const [created] = await auditOf('campaign-created')
    expect(created.target).toBe(`campaign:${campaign.id}`)

    expect((await new Client(server.url).get('/campaigns/draft-one')).status).toBe(404)
    const preview = await organiser.get('/admin/campaigns/draft-one/preview?lang=en')
    expect(preview.status).toBe(200)
    const html = await preview.text()
    expect(html).toContain('Free the test prisoners')
    expect(html).toContain('<strong>story</strong>')
    expect(html).not.toContain('<script>alert(1)</script>')
    expect(html).toContain('&lt;script&gt;')
    expect(html).toMatch(/<fieldset disabled=""/)
    const fa = await (await organiser.get('/admin/campaigns/draft-one/preview?lang=fa')).text()
    expect(fa).toContain('عنوان آزمایشی')
    // In the page's words, not their keys (ADR 139).
    expect(fa).toContain(translator('fa')('campaign.topCountries'))
    expect(html).toContain(translator('en')('sign.submit'))
    expect(html.replace(/<script[\s\S]*?<\/script>/g, '')).not.toMatch(/>(?:campaign|sign|map|milestones)\.[a-zA-Z.]+</)
  })
})

describe('editing a campaign', () => {
  it('saves changes, keeps the values on an error, and records what changed', async () => {
    await organiser.post('/admin/campaigns/new', campaignForm({ slug: 'to-edit', status: 'draft' }))
    const page = await (await organiser.get('/admin/campaigns/to-edit/edit')).text()
    expect(page).toContain('value="Free the test prisoners"')

    const bad = await organiser.post('/admin/campaigns/to-edit/edit', campaignForm({ slug: 'to-edit', 'copy.en.title': '', 'copy.en.summary': 'New summary kept' }))
    expect(bad.status).toBe(400)
    const badHtml = await bad.text()
    expect(badHtml).toContain('Enter a title in English (the default language).')
    expect(badHtml).toContain('New summary kept')

    const ok = await organiser.post('/admin/campaigns/to-edit/edit', campaignForm({ slug: 'edited', status: 'open', goal: '2500', 'copy.en.title': 'A new title' }))
    expect(ok.status).toBe(302)
    expect(locationOf(ok)).toBe('/admin/campaigns/edited')
    const publicPage = await (await new Client(server.url).get('/campaigns/edited?lang=en')).text()
    expect(publicPage).toContain('A new title')
    const [updated] = await auditOf('campaign-updated')
    const details = JSON.parse(updated.details_json)
    expect(details.changed).toEqual(expect.arrayContaining(['slug', 'status', 'goal', 'copy (en)']))
    expect(details.status).toBe('draft → open')
    expect(details.previousSlug).toBe('to-edit')
  })

  it('closing a campaign stops signing and says so on its page', async () => {
    await organiser.post('/admin/campaigns/new', campaignForm({ slug: 'to-close', status: 'open' }))
    const visitor = new Client(server.url)
    const signer = { name: 'Before Closing', email: 'before-close@example.org', country: 'SE' }
    expect((await visitor.post('/campaigns/to-close?lang=en', signer)).status).toBe(303)

    const closed = await organiser.post('/admin/campaigns/to-close/edit', campaignForm({ slug: 'to-close', status: 'closed' }))
    expect(closed.status).toBe(302)
    const page = await (await visitor.get('/campaigns/to-close?lang=en')).text()
    expect(page).toContain('This campaign is closed: it no longer takes signatures.')
    expect(page).not.toContain('name="email"')

    const refused = await visitor.post('/campaigns/to-close?lang=en', { name: 'After Closing', email: 'after-close@example.org', country: 'SE' })
    expect(refused.status).toBe(409)
    const campaign = await campaignBySlug(server, 'to-close')
    const outcome = await signCampaign(
      { db: server.db, vault: server.vault, appUrl: server.config.appUrl, retentionDays: 14 },
      { campaign, title: 't', locale: 'en', ipHash: null, input: { name: 'Model Path', email: 'model@example.org', country: 'SE', showName: false, newsOptIn: false } },
    )
    expect(outcome).toBe('closed')
    const rows = await server.db.selectFrom('signatures').select('id').where('campaign_id', '=', campaign.id).execute()
    expect(rows).toHaveLength(1)
  })

  it('lists drafts and closed campaigns for organisers', async () => {
    const html = await (await organiser.get('/admin')).text()
    expect(html).toContain('/admin/campaigns/draft-one')
    expect(html).toContain('/admin/campaigns/to-close/edit')
  })
})
