import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from '../support/http'
import { signedInAs } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'
import { SLUG } from '../support/signing'

// A campaign's lead image (ADR 114): uploaded by organisers, re-encoded so nothing but the picture is
// published, served from this origin under a versioned address, shown with alt text per language.

let server: TestServer
let organiser: Client
const ARTIST = 'Maryam Example, Tehran'

/** A photo as a phone makes it: JPEG, with EXIF naming its author and an orientation to apply. */
async function photo(width: number, height: number, orientation = 1, format: 'jpeg' | 'png' = 'jpeg') {
  const image = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 40 } } }).withExif({ IFD0: { Artist: ARTIST, Copyright: ARTIST } })
  const encoded = format === 'jpeg' ? image.jpeg() : image.png()
  const bytes = await encoded.toBuffer()
  return orientation === 1 ? bytes : sharp(bytes).withMetadata({ orientation }).jpeg().toBuffer()
}

function upload(client: Client, fields: Record<string, string>, image?: Buffer, name = 'photo.jpg') {
  const body = new FormData()
  for (const [k, v] of Object.entries(fields)) body.set(k, v)
  if (image) body.set('image', new Blob([new Uint8Array(image)]), name)
  return client.request(`/admin/campaigns/${SLUG}/image`, { method: 'POST', body, headers: { Origin: client.base } })
}

const imgTag = (html: string) => /<img class="lead-image"[^>]*>/.exec(html)?.[0] ?? null
const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag)?.[1] ?? null
const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, '&')

/** The public page as a reader in `lang` gets it, once the page cache (on, as in production) has caught up. */
async function pageUntil(lang: string, ok: (html: string) => boolean) {
  for (let i = 0; i < 40; i++) {
    const html = await (await fetch(`${server.url}/campaigns/${SLUG}?lang=${lang}`)).text()
    if (ok(html)) return html
    await new Promise((r) => setTimeout(r, 150))
  }
  throw new Error(`the ${lang} page never matched`)
}

beforeAll(async () => {
  // The page cache on, as in production (its default is 2 s).
  server = await startTestServer({ STATS_CACHE_MS: '2000', RATE_LIMIT_LOGIN_PER_IP: '1000' })
  organiser = (await signedInAs(server, 'organiser')).client
})
afterAll(async () => {
  await server?.stop()
})

describe('the lead image', () => {
  it('is re-encoded without its metadata, in two widths, turned upright, and shown with the reader’s alt text', async () => {
    // Orientation 6: stored 1800 × 1200, shown 1200 wide and 1800 tall.
    const sent = await photo(1800, 1200, 6)
    expect(sent.includes(Buffer.from(ARTIST))).toBe(true)
    const res = await upload(organiser, { intent: 'save', 'alt.en': 'Mothers holding photographs of their sons at Khavaran', 'alt.fa': 'مادرانی با عکس فرزندانشان در خاوران' }, sent)
    expect(res.status).toBe(303)

    const en = imgTag(await pageUntil('en', (h) => imgTag(h) !== null))!
    expect(decode(attr(en, 'alt')!)).toBe('Mothers holding photographs of their sons at Khavaran')
    expect(attr(en, 'lang')).toBe('en')
    // The space is reserved before the image loads: the page does not jump on a phone.
    expect([attr(en, 'width'), attr(en, 'height')]).toEqual(['1200', '1800'])
    const fa = imgTag(await pageUntil('fa', (h) => imgTag(h) !== null))!
    expect(attr(fa, 'alt')).toBe('مادرانی با عکس فرزندانشان در خاوران')
    expect([attr(fa, 'lang'), attr(fa, 'dir')]).toEqual(['fa', 'rtl'])
    // No Arabic text was written: the Arabic page gives the default language's, and says it is English.
    const ar = imgTag(await pageUntil('ar', (h) => imgTag(h) !== null))!
    expect(decode(attr(ar, 'alt')!)).toBe('Mothers holding photographs of their sons at Khavaran')
    expect([attr(ar, 'lang'), attr(ar, 'dir')]).toEqual(['en', 'ltr'])

    const srcset = attr(en, 'srcset')!.split(', ').map((s) => s.split(' '))
    expect(srcset.map(([, w]) => w)).toEqual(['800w', '1600w'])
    for (const [path, width] of [
      [srcset[0][0], 800],
      [attr(en, 'src')!, 1200],
    ] as const) {
      const image = await fetch(`${server.url}${path}`)
      expect(image.status).toBe(200)
      expect(image.headers.get('Content-Type')).toBe('image/webp')
      expect(image.headers.get('X-Content-Type-Options')).toBe('nosniff')
      expect(image.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')
      const bytes = Buffer.from(await image.arrayBuffer())
      // Nothing but the picture: no EXIF, XMP or ICC block, and the author's name nowhere in the bytes.
      const meta = await sharp(bytes).metadata()
      expect([meta.format, meta.exif, meta.xmp, meta.orientation]).toEqual(['webp', undefined, undefined, undefined])
      expect(bytes.includes(Buffer.from(ARTIST))).toBe(false)
      expect([meta.width, meta.height]).toEqual([width, width * 1.5])
    }
    const audited = await server.db.selectFrom('audit_log').select('action').where('action', 'like', 'lead-image.%').execute()
    expect(audited.map((a) => a.action)).toEqual(['lead-image.upload'])
  })

  it('refuses what is not a photo, or a picture without its description, and keeps the image in place', async () => {
    const before = await server.db.selectFrom('campaign_images').select(['version', 'alt_json']).executeTakeFirstOrThrow()
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="900" height="600"><script>alert(1)</script><rect width="900" height="600"/></svg>')
    const cases: [Record<string, string>, Buffer | undefined, RegExp][] = [
      [{ 'alt.en': 'A picture' }, svg, /SVG can carry script/],
      [{ 'alt.en': 'A picture' }, Buffer.from('not an image at all, just text'), /could not be read as an image/],
      [{ 'alt.en': 'A picture' }, await photo(400, 300), /400 pixels wide: at least 600/],
      [{ 'alt.en': '', 'alt.fa': 'فقط فارسی' }, await photo(900, 600), /Describe the picture in English/],
      [{ 'alt.en': 'x'.repeat(301) }, undefined, /At most 300 characters/],
    ]
    for (const [fields, image, message] of cases) {
      const res = await upload(organiser, { intent: 'save', ...fields }, image)
      expect(res.status, String(message)).toBe(400)
      expect(await res.text()).toMatch(message)
    }
    expect(await server.db.selectFrom('campaign_images').select(['version', 'alt_json']).executeTakeFirstOrThrow()).toEqual(before)
    // Too big for the route is refused before the body is read.
    const huge = await upload(organiser, { intent: 'save', 'alt.en': 'Big' }, Buffer.alloc(13 * 1024 * 1024, 1))
    expect(huge.status).toBe(413)
  })

  it('takes new alt text alone, replaces the picture under a new address, and is removed', async () => {
    const first = await server.db.selectFrom('campaign_images').select('version').executeTakeFirstOrThrow()
    expect((await upload(organiser, { intent: 'save', 'alt.en': 'Mothers at Khavaran cemetery', 'alt.ar': 'أمهات في مقبرة خاوران' })).status).toBe(303)
    const ar = imgTag(await pageUntil('ar', (h) => (imgTag(h) ?? '').includes('lang="ar"')))!
    expect(attr(ar, 'alt')).toBe('أمهات في مقبرة خاوران')
    // The Persian text was not sent again: it is gone, and the Persian page falls back too.
    const fa = imgTag(await pageUntil('fa', (h) => (imgTag(h) ?? '').includes('lang="en"')))!
    expect(attr(fa, 'alt')).toBe('Mothers at Khavaran cemetery')
    expect(Number((await server.db.selectFrom('campaign_images').select('version').executeTakeFirstOrThrow()).version)).toBe(Number(first.version))

    expect((await upload(organiser, { intent: 'save', 'alt.en': 'A vigil' }, await photo(1000, 700, 1, 'png'), 'vigil.png')).status).toBe(303)
    const en = imgTag(await pageUntil('en', (h) => (imgTag(h) ?? '').includes('A vigil')))!
    expect(attr(en, 'src')).not.toContain(`${first.version}-`)
    // A page cached a moment before the change still gets an image, kept only briefly.
    const stale = await fetch(`${server.url}/campaigns/${SLUG}/image/${first.version}-large.webp`)
    expect([stale.status, stale.headers.get('Cache-Control')]).toEqual([200, 'public, max-age=60'])

    expect((await upload(organiser, { intent: 'remove' })).status).toBe(303)
    await pageUntil('en', (h) => imgTag(h) === null)
    expect((await fetch(`${server.url}${attr(en, 'src')}`)).status).toBe(404)
    const audited = await server.db.selectFrom('audit_log').select('action').where('action', 'like', 'lead-image.%').orderBy('created_at').execute()
    expect(audited.map((a) => a.action)).toEqual(['lead-image.upload', 'lead-image.describe', 'lead-image.upload', 'lead-image.remove'])
  })

  it('is managed by organisers only: a viewer is refused and changes nothing', async () => {
    const viewer = (await signedInAs(server, 'viewer')).client
    expect((await upload(viewer, { intent: 'save', 'alt.en': 'Defaced' }, await photo(900, 600))).status).toBe(403)
    expect((await viewer.get(`/admin/campaigns/${SLUG}/image`)).status).toBe(403)
    expect(await server.db.selectFrom('campaign_images').selectAll().execute()).toEqual([])
  })
})
