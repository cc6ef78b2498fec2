import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CAMPAIGN_NOT_FOUND } from '../../app/utils/campaign-not-found'
import type { Client } from '../support/http'
import { signedInAs } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'

// Every organiser route under /admin/campaigns/:slug goes through one guard (ADR 118): an admin asking
// for a campaign that does not exist gets the same 404 with the same title from each, read or write.
// The routes are read from app/routes, so a new one is covered without being listed.

const ROUTES_DIR = path.resolve('app/routes')
const UNKNOWN_SLUG = 'no-such-campaign'
const SOME_ID = '01900000-0000-7000-8000-000000000000'

/** The URL a Remix route file answers, with an unknown slug and a made-up id. */
function pathOf(file: string) {
  const segments = file
    .replace(/\.tsx?$/, '')
    .replace(/\[\.(\w+)\]/g, '~$1')
    .split('.')
    .map((s) => s.replace(/_$/, '').replace(/~(\w+)$/, '.$1'))
    .filter((s) => s !== '_index')
    .map((s) => (s === '$slug' ? UNKNOWN_SLUG : s.startsWith('$') ? SOME_ID : s))
  return `/${segments.join('/')}`
}

const CAMPAIGN_ROUTES = readdirSync(ROUTES_DIR)
  .filter((f) => /^admin\.campaigns_?\.\$slug/.test(f))
  .map((file) => {
    const source = readFileSync(path.join(ROUTES_DIR, file), 'utf8')
    return { file, path: pathOf(file), loader: /export (async )?function loader\b/.test(source), action: /export (async )?function action\b/.test(source) }
  })

/** What the reader sees as the answer's title: the page's heading, or a plain answer's text. */
async function titleOf(res: Response) {
  const body = await res.text()
  if (!(res.headers.get('Content-Type') ?? '').startsWith('text/html')) return body.trim()
  return /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(body)?.[1].trim()
}

let server: TestServer
let admin: Client
beforeAll(async () => {
  server = await startTestServer()
  admin = (await signedInAs(server, 'admin')).client
})
afterAll(async () => {
  await server?.stop()
})

describe('an unknown campaign', () => {
  it('finds the campaign routes in app/routes', () => {
    expect(CAMPAIGN_ROUTES.length).toBeGreaterThanOrEqual(17)
    expect(CAMPAIGN_ROUTES.map((r) => r.path)).toContain(`/admin/campaigns/${UNKNOWN_SLUG}/letters.zip`)
    expect(CAMPAIGN_ROUTES.map((r) => r.path)).toContain(`/admin/campaigns/${UNKNOWN_SLUG}/updates/${SOME_ID}/preview.html`)
  })

  it.each(CAMPAIGN_ROUTES.filter((r) => r.loader))('is answered alike by the page $file', async ({ path }) => {
    const res = await admin.get(path)
    expect(res.status).toBe(404)
    expect(await titleOf(res)).toBe(CAMPAIGN_NOT_FOUND)
  })

  it.each(CAMPAIGN_ROUTES.filter((r) => r.action))('is answered alike by the action of $file', async ({ path }) => {
    const res = await admin.post(path, { intent: 'save' })
    expect(res.status).toBe(404)
    expect(await titleOf(res)).toBe(CAMPAIGN_NOT_FOUND)
  })
})
