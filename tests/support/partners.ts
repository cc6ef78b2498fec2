import type { Client } from './http'
import type { TestServer } from './server'
import { linkIn, nextEmailTo, SLUG, signForm } from './signing'
import { Client as HttpClient } from './http'

/** Adds a partner through the admin page and answers its row. */
export async function addPartner(server: TestServer, organiser: Client, slug: string, name: string) {
  const body = new FormData()
  body.set('intent', 'add')
  body.set('name', name)
  const res = await organiser.request(`/admin/campaigns/${slug}/partners`, { method: 'POST', body, headers: { Origin: organiser.base } })
  if (res.status !== 303) throw new Error(`partner not added: ${res.status}`)
  return server.db.selectFrom('partners').selectAll().where('name', '=', name).executeTakeFirstOrThrow()
}

/** The value an action showed once (an API key, a webhook secret), read from the page it rendered. */
export function shownOnce(html: string): string | null {
  return html.match(/data-shown-once="true">([^<]+)</)?.[1] ?? null
}

/** Creates an API key through the admin page; answers the key shown once. */
export async function createKey(organiser: Client, slug: string, partnerId: string, scopes: string[]) {
  const form = new URLSearchParams({ intent: 'key-create', partner: partnerId })
  for (const s of scopes) form.append('scope', s)
  const res = await organiser.post(`/admin/campaigns/${slug}/partners`, form)
  if (res.status !== 200) throw new Error(`key not created: ${res.status}`)
  const key = shownOnce(await res.text())
  if (!key) throw new Error('no key shown')
  return key
}

/**
 * Signs through a partner's link and confirms; `optIn` sets signatures.partner_opt_in directly (the
 * form's checkbox is built elsewhere). Answers the signature's id.
 */
export async function signVia(server: TestServer, ref: string | null, fields: Record<string, string> = {}, { optIn = true, confirm = true, slug = SLUG } = {}) {
  const form = signForm(fields)
  const client = new HttpClient(server.url)
  const res = await client.post(`/campaigns/${slug}?lang=en`, ref ? { ...form, via: ref } : form)
  if (res.status !== 303) throw new Error(`sign answered ${res.status}`)
  const email = await nextEmailTo(server, form.email)
  const row = await server.db.selectFrom('signatures').select('id').where('email_hash', '=', server.vault.emailHash(form.email)).executeTakeFirstOrThrow()
  if (optIn) await server.db.updateTable('signatures').set({ partner_opt_in: 1 }).where('id', '=', row.id).execute()
  if (confirm && (await client.get(linkIn(server, email, 'confirm'))).status !== 303) throw new Error('confirm failed')
  return { id: row.id, form, email, client }
}
