import { timingSafeEqual } from 'node:crypto'
import { Webhook } from 'standardwebhooks'
import { secureRandomBytes } from './random.server'

/**
 * Standard Webhooks (https://www.standardwebhooks.com), which Resend's Svix webhooks follow too: one
 * module signs what we send to partners (ADR 133) and checks what Resend sends us, both through the
 * `standardwebhooks` library's HMAC-SHA256 over `${id}.${timestamp}.${raw body}`.
 */

/** A timestamp more than this far from now is refused, against replays. */
export const WEBHOOK_TOLERANCE_MS = 5 * 60_000

/** A fresh signing secret: `whsec_` and 32 random bytes in base64, as the specification recommends (24 to 64). */
export function newWebhookSecret(): string {
  return `whsec_${secureRandomBytes(32).toString('base64')}`
}

/** The `webhook-signature` value (`v1,<base64>`) for this id, time (seconds) and exact body. */
export function signWebhook(secret: string, id: string, timestampSeconds: number, rawBody: string): string {
  return new Webhook(secret).sign(id, new Date(timestampSeconds * 1000), rawBody)
}

/**
 * Checks a signature: the header holds one or more space-separated `v1,<base64>`; the body must be
 * the exact bytes received, since any re-serialisation breaks the signature.
 */
export function verifyWebhookSignature(
  secret: string,
  headers: { id: string | null; timestamp: string | null; signature: string | null },
  rawBody: string,
  now = Date.now(),
): boolean {
  const { id, timestamp, signature } = headers
  if (!id || !timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false
  if (Math.abs(now - Number(timestamp) * 1000) > WEBHOOK_TOLERANCE_MS) return false
  const expected = Buffer.from(signWebhook(secret, id, Number(timestamp), rawBody).slice(3), 'base64')
  return signature.split(' ').some((part) => {
    const [version, value] = part.split(',')
    if (version !== 'v1' || !value) return false
    const given = Buffer.from(value, 'base64')
    return given.length === expected.length && timingSafeEqual(given, expected)
  })
}

/** The three headers of a signed delivery. */
export function webhookHeaders(secret: string, id: string, timestampSeconds: number, rawBody: string): Record<string, string> {
  return { 'webhook-id': id, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': signWebhook(secret, id, timestampSeconds, rawBody) }
}
