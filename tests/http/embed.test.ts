import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { campaignBySlug, campaignForm } from '../support/campaigns'
import { Client, locationOf } from '../support/http'
import { signedInAs } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'
import { SLUG, signForm } from '../support/signing'

// The embeddable sign form (ADR 132): framed only by the sites its campaign lists, signing in it
// without any cookie, and the organisers' list of sites validated, normalised and audited.

let server: TestServer
let organiser: Client
const OTHER = 'embed-other'
const ALLOWED = ['https://partner.example', 'http://127.0.0.1:4000']

const frameAncestorsOf = (res: Response) => /frame-ancestors ([^;]*)/.exec(res.headers.get('Content-Security-Policy') ?? '')?.[1]
const saveOrigins = (slug: string, origins: string) => organiser.post(`/admin/campaigns/${slug}/embed`, { origins })
const storedOrigins = async (slug: string) => (await campaignBySlug(server, slug)).embed_origins

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_LOGIN_PER_IP: '1000' })
  organiser = (await signedInAs(server, 'organiser')).client
  const other = await organiser.post('/admin/campaigns/new', campaignForm({ slug: OTHER, status: 'open' }))
  if (other.status !== 302) throw new Error(`campaign not created: ${other.status}`)
})
afterAll(async () => {
  await server?.stop()
})

describe('the sites allowed to embed a campaign', () => {
  it('are normalised, stored as a JSON list and audited with what they replaced', async () => {
    const res = await saveOrigins(SLUG, 'HTTPS://Partner.Example/\nhttp://127.0.0.1:4000, https://partner.example:443')
    expect(res.status).toBe(303)
    expect(JSON.parse((await storedOrigins(SLUG))!)).toEqual(ALLOWED)
    const entry = await server.db.selectFrom('audit_log').select(['action', 'details_json']).where('action', '=', 'campaign.embed-origins').executeTakeFirstOrThrow()
    expect(JSON.parse(entry.details_json)).toEqual({ before: [], after: ALLOWED })
    const page = await (await organiser.get(`/admin/campaigns/${SLUG}/embed`)).text()
    expect(page).toContain('https://partner.example\nhttp://127.0.0.1:4000')
    expect(page).toContain(`http://localhost:3000/embed/campaigns/${SLUG}`)
  })

  it('refuse anything but https sites (http on the loopback only), with each line named and the text kept', async () => {
    const typed = 'https://good.example\nhttp://partner.example\nhttps://partner.example/our-page\nnot a site'
    const res = await saveOrigins(SLUG, typed)
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('“http://partner.example” is not https')
    expect(html).toContain('“https://partner.example/our-page” names a page')
    expect(html).toContain('“not” is not a site address')
    expect(html).toContain('https://good.example\nhttp://partner.example')
    const tooMany = await saveOrigins(SLUG, Array.from({ length: 21 }, (_, i) => `https://p${i}.example`).join('\n'))
    expect(tooMany.status).toBe(400)
    expect(await tooMany.text()).toContain('at most 20')
    // Nothing of either refused list was saved.
    expect(JSON.parse((await storedOrigins(SLUG))!)).toEqual(ALLOWED)
  })

  it('are set by organisers only', async () => {
    const viewer = (await signedInAs(server, 'viewer')).client
    expect((await viewer.post(`/admin/campaigns/${SLUG}/embed`, { origins: 'https://evil.example' })).status).toBe(403)
    expect((await new Client(server.url).post(`/admin/campaigns/${SLUG}/embed`, { origins: 'https://evil.example' })).status).toBeGreaterThanOrEqual(300)
    expect(JSON.parse((await storedOrigins(SLUG))!)).toEqual(ALLOWED)
  })
})

describe('the embed page', () => {
  it("is framed only by the campaign's sites, with no X-Frame-Options against them; every other page stays 'none'", async () => {
    const embed = await fetch(`${server.url}/embed/campaigns/${SLUG}?lang=en`)
    expect(embed.status).toBe(200)
    expect(frameAncestorsOf(embed)).toBe(ALLOWED.join(' '))
    expect(embed.headers.get('X-Frame-Options')).toBeNull()
    const html = await embed.text()
    expect(html).toContain(`data-origins="[&quot;https://partner.example&quot;,&quot;http://127.0.0.1:4000&quot;]"`)
    // The rest of the policy is the pages' own: scripts of this origin and this response's nonce only.
    const csp = embed.headers.get('Content-Security-Policy')!
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]
    expect(csp).toMatch(/default-src 'self';\s*script-src 'self' 'nonce-[^']+';/)
    expect(html).toContain(`<script nonce="${nonce}">(function(){`)
    for (const path of [`/campaigns/${SLUG}`, '/', '/privacy', `/campaigns/${SLUG}/check-email`]) {
      const res = await fetch(`${server.url}${path}`)
      expect(frameAncestorsOf(res), path).toBe("'none'")
      expect(res.headers.get('X-Frame-Options'), path).toBe('SAMEORIGIN')
    }
    const step = await fetch(`${server.url}/embed/campaigns/${SLUG}/check-email?lang=en`)
    expect(frameAncestorsOf(step)).toBe(ALLOWED.join(' '))
  })

  it("is framed by no one for a campaign without sites, an unknown campaign, or a draft", async () => {
    for (const path of [`/embed/campaigns/${OTHER}`, '/embed/campaigns/no-such-campaign', '/embed/campaigns/x/y', '/EMBED/campaigns/' + SLUG]) {
      const res = await fetch(`${server.url}${path}`)
      expect(frameAncestorsOf(res), path).toBe("'none'")
    }
    expect((await fetch(`${server.url}/embed/campaigns/${OTHER}`)).status).toBe(200)
    await server.db.updateTable('campaigns').set({ embed_origins: JSON.stringify(ALLOWED), status: 'draft' }).where('slug', '=', OTHER).execute()
    const draft = await fetch(`${server.url}/embed/campaigns/${OTHER}`)
    expect([draft.status, frameAncestorsOf(draft)]).toEqual([404, "'none'"])
    await server.db.updateTable('campaigns').set({ embed_origins: null, status: 'open' }).where('slug', '=', OTHER).execute()
  })

  it('signs without any cookie, for the partner of its via, and shows "check your email" in the frame', async () => {
    const partner = await organiser.request(`/admin/campaigns/${SLUG}/partners`, {
      method: 'POST',
      body: new URLSearchParams({ intent: 'add', name: 'Embed Partner' }),
      headers: { Origin: organiser.base, 'Content-Type': 'application/x-www-form-urlencoded' },
    })
    expect(partner.status).toBe(303)
    const { id, ref } = await server.db.selectFrom('partners').select(['id', 'ref']).where('name', '=', 'Embed Partner').executeTakeFirstOrThrow()
    // The organisers' page gives this partner a snippet of its own, its via in the frame's address.
    expect(await (await organiser.get(`/admin/campaigns/${SLUG}/embed`)).text()).toContain(`/embed/campaigns/${SLUG}?via=${ref}&quot;`)
    const page = await fetch(`${server.url}/embed/campaigns/${SLUG}?lang=fa&via=${ref}`, { headers: { Referer: 'https://partner.example/' } })
    expect(page.headers.get('Set-Cookie')).toBeNull()
    const html = await page.text()
    expect(html).toMatch(/<html lang="fa" dir="rtl">/)
    expect(html).toContain(`action="/embed/campaigns/${SLUG}?lang=fa&amp;via=${ref}#sign"`)
    expect(html).toContain('name="ref" value="partner.example"')
    // Links out open a new tab: the frame may not navigate the partner's page.
    const anchors = (href: string) => html.match(new RegExp(`<a [^>]*href="${href.replace(/[?]/g, '\\?')}"[^>]*>`, 'g')) ?? []
    for (const href of [`/campaigns/${SLUG}?lang=fa`, '/privacy?lang=fa']) {
      expect(anchors(href).length, href).toBeGreaterThan(0)
      for (const a of anchors(href)) expect(a, href).toMatch(/target="_blank".*rel="noopener"|rel="noopener".*target="_blank"/)
    }
    expect(html).not.toContain('class="site-header"')

    const form = signForm({ via: ref, ref: 'partner.example' })
    const res = await new Client(server.url).post(`/embed/campaigns/${SLUG}?lang=fa&via=${ref}`, form)
    expect(res.status).toBe(303)
    expect(locationOf(res)).toBe(`/embed/campaigns/${SLUG}/check-email?lang=fa&via=${ref}`)
    expect(res.headers.get('Set-Cookie')).toBeNull()
    const row = await server.db.selectFrom('signatures').select(['partner_id', 'referrer']).where('email_hash', '=', server.vault.emailHash(form.email)).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ partner_id: id })
    const step = await fetch(`${server.url}${locationOf(res)}`)
    const stepHtml = await step.text()
    expect(stepHtml).toContain('ایمیل خود را بررسی کنید')
    expect(stepHtml).not.toContain('class="site-header"')
  })

  it('answers bad input with the same translated errors, the values kept', async () => {
    const res = await new Client(server.url).post(`/embed/campaigns/${SLUG}?lang=ar`, { name: 'Maryam Example', email: 'not-an-address', country: 'CA' })
    expect(res.status).toBe(400)
    expect(frameAncestorsOf(res)).toBe(ALLOWED.join(' '))
    const html = await res.text()
    expect(html).toMatch(/<html lang="ar" dir="rtl">/)
    const { default: ar } = await import('../../app/i18n/messages/ar')
    expect(html).toContain(ar['error.email.invalid'])
    expect(html).toContain('value="Maryam Example"')
    expect(html).toContain('value="not-an-address"')
  })
})

describe('the embed page from the response cache', () => {
  let cached: TestServer
  beforeAll(async () => {
    cached = await startTestServer({ STATS_CACHE_MS: '60000' })
    await cached.db.updateTable('campaigns').set({ embed_origins: JSON.stringify(ALLOWED) }).where('slug', '=', SLUG).execute()
  }, 60_000)
  afterAll(async () => {
    await cached?.stop()
  })

  it("keeps the campaign's frame-ancestors, sets no cookie, allows its frame script by hash, and leaves other pages at 'none'", async () => {
    const get = (path: string) => fetch(`${cached.url}${path}`)
    const first = await get(`/embed/campaigns/${SLUG}?lang=fa`)
    // Changed after the page was kept: the copy still answers (for up to STATS_CACHE_MS), its header and body alike.
    await cached.db.updateTable('campaigns').set({ embed_origins: JSON.stringify(['https://later.example']) }).where('slug', '=', SLUG).execute()
    const second = await get(`/embed/campaigns/${SLUG}?lang=fa`)
    const bodies = [await first.text(), await second.text()]
    for (const [i, res] of [first, second].entries()) {
      expect(frameAncestorsOf(res)).toBe(ALLOWED.join(' '))
      expect(bodies[i]).toContain('data-origins="[&quot;https://partner.example&quot;')
      expect(res.headers.get('X-Frame-Options')).toBeNull()
      expect(res.headers.get('Set-Cookie')).toBeNull()
    }
    // Every reader gets the same copy, its inline frame script allowed by its hash (ADR 136).
    expect(bodies[1]).toBe(bodies[0])
    const policy = second.headers.get('Content-Security-Policy')!
    expect(policy).not.toContain('nonce')
    const frameScript = [...bodies[1].matchAll(/<script>([\s\S]*?)<\/script/g)].map((m) => m[1]).find((text) => text.includes('petition-embed:height'))!
    expect(policy).toContain(`'sha256-${createHash('sha256').update(frameScript).digest('base64')}'`)
    // Another language is another copy, made afresh with the list as it is now.
    expect(frameAncestorsOf(await get(`/embed/campaigns/${SLUG}?lang=ar`))).toBe('https://later.example')
    for (let i = 0; i < 2; i++) {
      const page = await get(`/campaigns/${SLUG}?lang=fa`)
      expect(frameAncestorsOf(page)).toBe("'none'")
      expect(page.headers.get('X-Frame-Options')).toBe('SAMEORIGIN')
    }
  })
})
