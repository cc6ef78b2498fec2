import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RETRY_FOR_MS } from '../../app/email-worker.server'
import { signedInAs } from '../support/organisers'
import { startTestServer, type TestServer } from '../support/server'
import { linkIn, nextEmailTo, sign, SLUG } from '../support/signing'

let server: TestServer

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_LOGIN_PER_IP: '1000', OUTBOX_POLL_MS: '20' })
})
afterAll(async () => {
  await server?.stop()
})

const row = async () => server.db.selectFrom('outbox').selectAll().where('template', '=', 'confirm-signature').executeTakeFirstOrThrow()

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe('email the provider would not take for 72 hours', () => {
  it('is shown on the dashboard, and an organiser sends it again with the signer’s link intact', async () => {
    server.resend.failWith(500, 10_000)
    await sign(server, { email: 'unlucky@example.org' })
    await until('a first failed attempt', async () => (await row()).attempts >= 1)
    expect((await row()).status).toBe('pending')
    // The outage has lasted 72 hours (simulated: the first failure moved back).
    await server.db.updateTable('outbox').set({ failing_since: Date.now() - RETRY_FOR_MS - 1, next_attempt_at: 0 }).execute()
    await until('the message to fail for good', async () => (await row()).status === 'failed')
    expect((await row()).payload_enc).not.toBeNull()

    const organiser = (await signedInAs(server, 'organiser')).client
    const dashboard = await organiser.get(`/admin/campaigns/${SLUG}`)
    expect(dashboard.status).toBe(200)
    const page = await dashboard.text()
    expect(page).toContain('data-undelivered="1"')
    expect(page).toContain('could not be delivered after 72 hours')

    const viewer = (await signedInAs(server, 'viewer')).client
    expect((await viewer.post(`/admin/campaigns/${SLUG}/undelivered`, { intent: 'send-again' })).status).toBe(403)
    expect((await organiser.post(`/admin/campaigns/${SLUG}/undelivered`, { intent: 'nonsense' })).status).toBe(400)

    server.resend.clearFaults()
    const sent = await organiser.post(`/admin/campaigns/${SLUG}/undelivered`, { intent: 'send-again' })
    expect(sent.status).toBe(303)
    const email = await nextEmailTo(server, 'unlucky@example.org')
    expect(linkIn(server, email, 'confirm')).toContain('/s/confirm/')
    await until('the row to be sent', async () => (await row()).status === 'sent')
    expect(await (await organiser.get(`/admin/campaigns/${SLUG}`)).text()).not.toContain('data-undelivered')
  })
})
