import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { personId } from '../../app/models/partner-api.server'
import { Client } from '../support/http'
import { signedInAs } from '../support/organisers'
import { addPartner, shownOnce, signVia } from '../support/partners'
import { startTestServer, type TestServer } from '../support/server'
import { linkIn, SLUG } from '../support/signing'

// Partners' webhooks (ADR 133): signed by Standard Webhooks and checked here by its own library,
// queued with each confirmation and withdrawal, retried through an outage under one webhook-id,
// personal data only for signers who opted in to the partner, and a delivery log for organisers.

type Received = { headers: IncomingHttpHeaders; body: string; answered: number }

/** A partner's endpoint on this machine: answers 200, or 503 while `down`; can stop listening altogether. */
class Receiver {
  received: Received[] = []
  down = false
  port = 0
  private server: Server | null = null
  async start() {
    this.server = createServer((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString('utf8')))
      req.on('end', () => {
        const answered = this.down ? 503 : 200
        this.received.push({ headers: req.headers, body, answered })
        res.writeHead(answered).end()
      })
    })
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve))
    this.port = (this.server.address() as AddressInfo).port
    return this
  }
  async stop() {
    const s = this.server
    this.server = null
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()))
  }
  get url() {
    return `http://127.0.0.1:${this.port}/hook`
  }
  of(webhookId: string) {
    return this.received.filter((r) => r.headers['webhook-id'] === webhookId)
  }
}

let server: TestServer
let organiser: Client
let receiver: Receiver
let partner: { id: string; ref: string }
let quiet: { id: string; ref: string }
let secret: string

/** Waits for a condition the worker brings about (each look is a query; the test's timeout bounds it). */
async function until<T>(look: () => Promise<T | null | undefined | false>): Promise<T> {
  for (;;) {
    const found = await look()
    if (found) return found
    await new Promise((r) => setTimeout(r, 25))
  }
}
const deliveryOf = (signatureOrPerson: { signatureId?: string; personId?: string }, event: string) =>
  until(() =>
    server.db
      .selectFrom('webhook_outbox')
      .selectAll()
      .where('partner_id', '=', partner.id)
      .where('event', '=', event as 'signature.confirmed')
      .$if(!!signatureOrPerson.signatureId, (q) => q.where('signature_id', '=', signatureOrPerson.signatureId!))
      .$if(!!signatureOrPerson.personId, (q) => q.where('person_id', '=', signatureOrPerson.personId!))
      .orderBy('created_at', 'desc')
      .executeTakeFirst(),
  )
const sent = (id: string) => until(() => server.db.selectFrom('webhook_outbox').selectAll().where('id', '=', id).where('status', '=', 'sent').executeTakeFirst())
const attempts = (id: string) => server.db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', id).orderBy('attempt').execute()
const verify = (r: Received) =>
  new Webhook(secret).verify(r.body, {
    'webhook-id': String(r.headers['webhook-id']),
    'webhook-timestamp': String(r.headers['webhook-timestamp']),
    'webhook-signature': String(r.headers['webhook-signature']),
  }) as { type: string; timestamp: string; data: { petition: { identifiers: string[] }; person?: Record<string, unknown> } }

async function setWebhook(fields: Record<string, string | string[]>) {
  const form = new URLSearchParams({ intent: 'webhook-set', partner: partner.id })
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) form.append(k, one)
  return organiser.post(`/admin/campaigns/${SLUG}/partners`, form)
}

beforeAll(async () => {
  // Retries a few milliseconds apart rather than seconds: the test waits on what happens, not on a clock.
  server = await startTestServer({ RATE_LIMIT_LOGIN_PER_IP: '1000', WEBHOOK_RETRY_BASE_MS: '40' })
  // A webhook is an admin's to set (ADR 137).
  organiser = (await signedInAs(server, 'admin')).client
  receiver = await new Receiver().start()
  partner = await addPartner(server, organiser, SLUG, 'Hooked Alliance')
  quiet = await addPartner(server, organiser, SLUG, 'No Hook Group')
})
afterAll(async () => {
  await server?.stop()
  await receiver?.stop()
})

describe('partner webhooks', () => {
  it('take an https endpoint (http only for localhost outside production), with a secret shown once and stored sealed', async () => {
    for (const url of ['http://example.org/hook', 'ftp://example.org/hook', 'https://user:pw@example.org/hook', 'not a url']) {
      const res = await setWebhook({ webhookUrl: url, event: 'signature.confirmed' })
      expect(res.status, url).toBe(400)
    }
    expect((await setWebhook({ webhookUrl: receiver.url })).status).toBe(400)
    const res = await setWebhook({ webhookUrl: receiver.url, event: ['signature.confirmed', 'signature.withdrawn'] })
    expect(res.status).toBe(200)
    secret = shownOnce(await res.text())!
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    const row = await server.db.selectFrom('partners').selectAll().where('id', '=', partner.id).executeTakeFirstOrThrow()
    expect(row.webhook_secret_enc).not.toContain(secret.slice(6))
    expect(server.vault.decrypt(row.webhook_secret_enc!)).toBe(secret)
    expect([row.webhook_url, row.webhook_events]).toEqual([receiver.url, 'signature.confirmed signature.withdrawn'])
    // Saved again without asking for a new secret: the same secret, not shown.
    const again = await setWebhook({ webhookUrl: receiver.url, event: ['signature.confirmed', 'signature.withdrawn'] })
    expect(again.status).toBe(303)
    expect(server.vault.decrypt((await server.db.selectFrom('partners').select('webhook_secret_enc').where('id', '=', partner.id).executeTakeFirstOrThrow()).webhook_secret_enc!)).toBe(secret)
    const audited = await server.db.selectFrom('audit_log').select(['action', 'details_json']).where('target', '=', partner.id).execute()
    expect(audited.filter((a) => a.action === 'partner.webhook.set')).toHaveLength(2)
    expect(JSON.stringify(audited)).not.toContain(secret)
    // An organiser who is not an admin can neither point it elsewhere nor get a new secret (ADR 137).
    const plain = (await signedInAs(server, 'organiser')).client
    const form = new URLSearchParams({ intent: 'webhook-set', partner: partner.id, webhookUrl: 'https://elsewhere.example.org/hook', event: 'signature.confirmed', rotate: 'on' })
    expect((await plain.post(`/admin/campaigns/${SLUG}/partners`, form)).status).toBe(403)
    const kept = await server.db.selectFrom('partners').select(['webhook_url', 'webhook_secret_enc']).where('id', '=', partner.id).executeTakeFirstOrThrow()
    expect([kept.webhook_url, server.vault.decrypt(kept.webhook_secret_enc!)]).toEqual([receiver.url, secret])
  })

  it('send each confirmation signed, verified by the Standard Webhooks library, with the person only where they opted in', async () => {
    const opted = await signVia(server, partner.ref, { country: 'CA' })
    const delivery = await deliveryOf({ signatureId: opted.id }, 'signature.confirmed').then((d) => sent(d.id))
    const [got] = receiver.of(`msg_${delivery.id}`)
    const payload = verify(got)
    expect(payload.type).toBe('signature.confirmed')
    expect(payload.data.petition.identifiers).toEqual([`petition-platform:${SLUG}`])
    expect(payload.data.person).toMatchObject({
      identifiers: [`petition-platform:${personId(server.vault, partner.id, opted.id)}`],
      email_addresses: [{ address: opted.form.email, primary: true }],
      postal_addresses: [{ country: 'CA' }],
    })
    // A changed byte, or another secret, fails the library's check.
    expect(() => new Webhook(secret).verify(got.body.replace('CA', 'FR'), got.headers as Record<string, string>)).toThrow()
    // Delivered: nothing of the person is kept with the row.
    expect((await server.db.selectFrom('webhook_outbox').select('signature_id').where('id', '=', delivery.id).executeTakeFirstOrThrow()).signature_id).toBeNull()

    // A signer who did not agree to hear from the partner: no event at all, since even an empty one
    // would tell the partner when that person signed (ADR 133). Nor when they withdraw.
    const before = await server.db.selectFrom('webhook_outbox').select('id').execute()
    const notOpted = await signVia(server, partner.ref, { country: 'IR' }, { optIn: false })
    expect(await server.db.selectFrom('signatures').select('status').where('id', '=', notOpted.id).executeTakeFirstOrThrow()).toEqual({ status: 'verified' })
    expect((await notOpted.client.post(linkIn(server, notOpted.email, 'withdraw'), {})).status).toBeLessThan(400)
    expect(await server.db.selectFrom('webhook_outbox').select('id').execute()).toHaveLength(before.length)

    // Signers of a partner without a webhook, or of no partner, queue nothing.
    await signVia(server, quiet.ref)
    await signVia(server, null)
    expect(await server.db.selectFrom('webhook_outbox').select('id').execute()).toHaveLength(before.length)
  })

  it('send a withdrawal with the opaque id only, and drop a waiting confirmation’s link to the signature', async () => {
    const s = await signVia(server, partner.ref)
    await deliveryOf({ signatureId: s.id }, 'signature.confirmed').then((d) => sent(d.id))
    expect((await s.client.post(linkIn(server, s.email, 'withdraw'), {})).status).toBeLessThan(400)
    const id = personId(server.vault, partner.id, s.id)
    const delivery = await deliveryOf({ personId: id }, 'signature.withdrawn').then((d) => sent(d.id))
    const [got] = receiver.of(`msg_${delivery.id}`)
    const payload = verify(got)
    expect(payload.type).toBe('signature.withdrawn')
    expect(payload.data.person).toEqual({ identifiers: [`petition-platform:${id}`] })
    expect(got.body).not.toContain(s.form.email)
  })

  it('never delivers a waiting confirmation once its signer has withdrawn: even without the person it would date them', async () => {
    receiver.down = true
    const s = await signVia(server, partner.ref)
    const delivery = await deliveryOf({ signatureId: s.id }, 'signature.confirmed')
    await until(async () => (await attempts(delivery.id)).length >= 1)
    expect((await s.client.post(linkIn(server, s.email, 'withdraw'), {})).status).toBeLessThan(400)
    const answeredBefore = receiver.of(`msg_${delivery.id}`).length
    receiver.down = false
    const settled = await until(() => server.db.selectFrom('webhook_outbox').selectAll().where('id', '=', delivery.id).where('status', '=', 'failed').executeTakeFirst())
    expect(settled.signature_id).toBeNull()
    expect((await attempts(delivery.id)).at(-1)!.error).toBe('consent withdrawn')
    expect(receiver.of(`msg_${delivery.id}`).filter((r) => r.answered === 200)).toHaveLength(0)
    expect(receiver.of(`msg_${delivery.id}`).length).toBeLessThanOrEqual(answeredBefore + 1)
  })

  it('retry through a receiver answering 503, then deliver once under the same webhook-id; the log shows each attempt', async () => {
    receiver.down = true
    const s = await signVia(server, partner.ref)
    const delivery = await deliveryOf({ signatureId: s.id }, 'signature.confirmed')
    // The confirmation email went whatever the partner's endpoint does.
    expect(s.email.subject).toBeTruthy()
    await until(async () => (await attempts(delivery.id)).length >= 2)
    receiver.down = false
    await sent(delivery.id)
    const got = receiver.of(`msg_${delivery.id}`)
    expect(got.length).toBeGreaterThanOrEqual(3)
    expect(got.filter((r) => r.answered === 200)).toHaveLength(1)
    expect(got.at(-1)!.answered).toBe(200)
    for (const r of got) expect(verify(r).type).toBe('signature.confirmed')
    const log = await attempts(delivery.id)
    expect(log.map((a) => a.attempt)).toEqual(got.map((_, i) => i + 1))
    expect(log.map((a) => a.status_code)).toEqual(got.map((r) => r.answered))
    const page = await (await organiser.get(`/admin/campaigns/${SLUG}/partners`)).text()
    const rows = page.match(new RegExp(`data-delivery="msg_${delivery.id}"`, 'g')) ?? []
    expect(rows).toHaveLength(got.length)
    expect(page).toContain('<td>503</td>')
    expect(page).not.toContain(s.form.email)
  })

  it('retry while nothing listens (connection refused), and deliver once it listens again', async () => {
    await receiver.stop()
    const s = await signVia(server, partner.ref)
    const delivery = await deliveryOf({ signatureId: s.id }, 'signature.confirmed')
    await until(async () => (await attempts(delivery.id)).some((a) => a.error === 'ECONNREFUSED'))
    await receiver.start()
    await sent(delivery.id)
    const got = receiver.of(`msg_${delivery.id}`)
    expect(got).toHaveLength(1)
    expect(verify(got[0]).data.person).toBeDefined()
    const log = await attempts(delivery.id)
    expect(log.at(-1)).toMatchObject({ status_code: 200, error: null })
    expect(log.slice(0, -1).every((a) => a.status_code === null && a.error === 'ECONNREFUSED')).toBe(true)
  })

  it('stop with the webhook removed: nothing more is queued or sent', async () => {
    expect((await organiser.post(`/admin/campaigns/${SLUG}/partners`, { intent: 'webhook-remove', partner: partner.id })).status).toBe(303)
    const row = await server.db.selectFrom('partners').selectAll().where('id', '=', partner.id).executeTakeFirstOrThrow()
    expect([row.webhook_url, row.webhook_secret_enc]).toEqual([null, null])
    const before = await server.db.selectFrom('webhook_outbox').select('id').execute()
    await signVia(server, partner.ref)
    expect(await server.db.selectFrom('webhook_outbox').select('id').execute()).toHaveLength(before.length)
  })
})
