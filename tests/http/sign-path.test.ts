import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import en from '../../app/i18n/messages/en'
import { dictionaries } from '../../app/i18n/i18n.server'
import { LOCALES } from '../../app/i18n/locales'
import { NAME_MAX } from '../../app/utils/signature-rules'
import { campaignForm } from '../support/campaigns'
import { Client, locationOf } from '../support/http'
import { signedInAs } from '../support/organisers'
import { DIRECT_PATH_SETTINGS, startTestServer, type TestServer } from '../support/server'
import { linkIn, nextEmailTo, sign, signAndConfirm, SLUG } from '../support/signing'

// Issue 15's supporter-side smaller points, and the masked address on "check your email".
// The same assertions with the direct path on and off (ADR 117): it must answer as Remix would.
describe.each(DIRECT_PATH_SETTINGS)('DIRECT_PATHS=%s', (directPaths) => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_SIGN_PER_IP: '10000', DIRECT_PATHS: directPaths })
  })
  afterAll(async () => {
    await server?.stop()
  })

  /** The page as read: its <main>, without the messages every page carries for the browser's scripts. */
  const main = (page: string) => /<main[\s\S]*?<\/main>/.exec(page)![0]
  const html = (s: string) => s.replace(/&/g, '&amp;').replace(/'/g, '&#x27;').replace(/"/g, '&quot;')

  describe('check your email', () => {
    it('shows the address masked, never carries it in a URL, and "change it" keeps the name and country', async () => {
      const { res, client } = await sign(server, { email: 'alice.smith@exmpl-mail.net', name: 'Alice Smith', country: 'SE' })
      expect(res.status).toBe(303)
      expect(locationOf(res)).toBe(`/campaigns/${SLUG}/check-email?lang=en`)
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sign_check='))!
      expect(cookie).toMatch(/HttpOnly/)
      expect(cookie).toMatch(/SameSite=Lax/)
      expect(cookie).toContain(`Path=/campaigns/${SLUG}`)
      // Sealed: nothing of the address or the name in the cookie itself.
      expect(decodeURIComponent(cookie)).not.toMatch(/alice|exmpl|Smith/i)

      const page = await client.get(`/campaigns/${SLUG}/check-email?lang=en`)
      expect(page.headers.get('Cache-Control')).toContain('no-store')
      const body = await page.text()
      expect(body).toContain('a•••@e•••.net')
      expect(body).not.toMatch(/alice|exmpl/i)
      expect(body).toContain(`href="/campaigns/${SLUG}?lang=en&amp;change#sign-email"`)

      const change = await client.get(`/campaigns/${SLUG}?lang=en&change`)
      expect(change.headers.get('Cache-Control')).toContain('no-store')
      const form = await change.text()
      expect(form).toMatch(/<input[^>]*name="name"[^>]*value="Alice Smith"/)
      expect(form).toMatch(/<option value="SE" selected="">/)
      const email = /<input[^>]*name="email"[^>]*>/.exec(form)![0]
      expect(email).not.toContain('value=')
      expect(email).toContain('autofocus')
    })

    it('shows the address given to "send me a new link", not the one signed with before', async () => {
      const { client } = await sign(server, { email: 'alice@first-mail.net', name: 'Alice Smith', country: 'SE' })
      expect(await (await client.get(`/campaigns/${SLUG}/check-email?lang=en`)).text()).toContain('a•••@f•••.net')
      const resend = await client.post(`/campaigns/${SLUG}/resend?lang=en`, { email: 'bob@second-mail.org' })
      expect(resend.status).toBe(303)
      expect(decodeURIComponent(resend.headers.getSetCookie().find((c) => c.startsWith('sign_check=')) ?? '')).not.toMatch(/bob|second/i)
      const body = await (await client.get(`/campaigns/${SLUG}/check-email?lang=en`)).text()
      expect(body).toContain('b•••@s•••.org')
      expect(body).not.toContain('a•••@f•••.net')
      // "Change it" still fills in the earlier form's name and country, the reader's own.
      expect(await (await client.get(`/campaigns/${SLUG}?lang=en&change`)).text()).toMatch(/<input[^>]*name="name"[^>]*value="Alice Smith"/)
      // A resend from a browser that never signed shows the address it was given.
      const fresh = new Client(server.url)
      expect((await fresh.post(`/campaigns/${SLUG}/resend?lang=en`, { email: 'carol@third-mail.org' })).status).toBe(303)
      expect(await (await fresh.get(`/campaigns/${SLUG}/check-email?lang=en`)).text()).toContain('c•••@t•••.org')
    })

    it('shows nothing of an address to a browser without the cookie, or from another campaign', async () => {
      const body = await (await new Client(server.url).get(`/campaigns/${SLUG}/check-email?lang=en`)).text()
      expect(body).not.toContain('•••')
      const form = await (await new Client(server.url).get(`/campaigns/${SLUG}?lang=en&change`)).text()
      expect(form).not.toMatch(/<input[^>]*name="name"[^>]*value=/)
    })

    it.each(LOCALES)('says "wrong address? change it" in %s', async (lang) => {
      const { client } = await sign(server, {}, undefined, lang)
      const body = main(await (await client.get(`/campaigns/${SLUG}/check-email?lang=${lang}`)).text())
      expect(body).toContain(html(dictionaries[lang]['check.wrongAddress']))
      expect(body).toContain('•••@e•••.org')
    })
  })

  describe('the smaller points', () => {
    it('sends "a new link" in the language the signer signed in, title and all', async () => {
      const email = 'resend-lang@example.org'
      await sign(server, { email }, undefined, 'fa')
      await nextEmailTo(server, email)
      const resend = await new Client(server.url).post(`/campaigns/${SLUG}/resend?lang=en`, { email })
      expect(resend.status).toBe(303)
      const mail = await nextEmailTo(server, email, 1)
      const faTitle = (await server.db.selectFrom('campaign_translations').select('title').where('locale', '=', 'fa').executeTakeFirstOrThrow()).title
      const enTitle = (await server.db.selectFrom('campaign_translations').select('title').where('locale', '=', 'en').executeTakeFirstOrThrow()).title
      expect(mail.html).toContain(faTitle)
      expect(mail.html).not.toContain(enTitle)
      expect(mail.subject).not.toMatch(/[A-Za-z]{4,}/)
    })

    it('says a spent unsubscribe link already unsubscribed, not that the signature was deleted', async () => {
      const { email } = await signAndConfirm(server, { newsOptIn: 'on' })
      const client = new Client(server.url)
      const link = linkIn(server, email, 'unsubscribe')
      expect((await client.post(new URL(link).pathname + '?lang=en', {})).status).toBe(200)
      const again = await client.get(link)
      expect(again.status).toBe(410)
      const body = main(await again.text())
      expect(body).toContain(en['unsubscribe.usedTitle'])
      expect(body).not.toContain(html(en['link.invalidBody']))
    })

    it('answers a role refusal with the page naming the role needed, not "something went wrong"', async () => {
      // The organisers' pages are in English; a refusal of a role says which (ADR 109). Other 403s get
      // the translated "no access" page of app/components/error-page.tsx.
      const { client } = await signedInAs(server, 'viewer')
      for (const lang of ['en', 'fa'] as const) {
        const res = await client.get(`/admin/organisers?lang=${lang}`)
        expect(res.status).toBe(403)
        const body = main(await res.text())
        expect(body).toContain('You need the admin role')
        expect(body).not.toContain(html(dictionaries[lang]['serverError.title']))
      }
    })

    it('shows a closed campaign as closed, with no sign button, form or share-to-sign', async () => {
      const { client: organiser } = await signedInAs(server, 'organiser')
      await organiser.post('/admin/campaigns/new', campaignForm({ slug: 'closed-one', status: 'open' }))
      expect((await organiser.post('/admin/campaigns/closed-one/edit', campaignForm({ slug: 'closed-one', status: 'closed' }))).status).toBe(302)
      const page = main(await (await new Client(server.url).get('/campaigns/closed-one?lang=en')).text())
      expect(page).toContain(html(en['campaign.closed']))
      expect(page).not.toContain('sign-button')
      expect(page).not.toContain('name="email"')
      expect(page).not.toContain(en['sign.title'])
      const thanks = main(await (await new Client(server.url).get('/campaigns/closed-one/thanks?lang=en')).text())
      expect(thanks).not.toContain('wa.me')
      expect(thanks).toContain(html(en['campaign.closed']))
    })

    it('limits the name field to the length the rule takes, one constant for both', async () => {
      const page = await (await new Client(server.url).get(`/campaigns/${SLUG}?lang=en`)).text()
      expect(/<input[^>]*name="name"[^>]*>/.exec(page)![0]).toContain(`maxLength="${NAME_MAX}"`)
      expect((await sign(server, { name: 'N'.repeat(NAME_MAX) })).res.status).toBe(303)
      expect((await sign(server, { name: 'N'.repeat(NAME_MAX + 1) })).res.status).toBe(400)
    })

    it('says "confirmed" on the thank-you page only after the confirmation link', async () => {
      const stranger = main(await (await new Client(server.url).get(`/campaigns/${SLUG}/thanks?lang=en`)).text())
      expect(stranger).not.toContain(html(en['confirm.thanksTitle']))
      expect(stranger).not.toContain('Your signature is confirmed')
      expect(stranger).toContain(en['thanks.shareTitle'])

      const { client } = await signAndConfirm(server)
      const signer = main(await (await client.get(`/campaigns/${SLUG}/thanks?lang=en`)).text())
      expect(signer).toContain(html(en['confirm.thanksTitle']))
    })
  })
})
