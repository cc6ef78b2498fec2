import type { ActionFunctionArgs } from '@remix-run/node'
import { applyWebhookEvent } from '~/models/delivery.server'
import { verifyWebhookSignature } from '~/infra/webhook-signature.server'

export const loader = () => new Response('Method not allowed', { status: 405, headers: { Allow: 'POST' } })

/**
 * Delivery status from Resend. The signature is checked over the raw body exactly as received
 * (Remix hands it on unread); anything unsigned or mis-signed gets 400 and changes nothing.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const secret = context.config.email.webhookSecret
  if (!secret) return new Response('Webhooks are not configured', { status: 503 })
  const raw = await request.text()
  const headers = {
    id: request.headers.get('svix-id'),
    timestamp: request.headers.get('svix-timestamp'),
    signature: request.headers.get('svix-signature'),
  }
  if (!verifyWebhookSignature(secret, headers, raw)) return new Response('Invalid signature', { status: 400 })
  let event: { type?: unknown; data?: { email_id?: unknown } }
  try {
    event = JSON.parse(raw)
  } catch {
    return new Response('Invalid JSON', { status: 400 })
  }
  const outcome = await applyWebhookEvent(context.db, headers.id!, event)
  return Response.json({ outcome })
}
