import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { linksIn } from '../support/fake-resend'
import { Client, locationOf } from '../support/http'
import { DIRECT_PATH_SETTINGS, localLink, startTestServer, type TestServer } from '../support/server'

// The same assertions with the direct path on and off (ADR 117): it must answer as Remix would.
describe.each(DIRECT_PATH_SETTINGS)('DIRECT_PATHS=%s', (directPaths) => {
  const SLUG = 'justice-for-1988'
  let server: TestServer

  beforeAll(async () => {
    server = await startTestServer({ DIRECT_PATHS: directPaths })
  })
  afterAll(async () => {
    await server?.stop()
  })

  const counts = async () => (await (await fetch(`${server.url}/campaigns/${SLUG}.json`)).json()) as {
    signature_count: number
    signatures_by_country: { code: string; signature_count: number | null }[]
  }

  async function sign(client: Client, fields: Record<string, string>) {
    return client.post(`/campaigns/${SLUG}?lang=en`, { name: 'Test Signer', country: 'CA', ...fields })
  }

  describe('signing and confirming', () => {
    it('counts a signature only once its emailed link is followed', async () => {
      const client = new Client(server.url)
      const res = await sign(client, { name: 'Maryam Example', email: 'Maryam.Example+petition@Example.org', country: 'SE', showName: 'on' })
      expect(res.status).toBe(303)
      expect(locationOf(res)).toBe(`/campaigns/${SLUG}/check-email?lang=en`)

      const [email] = await server.resend.waitFor((all) => all.some((e) => e.to.includes('Maryam.Example+petition@Example.org')))
      expect(email.subject).toContain('Confirm your signature')
      expect(email.idempotencyKey).toMatch(/^outbox-batch\/tx\//)
      expect(email.text).toContain('Maryam Example')
      expect((await counts()).signature_count).toBe(0)

      const confirm = linksIn(email.html).find((l) => l.includes('/s/confirm/'))!
      const confirmed = await client.get(localLink(server, confirm))
      expect(confirmed.status).toBe(303)
      expect(locationOf(confirmed)).toBe(`/campaigns/${SLUG}/thanks?lang=en`)

      const after = await counts()
      expect(after.signature_count).toBe(1)
      // Under 5: the country is listed but its figure withheld (ADR 107, ADR 113).
      expect(after.signatures_by_country).toEqual([{ code: 'SE', name: 'Sweden', signature_count: null }])

      const page = await (await client.get(`/campaigns/${SLUG}?lang=en`)).text()
      expect(page).toContain('Maryam')
      expect(page).not.toContain('Maryam Example')
      expect(page.toLowerCase()).not.toContain('maryam.example')
    })
  })
})
