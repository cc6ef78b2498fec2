import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { signWebhook, verifyWebhookSignature } from './webhook-signature.server'

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
