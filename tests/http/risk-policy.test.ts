import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dictionaries, type Locale } from '../../app/i18n/i18n.server'
import { countryName } from '../../app/infra/countries.server'
import { Client, locationOf } from '../support/http'
import { signedInAs } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'
import { signAndConfirm, SLUG } from '../support/signing'
import { setLetterSender } from '../support/campaigns'

// Issue 13: "Show my name on the letter to my country's delegation" sent an Iran-resident signer's
// full name to Iran's own mission, and the public recent-signers list showed their first name.
let server: TestServer
let organiser: Client
let viewer: Client
let campaignId: string

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_SIGN_PER_IP: '1000', RATE_LIMIT_LOGIN_PER_IP: '1000' })
  await setLetterSender(server, SLUG)
  organiser = (await signedInAs(server, 'organiser')).client
  viewer = (await signedInAs(server, 'viewer')).client
  campaignId = (await server.db.selectFrom('campaigns').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()).id
  // Through the real sign and confirm paths, both ticking "show my name".
  await signAndConfirm(server, { name: 'Shirin Tehrani', country: 'IR', showName: 'on' })
  await signAndConfirm(server, { name: 'Amal Cairene', country: 'EG', showName: 'on' })
})
afterAll(async () => {
  await server?.stop()
})

async function generate(country: string) {
  const res = await organiser.post(`/admin/campaigns/${SLUG}/letters`, { intent: 'generate', country })
  expect(res.status).toBe(302)
  return locationOf(res)
}

describe('states where signers are at risk', () => {
  it('marks Iran for the first campaign from the seed', async () => {
    const rows = await server.db.selectFrom('campaign_risk_states').select('country_code').where('campaign_id', '=', campaignId).execute()
    expect(rows.map((r) => r.country_code)).toEqual(['IR'])
  })

  it('never shows a signer from Iran among recent signers, whatever they ticked', async () => {
    const page = await (await new Client(server.url).get(`/campaigns/${SLUG}?lang=en`)).text()
    expect(page).toContain('Amal')
    expect(page).not.toContain('Shirin')
    const stored = await server.db.selectFrom('signatures').select(['country_code', 'show_name']).where('campaign_id', '=', campaignId).orderBy('country_code').execute()
    expect(stored).toEqual([
      { country_code: 'EG', show_name: 1 },
      { country_code: 'IR', show_name: 0 },
    ])
  })

  it("never names a signer from Iran in the letter to Iran's mission; only the count goes", async () => {
    const irPage = await generate('IR')
    const html = await (await organiser.get(irPage)).text()
    expect(html).not.toContain('Shirin')
    expect(html).not.toContain('Tehrani')
    expect(html).toContain('marked as a state where signers are at risk')
    const letter = await server.db.selectFrom('letter_versions').select(['content_enc', 'country_count', 'named_count']).where('country_code', '=', 'IR').executeTakeFirstOrThrow()
    expect(letter.country_count).toBe(1)
    expect(letter.named_count).toBe(0)
    expect(server.vault.decrypt(letter.content_enc)).not.toContain('Shirin')
    // A state not marked still carries the names its signers chose to show.
    const egPage = await generate('EG')
    expect(await (await organiser.get(egPage)).text()).toContain('Amal Cairene')
  })

  it('withholds a name even when it was stored as shown before the state was marked', async () => {
    // A signer from Egypt who ticked the box, then an organiser marks Egypt.
    expect((await organiser.post(`/admin/campaigns/${SLUG}/letters`, { intent: 'mark-risk', country: 'EG' })).status).toBe(302)
    try {
      const page = await (await new Client(server.url).get(`/campaigns/${SLUG}?lang=en`)).text()
      expect(page).not.toContain('Amal')
      const html = await (await organiser.get(await generate('EG'))).text()
      expect(html).not.toContain('Amal Cairene')
      const audit = await server.db.selectFrom('audit_log').select(['action', 'target']).where('action', '=', 'risk.mark').execute()
      expect(audit).toEqual([{ action: 'risk.mark', target: `${SLUG}/EG` }])
    } finally {
      expect((await organiser.post(`/admin/campaigns/${SLUG}/letters`, { intent: 'unmark-risk', country: 'EG' })).status).toBe(302)
    }
    expect(await (await new Client(server.url).get(`/campaigns/${SLUG}?lang=en`)).text()).toContain('Amal')
  })

  it('lets a viewer see the policy but not change it', async () => {
    const list = await (await viewer.get(`/admin/campaigns/${SLUG}/letters`)).text()
    expect(list).toContain('States where signers are at risk')
    expect(list).toContain('Iran (Islamic Republic of) (IR)')
    expect((await viewer.post(`/admin/campaigns/${SLUG}/letters`, { intent: 'unmark-risk', country: 'IR' })).status).toBe(403)
    expect(await server.db.selectFrom('campaign_risk_states').select('country_code').where('campaign_id', '=', campaignId).execute()).toEqual([{ country_code: 'IR' }])
  })

  it('refuses to mark something that is not a state, with a message', async () => {
    const res = await organiser.post(`/admin/campaigns/${SLUG}/letters`, { intent: 'mark-risk', country: 'XX' })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('Choose a state from the list')
  })

  it.each([
    ['en', 'your name will never be sent to that state’s mission'],
    ['fa', 'نام شما هرگز به نمایندگی آن کشور فرستاده نمی‌شود'],
    ['fr', 'votre nom ne sera jamais transmis à la mission de cet État'],
    ['es', 'tu nombre nunca se enviará a la misión de ese Estado'],
    ['ar', 'لن يُرسَل اسمك أبدًا إلى وفد تلك الدولة'],
  ])('says on the %s sign form and privacy page what the letter to an at-risk state carries', async (lang, phrase) => {
    const client = new Client(server.url)
    const form = await (await client.get(`/campaigns/${SLUG}?lang=${lang}`)).text()
    expect(form).toContain(phrase)
    const iran = countryName('IR', lang as Locale)
    expect(form).toContain(iran)
    const privacy = await (await client.get(`/privacy?lang=${lang}`)).text()
    expect(privacy).toContain(dictionaries[lang as Locale]['privacy.riskTitle'])
    expect(privacy).toContain(iran)
  })
})
