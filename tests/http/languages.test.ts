import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { translator } from '../../app/i18n/i18n.server'
import { LOCALES, localeDir } from '../../app/i18n/locales'
import { Client } from '../support/http'
import { startTestServer, type TestServer } from '../support/server'

const SLUG = 'justice-for-1988'
let server: TestServer

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => {
  await server?.stop()
})

const titleIn = async (locale: string) =>
  (
    await server.db
      .selectFrom('campaign_translations')
      .innerJoin('campaigns', 'campaigns.id', 'campaign_translations.campaign_id')
      .select('title')
      .where('campaigns.slug', '=', SLUG)
      .where('campaign_translations.locale', '=', locale)
      .executeTakeFirstOrThrow()
  ).title

const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) })

describe('the campaign in every language', () => {
  it.each(LOCALES)('%s: the page is in that language and direction, with its own copy', async (locale) => {
    const html = await (await fetch(`${server.url}/campaigns/${SLUG}?lang=${locale}`)).text()
    expect(html).toContain(`<html lang="${locale}" dir="${localeDir(locale)}">`)
    expect(html).toContain(`<h1>${await titleIn(locale)}</h1>`)
    expect(html).toContain(translator(locale)('sign.title'))
    expect(html).not.toContain('role="note"')
  })

  it.each(LOCALES)('%s: the confirmation email is written in that language', async (locale) => {
    const address = `lang-${locale}@example.org`
    const client = new Client(server.url)
    const res = await client.post(`/campaigns/${SLUG}?lang=${locale}`, { name: 'Sam Example', email: address, country: 'CA' })
    expect(res.status).toBe(303)
    const [email] = (await server.resend.waitFor((all) => all.some((e) => e.to.includes(address)))).filter((e) => e.to.includes(address))
    expect(email.subject).toBe(translator(locale)('email.confirm.subject', { title: await titleIn(locale) }))
    const htmlTag = /<html[^>]*>/.exec(email.html)![0]
    expect(htmlTag).toContain(`lang="${locale}"`)
    expect(htmlTag).toContain(`dir="${localeDir(locale)}"`)
    expect(email.text).toContain(translator(locale)('email.confirm.button'))
  })

  it('follows Accept-Language when neither the address nor a cookie names a language', async () => {
    const html = await (await fetch(`${server.url}/campaigns/${SLUG}`, { headers: { 'Accept-Language': 'de-CH, es-MX;q=0.8, en;q=0.5' } })).text()
    expect(html).toContain('<html lang="es" dir="ltr">')
  })

  it('writes Arabic numbers in Western digits and Persian ones in Persian digits', async () => {
    const ar = await (await fetch(`${server.url}/campaigns/${SLUG}?lang=ar`)).text()
    expect(ar).toContain('الهدف: 100,000')
    const fa = await (await fetch(`${server.url}/campaigns/${SLUG}?lang=fa`)).text()
    expect(fa).toContain('هدف: ۱۰۰٬۰۰۰')
  })

  it('falls back to the default language where a translation is missing, and says so', async () => {
    const campaign = await server.db.selectFrom('campaigns').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()
    const saved = await server.db.selectFrom('campaign_translations').selectAll().where('campaign_id', '=', campaign.id).where('locale', '=', 'es').executeTakeFirstOrThrow()
    await server.db.deleteFrom('campaign_translations').where('campaign_id', '=', campaign.id).where('locale', '=', 'es').execute()
    try {
      const html = await (await fetch(`${server.url}/campaigns/${SLUG}?lang=es`)).text()
      expect(html).toContain('<html lang="es" dir="ltr">')
      expect(html).toContain(`<p class="notice" role="note">${translator('es')('campaign.fallback')}</p>`)
      expect(html).toContain(`<div lang="en" dir="ltr"><h1>${await titleIn('en')}</h1>`)
      expect(html).toContain(translator('es')('sign.title'))
    } finally {
      await server.db.insertInto('campaign_translations').values(saved).execute()
    }
  })
})

describe('the words each page is sent (ADR 139)', () => {
  const keysIn = (html: string) => new Set([...html.matchAll(/\\?"([a-zA-Z]+)\.[a-zA-Z.]+\\?":/g)].map((m) => m[1]))
  const pages = [
    { path: `/campaigns/${SLUG}`, has: ['sign', 'map', 'campaign', 'error'], not: ['privacy', 'inclusion', 'unsubscribe', 'email', 'mailbox'] },
    { path: '/privacy', has: ['privacy'], not: ['campaign', 'map', 'inclusion'] },
    { path: '/s/withdraw/not-a-token', has: ['link', 'withdraw'], not: ['map', 'privacy'] },
  ]
  it.each(LOCALES)('%s: each page carries its own namespaces and the layout’s, not the whole dictionary, and shows no raw key', async (locale) => {
    for (const page of pages) {
      const html = await (await fetch(`${server.url}${page.path}?lang=${locale}`)).text()
      const keys = keysIn(html)
      for (const ns of ['site', 'nav', 'footer', 'notFound', ...page.has]) expect(keys.has(ns), `${page.path} sends ${ns}`).toBe(true)
      for (const ns of page.not) expect(keys.has(ns), `${page.path} does not send ${ns}`).toBe(false)
      const text = html.replace(/<script[\s\S]*?<\/script>/g, '')
      expect(text, page.path).not.toMatch(/[>"](?:sign|map|campaign|error|link|withdraw|privacy|nav|site|footer)\.[a-z][A-Za-z.]*[<"]/)
    }
  })
})

describe('the social card', () => {
  it('is a 1200×630 PNG drawn per language, named with its size on the campaign page, and cached', async () => {
    const html = await (await fetch(`${server.url}/campaigns/${SLUG}?lang=fa`)).text()
    expect(html).toContain(`<meta property="og:image" content="http://localhost:3000/campaigns/${SLUG}/og.png?lang=fa"/>`)
    expect(html).toContain('<meta property="og:image:width" content="1200"/>')
    expect(html).toContain('<meta property="og:image:height" content="630"/>')
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image"/>')

    const fa = await fetch(`${server.url}/campaigns/${SLUG}/og.png?lang=fa`)
    expect(fa.status).toBe(200)
    expect(fa.headers.get('Content-Type')).toBe('image/png')
    expect(fa.headers.get('Cache-Control')).toContain('public')
    const faPng = Buffer.from(await fa.arrayBuffer())
    expect(faPng.subarray(1, 4).toString()).toBe('PNG')
    expect(pngSize(faPng)).toEqual({ width: 1200, height: 630 })

    const en = Buffer.from(await (await fetch(`${server.url}/campaigns/${SLUG}/og.png?lang=en`)).arrayBuffer())
    expect(en.equals(faPng)).toBe(false)

    const again = await fetch(`${server.url}/campaigns/${SLUG}/og.png?lang=fa`, { headers: { 'If-None-Match': fa.headers.get('ETag')! } })
    expect(again.status).toBe(304)
    await again.arrayBuffer()
    const missing = await fetch(`${server.url}/campaigns/no-such-campaign/og.png?lang=fa`)
    expect(missing.status).toBe(404)
    await missing.arrayBuffer()
  })
})

describe('lists of demands', () => {
  it.each(LOCALES)('%s: the demands are an ordered list of three, whichever digits the copy typed', async (locale) => {
    const html = await (await fetch(`${server.url}/campaigns/${SLUG}?lang=${locale}`)).text()
    const ask = /<ol>([\s\S]*?)<\/ol>/.exec(html)
    expect(ask).not.toBeNull()
    expect(ask![1].match(/<li>/g)).toHaveLength(3)
  })

  it('numbers ordered lists in Persian digits on fa pages and Arabic-Indic ones on ar pages', async () => {
    const html = await (await fetch(`${server.url}/campaigns/${SLUG}?lang=fa`)).text()
    const sheets = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1])
    const css = (await Promise.all(sheets.map(async (href) => (await fetch(`${server.url}${href}`)).text()))).join('\n').replace(/\s+/g, '')
    expect(css).toContain(':lang(fa)ol{list-style-type:persian')
    expect(css).toContain(':lang(ar)ol{list-style-type:arabic-indic')
  })
})
