import { DOMParser, type Element } from '@xmldom/xmldom'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { campaignForm } from '../support/campaigns'
import { Client, locationOf } from '../support/http'
import { signedInAs } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'
import { seedSignatures, SLUG } from '../support/signatures'

// Item 3 of issue 15: the map, milestones, public updates and their feed, end dates and victories.
let server: TestServer
let organiser: Client
const visitor = () => new Client(server.url)
beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_LOGIN_PER_IP: '1000' })
  organiser = (await signedInAs(server, 'organiser')).client
}, 120_000)
afterAll(async () => {
  await server?.stop()
})

const page = async (path: string) => {
  const res = await visitor().get(path)
  return { status: res.status, html: await res.text() }
}

describe('the public map', () => {
  it('draws the dashboard’s map on the campaign page, exact from 5 signers, only “fewer than 5” below, in the reader’s language', async () => {
    await seedSignatures(server, [
      ...Array.from({ length: 7 }, (_, i) => ({ email: `ca${i}@map.example`, country: 'CA' })),
      ...Array.from({ length: 2 }, (_, i) => ({ email: `is${i}@map.example`, country: 'IS' })),
      // Withheld with Iceland, or the total minus Canada would be Iceland's figure (ADR 113).
      ...Array.from({ length: 6 }, (_, i) => ({ email: `nz${i}@map.example`, country: 'NZ' })),
      { email: 'pending@map.example', country: 'NO', status: 'pending' as const },
    ])
    const en = await page(`/campaigns/${SLUG}?lang=en`)
    expect(en.status).toBe(200)
    expect(en.html).toMatch(/<svg viewBox="0 0 960 470" role="img" aria-label="World map of verified signatures by country of residence: signers live in 3 countries/)
    expect(en.html).toContain('<title>Canada: 7 verified signatures</title>')
    expect(en.html).toContain('<title>Iceland: fewer than 5 verified signatures, or figure withheld</title>')
    expect(en.html).toContain('<title>New Zealand: fewer than 5 verified signatures, or figure withheld</title>')
    // Not verified: not on the map.
    expect(en.html).toContain('<title>Norway: 0 verified signatures</title>')
    // The page's data carries no figure under 5, nor does any shade or legend entry narrow it down.
    expect(en.html).toMatch(/\{\\?"code\\?":\\?"IS\\?",\\?"count\\?":null/)
    expect(en.html).not.toMatch(/\\?"IS\\?",\\?"count\\?":2/)
    expect(en.html).toMatch(/data-country="IS"[^>]*>|class="shade-1" data-country="IS"/)
    expect(en.html).toContain('fewer than 5, or withheld</li>')

    const fa = await page(`/campaigns/${SLUG}?lang=fa`)
    expect(fa.html).toContain('۷ امضای تأییدشده</title>')
    expect(fa.html).toContain('کمتر از ۵ امضای تأییدشده، یا رقمی که نشان داده نمی‌شود</title>')
    expect(fa.html).toContain('راهنمای نقشه')
  })

  it('draws each state from one outlines file on this origin that browsers keep, not outlines in every page (ADR 139)', async () => {
    const { html } = await page(`/campaigns/${SLUG}?lang=en`)
    const svg = /<svg viewBox="0 0 960 470"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? ''
    const refs = [...svg.matchAll(/<use href="([^"#]+)#([^"]+)"/g)]
    expect(refs.length).toBeGreaterThan(150)
    expect(new Set(refs.map((r) => r[1])).size).toBe(1)
    const href = refs[0][1]
    expect(href).toMatch(/^\/map\.svg\?v=[0-9a-f]{16}$/)
    // No outline in the page: not in its HTML, not in its data.
    expect(html).not.toMatch(/ d="M|\\?"d\\?":/)
    expect(html.length).toBeLessThan(150_000)

    const res = await visitor().get(href)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    // The same for every reader: kept whatever cookies come and go.
    expect(res.headers.get('vary') ?? '').not.toMatch(/cookie/i)
    expect((await visitor().get(`/campaigns/${SLUG}?lang=en`)).headers.get('vary')).toMatch(/Cookie/)
    const outlines = new DOMParser().parseFromString(await res.text(), 'image/svg+xml')
    const ids = new Set(Array.from(outlines.getElementsByTagName('path')).map((p) => (p as Element).getAttribute('id')))
    for (const [, , id] of refs) expect(ids.has(id), id).toBe(true)
    expect(ids.has('IR')).toBe(true)
    // Another version (a page cached before a new build) gets today's outlines, not kept a year.
    expect((await visitor().get('/map.svg?v=0000000000000000')).headers.get('cache-control')).toBe('public, max-age=300')
  })
})

describe('milestones, end dates and victories', () => {
  it('shows each language’s milestones with the progress, refuses a bad one in a clear 400, and keeps them on the edit page', async () => {
    const form = campaignForm({
      slug: 'with-milestones',
      'copy.en.milestones': '10: we deliver the letters\n2: we write to the Secretary-General',
      'copy.fa.title': 'عنوان',
      'copy.fa.summary': 'خلاصه',
      'copy.fa.story': 'داستان',
      'copy.fa.ask': 'درخواست',
      'copy.fa.milestones': '۱۰: نامه‌ها را تحویل می‌دهیم',
    })
    const bad = await organiser.post('/admin/campaigns/new', { ...form, 'copy.en.milestones': 'ten thousand, letters' })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('Milestones in English, line 1: write a number of signatures, a colon and the text')
    expect((await organiser.post('/admin/campaigns/new', form)).status).toBe(302)
    await seedSignatures(server, [{ email: 'a@ms.example' }, { email: 'b@ms.example' }, { email: 'c@ms.example' }], 'with-milestones')

    const en = await page('/campaigns/with-milestones?lang=en')
    expect(en.html).toMatch(/<ol class="milestones"[^>]*><li class="reached"><strong>2<\/strong> <span lang="en" dir="ltr">we write to the Secretary-General<\/span>/)
    expect(en.html).toMatch(/<li><strong>10<\/strong> <span lang="en" dir="ltr">we deliver the letters<\/span><\/li>/)
    const fa = await page('/campaigns/with-milestones?lang=fa')
    expect(fa.html).toContain('<h2 id="milestones-heading">گام‌ها</h2>')
    expect(fa.html).toContain('<strong>۱۰</strong> <span lang="fa" dir="rtl">نامه‌ها را تحویل می‌دهیم</span>')
    expect(fa.html).not.toContain('we deliver the letters')

    const edit = await (await organiser.get('/admin/campaigns/with-milestones/edit')).text()
    expect(edit).toContain('2: we write to the Secretary-General\n10: we deliver the letters')
  })

  it('closes a campaign by itself after its end date: no sign form, signing and confirming refused', async () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)
    expect((await organiser.post('/admin/campaigns/new', campaignForm({ slug: 'ends-soon', endsOn: tomorrow }))).status).toBe(302)
    const open = await page('/campaigns/ends-soon?lang=en')
    expect(open.html).toContain('Signatures are taken until')
    expect(open.html).toContain('name="email"')

    const badDate = await organiser.post('/admin/campaigns/ends-soon/edit', campaignForm({ slug: 'ends-soon', endsOn: '2027-02-30' }))
    expect(badDate.status).toBe(400)
    expect(await badDate.text()).toContain('Enter a real date, like 2027-03-31.')

    // A signer who signed before the end and confirms after it is not counted.
    const sign = await visitor().post('/campaigns/ends-soon?lang=en', { name: 'Late Signer', email: 'late@end.example', country: 'SE', intent: 'sign' })
    expect(sign.status).toBe(303)
    const mails = await server.resend.waitFor((all) => all.some((m) => m.to.includes('late@end.example')))
    const confirm = /\/s\/confirm\/[\w-]+/.exec(mails.find((m) => m.to.includes('late@end.example'))!.html)![0]

    expect((await organiser.post('/admin/campaigns/ends-soon/edit', campaignForm({ slug: 'ends-soon', endsOn: yesterday }))).status).toBe(302)
    const closed = await page('/campaigns/ends-soon?lang=en')
    expect(closed.html).toContain('This campaign closed on')
    expect(closed.html).not.toContain('name="email"')
    const fr = await page('/campaigns/ends-soon?lang=fr')
    expect(fr.html).toContain('Cette campagne a pris fin le')

    const refused = await visitor().post('/campaigns/ends-soon?lang=en', { name: 'Too Late', email: 'toolate@end.example', country: 'SE' })
    expect(refused.status).toBe(409)
    await visitor().get(confirm)
    const row = await server.db
      .selectFrom('signatures')
      .select('status')
      .where('email_hash', '=', server.vault.emailHash('late@end.example'))
      .executeTakeFirstOrThrow()
    expect(row.status).toBe('pending')
  })

  it('declares a victory with its text per language, and the page stops inviting signatures', async () => {
    expect((await organiser.post('/admin/campaigns/new', campaignForm({ slug: 'we-won' }))).status).toBe(302)
    const noText = await organiser.post('/admin/campaigns/we-won/edit', campaignForm({ slug: 'we-won', victory: 'on' }))
    expect(noText.status).toBe(400)
    expect(await noText.text()).toContain('Say what was won, in English (the default language).')
    const won = await organiser.post('/admin/campaigns/we-won/edit', campaignForm({ slug: 'we-won', victory: 'on', 'copy.en.victory': 'The Council adopted the resolution.' }))
    expect(won.status).toBe(302)
    const en = await page('/campaigns/we-won?lang=en')
    expect(en.html).toContain('<h2 id="victory-heading">Victory</h2>')
    expect(en.html).toContain('The Council adopted the resolution.')
    expect(en.html).toContain('The campaign has won: it no longer takes signatures.')
    expect(en.html).not.toContain('name="email"')
    const ar = await page('/campaigns/we-won?lang=ar')
    expect(ar.html).toContain('<html lang="ar" dir="rtl"')
    expect(ar.html).toContain('حققت الحملة هدفها')
    expect((await visitor().post('/campaigns/we-won?lang=en', { name: 'After', email: 'after@won.example', country: 'SE' })).status).toBe(409)
    const audit = await server.db.selectFrom('audit_log').select('details_json').where('action', '=', 'campaign-updated').execute()
    expect(audit.some((a) => a.details_json.includes('victory declared'))).toBe(true)
  })
})

describe('public updates and their Atom feed', () => {
  it('lists only updates marked public once sent, each on its own page in the reader’s language, and feeds them as valid Atom', async () => {
    const base = `/admin/campaigns/${SLUG}/updates`
    const make = async (subject: string, fa?: string) => {
      const created = await organiser.post(base, { locale: 'en', subject, body: `Body of **${subject}**, see [the replies](/campaigns/${SLUG}/responses).` })
      expect(created.status).toBe(303)
      const at = locationOf(created)
      if (fa) expect((await organiser.post(at, { locale: 'fa', subject: fa, body: `متن **${fa}**` })).status).toBe(303)
      return at
    }
    const published = await make('Letters delivered', 'نامه‌ها تحویل شد')
    const hidden = await make('Only for signers')
    const draft = await make('Public draft')
    expect((await organiser.post(published, { intent: 'publish' })).status).toBe(303)
    expect((await organiser.post(draft, { intent: 'publish' })).status).toBe(303)
    for (const at of [published, hidden]) expect((await organiser.post(at, { intent: 'send' })).status).toBe(303)
    const id = published.split('/').at(-1)!

    const list = await page(`/campaigns/${SLUG}/updates?lang=en`)
    expect(list.status).toBe(200)
    expect(list.html).toContain('Letters delivered')
    expect(list.html).not.toContain('Only for signers')
    expect(list.html).not.toContain('Public draft')
    expect(list.html).toContain(`<link rel="alternate" type="application/atom+xml"`)
    const campaign = await page(`/campaigns/${SLUG}?lang=en`)
    expect(campaign.html).toContain(`href="/campaigns/${SLUG}/updates/${id}"`)

    const one = await page(`/campaigns/${SLUG}/updates/${id}?lang=fa`)
    expect(one.status).toBe(200)
    expect(one.html).toMatch(/<div lang="fa" dir="rtl"><h1>نامه‌ها تحویل/)
    expect(one.html).toContain('<strong>نامه‌ها تحویل شد</strong>')
    const hiddenId = hidden.split('/').at(-1)!
    expect((await page(`/campaigns/${SLUG}/updates/${hiddenId}?lang=en`)).status).toBe(404)
    expect((await page(`/campaigns/${SLUG}/updates/${draft.split('/').at(-1)}?lang=en`)).status).toBe(404)
    expect((await page(`/campaigns/${SLUG}/updates/nope?lang=en`)).status).toBe(404)

    const feedRes = await visitor().get(`/campaigns/${SLUG}/updates.atom?lang=en`)
    expect(feedRes.status).toBe(200)
    expect(feedRes.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8')
    const errors: string[] = []
    const doc = new DOMParser({ onError: (level, message) => void errors.push(`${level}: ${message}`) }).parseFromString(await feedRes.text(), 'application/xml')
    expect(errors).toEqual([])
    const ATOM = 'http://www.w3.org/2005/Atom'
    const feed = doc.documentElement!
    expect(feed.localName).toBe('feed')
    expect(feed.namespaceURI).toBe(ATOM)
    const entries = Array.from(feed.getElementsByTagNameNS(ATOM, 'entry'))
    expect(entries).toHaveLength(1)
    const entry = entries[0]!
    const text = (el: Element, name: string) => el.getElementsByTagNameNS(ATOM, name)[0]?.textContent
    expect(text(entry, 'title')).toBe('Letters delivered')
    expect(text(entry, 'id')).toBe(`${server.config.appUrl}/campaigns/${SLUG}/updates/${id}`)
    expect(Number.isNaN(Date.parse(text(entry, 'updated')!))).toBe(false)
    expect(text(feed, 'id')).toBeTruthy()
    expect(text(feed, 'title')).toBeTruthy()
    expect(text(feed, 'updated')).toBeTruthy()
    // Every link is absolute, from APP_URL, in the feed's elements and in the entries' content.
    const hrefs = Array.from(doc.getElementsByTagNameNS(ATOM, 'link')).map((l) => l.getAttribute('href')!)
    expect(hrefs.length).toBeGreaterThanOrEqual(3)
    for (const href of hrefs) expect(href.startsWith(`${server.config.appUrl}/`)).toBe(true)
    const content = text(entry, 'content')!
    expect(content).toContain(`href="${server.config.appUrl}/campaigns/${SLUG}/responses"`)
    expect(content).not.toMatch(/href="\//)

    // Taken off the public list, it leaves the page and the feed.
    expect((await organiser.post(published, { intent: 'unpublish' })).status).toBe(303)
    expect((await page(`/campaigns/${SLUG}/updates/${id}?lang=en`)).status).toBe(404)
    expect(await (await visitor().get(`/campaigns/${SLUG}/updates.atom?lang=en`)).text()).not.toContain('Letters delivered')
    expect((await visitor().get('/campaigns/no-such-campaign/updates.atom')).status).toBe(404)
  })
})
