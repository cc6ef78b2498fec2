import { linksIn, type ReceivedEmail } from './fake-resend'
import { Client } from './http'
import { localLink, type TestServer } from './server'

export const SLUG = 'justice-for-1988'

export function signForm(fields: Record<string, string> = {}) {
  return { name: 'Test Signer', email: `signer-${Math.random().toString(36).slice(2)}@example.org`, country: 'CA', ...fields }
}

export async function sign(server: TestServer, fields: Record<string, string> = {}, client = new Client(server.url), lang = 'en') {
  const form = signForm(fields)
  const res = await client.post(`/campaigns/${SLUG}?lang=${lang}`, form)
  return { res, form, client }
}

/** Waits for the next email to `address` beyond the `already` seen, and returns it. */
export async function nextEmailTo(server: TestServer, address: string, already = 0): Promise<ReceivedEmail> {
  const all = await server.resend.waitFor((emails) => emails.filter((e) => e.to.includes(address)).length > already)
  return all.filter((e) => e.to.includes(address))[already]
}

export function linkIn(server: TestServer, email: ReceivedEmail, kind: 'confirm' | 'withdraw' | 'unsubscribe'): string {
  const link = linksIn(email.html).find((l) => l.includes(`/s/${kind}/`))
  if (!link) throw new Error(`No ${kind} link in "${email.subject}"`)
  return localLink(server, link)
}

/** Signs and confirms; returns the confirmation email. */
export async function signAndConfirm(server: TestServer, fields: Record<string, string> = {}) {
  const { form, client } = await sign(server, fields)
  const email = await nextEmailTo(server, form.email)
  const res = await client.get(linkIn(server, email, 'confirm'))
  if (res.status !== 303) throw new Error(`confirm answered ${res.status}`)
  return { form, email, client }
}

export async function counts(server: TestServer) {
  return (await (await fetch(`${server.url}/campaigns/${SLUG}.json`)).json()) as {
    slug: string
    title: string
    signature_count: number
    signatures_by_country: { code: string; name: string; signature_count: number | null }[]
  }
}
