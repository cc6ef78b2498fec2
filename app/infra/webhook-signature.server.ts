import { createHmac, timingSafeEqual } from 'node:crypto'

/** Svix (Resend's webhooks): a timestamp more than this far from now is refused, against replays. */
export const WEBHOOK_TOLERANCE_MS = 5 * 60_000

/**
 * Checks a Svix-style signature: HMAC-SHA256, keyed with the base64 part of the whsec_ secret,
 * over `${svix-id}.${svix-timestamp}.${raw body}`; the header holds one or more `v1,<base64>`.
 * The body must be the exact bytes received: any re-serialisation breaks the signature.
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
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${rawBody}`).digest()
  return signature.split(' ').some((part) => {
    const [version, value] = part.split(',')
    if (version !== 'v1' || !value) return false
    const given = Buffer.from(value, 'base64')
    return given.length === expected.length && timingSafeEqual(given, expected)
  })
}

/** Signs as Svix does: for tests and for a local replay tool. */
export function signWebhook(secret: string, id: string, timestampSeconds: number, rawBody: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${rawBody}`).digest('base64')}`
}
