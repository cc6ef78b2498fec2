import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { Webhook } from 'standardwebhooks'
import { newWebhookSecret, signWebhook, verifyWebhookSignature, webhookHeaders } from './webhook-signature.server'

const secret = `whsec_${randomBytes(24).toString('base64')}`
const body = '{"type":"email.delivered","data":{"email_id":"abc"}}'
const now = Date.parse('2026-03-14T12:00:00Z')
const ts = Math.floor(now / 1000)

describe('Svix webhook signatures', () => {
  it('accepts the signature of the exact body, among several versions and keys', () => {
    const signature = signWebhook(secret, 'msg_1', ts, body)
    expect(verifyWebhookSignature(secret, { id: 'msg_1', timestamp: String(ts), signature }, body, now)).toBe(true)
    expect(verifyWebhookSignature(secret, { id: 'msg_1', timestamp: String(ts), signature: `v1,bm90IGl0 v2,xyz ${signature}` }, body, now)).toBe(true)
  })

  it('refuses another body, id, timestamp, secret, an old timestamp or missing headers', () => {
    const signature = signWebhook(secret, 'msg_1', ts, body)
    const check = (h: Partial<{ id: string | null; timestamp: string | null; signature: string | null }>, raw = body, at = now) =>
      verifyWebhookSignature(secret, { id: 'msg_1', timestamp: String(ts), signature, ...h }, raw, at)
    expect(check({}, `${body} `)).toBe(false)
    expect(check({ id: 'msg_2' })).toBe(false)
    expect(check({ timestamp: String(ts + 1) })).toBe(false)
    expect(check({ signature: signWebhook(`whsec_${randomBytes(24).toString('base64')}`, 'msg_1', ts, body) })).toBe(false)
    expect(check({}, body, now + 6 * 60_000)).toBe(false)
    expect(check({ signature: null })).toBe(false)
    expect(check({ id: null })).toBe(false)
    expect(check({ signature: signature.replace('v1,', 'v2,') })).toBe(false)
  })
})

describe('Standard Webhooks signatures (ADR 133)', () => {
  it('match the specification’s known answer', () => {
    // The example in the Standard Webhooks specification (and Svix's documentation).
    const known = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
    const signature = signWebhook(known, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=')
  })

  it('of what we send verify with the library, and a fresh secret has the whsec_ form with 256 bits', () => {
    const fresh = newWebhookSecret()
    expect(fresh).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    expect(Buffer.from(fresh.slice(6), 'base64')).toHaveLength(32)
    const ts = Math.floor(Date.now() / 1000)
    const headers = webhookHeaders(fresh, 'msg_1', ts, body)
    expect(new Webhook(fresh).verify(body, headers)).toEqual(JSON.parse(body))
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow()
  })
})
