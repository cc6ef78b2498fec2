import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { enqueueEmail } from '../../app/email.server'
import { CONFIRM_LINK_DAYS } from '../../app/utils/signature-rules'
import { Client, locationOf } from '../support/http'
import { startTestServer, type TestServer } from '../support/server'
import { counts, linkIn, nextEmailTo, sign, signAndConfirm, SLUG } from '../support/signing'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_SIGN_PER_IP: '10000' })
})
afterAll(async () => {
  await server?.stop()
})

const signatureRows = () => server.db.selectFrom('signatures').selectAll().execute()

describe('a duplicate never reveals whether an address has signed', () => {
  it('sends a fresh confirmation link for a pending signature, and the same page', async () => {
    const first = await sign(server, { email: 'pending@example.org' })
    const again = await sign(server, { email: 'PENDING+again@example.org', name: 'Second Name' })
    expect(again.res.status).toBe(first.res.status)
    expect(locationOf(again.res)).toBe(locationOf(first.res))
    const firstMail = await nextEmailTo(server, 'pending@example.org')
    const second = await nextEmailTo(server, 'PENDING+again@example.org')
    expect(second.subject).toContain('Confirm your signature')
    // One signature, with the latest details; the older link no longer confirms it.
    const rows = (await signatureRows()).filter((r) => server.vault.decrypt(r.email_enc).toLowerCase().startsWith('pending'))
    expect(rows).toHaveLength(1)
    expect(server.vault.decrypt(rows[0].name_enc)).toBe('Second Name')
    expect((await first.client.get(linkIn(server, firstMail, 'confirm'))).status).toBe(404)
  })

  it('tells a confirmed signer by email that they already signed, and counts them once', async () => {
    const { form } = await signAndConfirm(server, { email: 'first.last@gmail.com', country: 'FR' })
    const before = await counts(server)
    const again = await sign(server, { email: 'First.Last+dup@googlemail.com', country: 'DE' })
    expect(again.res.status).toBe(303)
    expect(locationOf(again.res)).toBe(`/campaigns/${SLUG}/check-email?lang=en`)
    const mail = await nextEmailTo(server, 'First.Last+dup@googlemail.com')
    expect(mail.subject).toContain('You have already signed')
    expect(mail.html).not.toContain('/s/confirm/')
    expect(await counts(server)).toEqual(before)
    expect(form.email).toBe('first.last@gmail.com')
  })

  it('caps the emails one address can trigger', async () => {
    for (let i = 0; i < 5; i++) {
      const { res } = await sign(server, { email: 'capped@example.org' })
      expect(res.status).toBe(303)
    }
    await nextEmailTo(server, 'capped@example.org', 2)
    await new Promise((r) => setTimeout(r, 300))
    expect(server.resend.to('capped@example.org')).toHaveLength(3)
  })
})

describe('confirmation links', () => {
  it('work once: a second visit finds the signature already counted', async () => {
    const { form, client, email } = await signAndConfirm(server, { country: 'IR' })
    const again = await client.get(linkIn(server, email, 'confirm'))
    expect(again.status).toBe(303)
    expect(locationOf(again)).toBe(`/campaigns/${SLUG}/thanks?lang=en`)
    // The public figure for a country under 5 is withheld (ADR 113): the count itself is read from the database.
    const ir = await server.db.selectFrom('country_counts').innerJoin('campaigns', 'campaigns.id', 'country_counts.campaign_id')
      .select('verified_count').where('campaigns.slug', '=', SLUG).where('country_code', '=', 'IR').executeTakeFirst()
    expect(ir?.verified_count).toBe(1)
    expect(form.country).toBe('IR')
  })

  it('expire after CONFIRM_LINK_DAYS, as the email and every page say, leading to a page that sends a fresh one', async () => {
    const { form, client, res } = await sign(server, { email: 'late@example.org' })
    const email = await nextEmailTo(server, form.email)
    const days = `${CONFIRM_LINK_DAYS} days`
    expect(email.text).toContain(`The link works for ${days}.`)
    expect(await (await client.get(locationOf(res))).text()).toContain(`The link works for ${days}.`)
    const token = await server.db.selectFrom('tokens').select(['created_at', 'expires_at']).where('purpose', '=', 'confirm').orderBy('created_at', 'desc').executeTakeFirstOrThrow()
    expect(Number(token.expires_at) - Number(token.created_at)).toBe(CONFIRM_LINK_DAYS * 24 * 3600_000)
    await server.db.updateTable('tokens').set({ expires_at: Date.now() - 1 }).where('purpose', '=', 'confirm').execute()
    const expired = await client.get(linkIn(server, email, 'confirm'))
    expect(expired.status).toBe(410)
    const page = await expired.text()
    expect(page).toContain('This link has expired')
    expect(page).toContain(`Confirmation links work for ${days}.`)
    expect(page).toContain(`/campaigns/${SLUG}/resend`)
    const resent = await client.post(`/campaigns/${SLUG}/resend?lang=en`, { email: form.email })
    expect(resent.status).toBe(303)
    const fresh = await nextEmailTo(server, form.email, 1)
    const ok = await client.get(linkIn(server, fresh, 'confirm'))
    expect(ok.status).toBe(303)
  })

  it('refuse made-up tokens with a page, not an error', async () => {
    const res = await new Client(server.url).get('/s/confirm/not-a-real-token')
    expect(res.status).toBe(404)
    expect(await res.text()).toContain('This link is not valid')
  })
})

describe('withdrawing', () => {
  it('deletes the signer’s data and the count drops', async () => {
    const { email, client, form } = await signAndConfirm(server, { country: 'NO', email: 'withdraw-me@example.org', name: 'Withdrawing Person' })
    const before = await counts(server)
    const link = linkIn(server, email, 'withdraw')
    const page = await client.get(link)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Withdraw my signature')
    // A GET (a mail scanner) changes nothing.
    expect((await counts(server)).signature_count).toBe(before.signature_count)
    const done = await client.post(new URL(link).pathname, {})
    expect(done.status).toBe(200)
    expect(await done.text()).toContain('Your signature has been withdrawn')
    const after = await counts(server)
    expect(after.signature_count).toBe(before.signature_count - 1)
    expect(after.signatures_by_country.find((c) => c.code === 'NO')).toBeUndefined()
    const rows = await signatureRows()
    expect(rows.some((r) => server.vault.decrypt(r.name_enc) === 'Withdrawing Person')).toBe(false)
    expect((await client.post(new URL(link).pathname, {})).status).toBe(404)
    expect(form.country).toBe('NO')
  })
})

describe('withdrawing with mail still queued', () => {
  // Issue 17: withdrawal must take the signer's unsent mail with it (a news email waiting its turn, a
  // message waiting to be retried), or their address goes on being used after they asked to leave.
  it('deletes every unsent message to the signer, and no other signer’s', async () => {
    const leaving = await signAndConfirm(server, { newsOptIn: 'on', email: 'leaving@example.org' })
    const staying = await signAndConfirm(server, { newsOptIn: 'on', email: 'staying@example.org' })
    const idOf = async (address: string) => (await signatureRows()).find((r) => server.vault.decrypt(r.email_enc) === address)!.id
    const [leavingId, stayingId] = [await idOf('leaving@example.org'), await idOf('staying@example.org')]
    const campaign = await server.db.selectFrom('campaigns').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()
    const later = Date.now() + 3_600_000
    for (const [signatureId, to] of [[leavingId, 'leaving@example.org'], [leavingId, 'leaving@example.org'], [stayingId, 'staying@example.org']]) {
      await enqueueEmail(server.db, server.vault, { template: 'news-update', locale: 'en', to, props: {} as never, signatureId, campaignId: campaign.id, sendAt: later })
    }
    const queued = (id: string) => server.db.selectFrom('outbox').select('id').where('signature_id', '=', id).where('status', '=', 'pending').execute()
    expect(await queued(leavingId)).toHaveLength(2)
    const link = linkIn(server, leaving.email, 'withdraw')
    expect((await leaving.client.post(new URL(link).pathname, {})).status).toBe(200)
    expect(await queued(leavingId)).toEqual([])
    expect(await queued(stayingId)).toHaveLength(1)
    expect(staying.form.email).toBe('staying@example.org')
  })
})

describe('unsubscribing from news', () => {
  it('is offered only to those who opted in, and works in one click', async () => {
    const { email: without } = await signAndConfirm(server)
    expect(without.html).not.toContain('/s/unsubscribe/')
    const { email, form } = await signAndConfirm(server, { newsOptIn: 'on', email: 'news@example.org' })
    expect(email.headers['List-Unsubscribe']).toMatch(/^<http.*\/s\/unsubscribe\//)
    expect(email.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click')
    const link = linkIn(server, email, 'unsubscribe')
    const res = await new Client(server.url).post(new URL(link).pathname, 'List-Unsubscribe=One-Click')
    expect(res.status).toBe(200)
    const row = (await signatureRows()).find((r) => server.vault.decrypt(r.email_enc) === form.email)!
    expect(row.news_opt_in).toBe(0)
    expect(row.status).toBe('verified')
  })
})

describe('the public counts', () => {
  it('come as JSON with the petitions-API field names, and as CSV', async () => {
    await signAndConfirm(server, { country: 'PS' })
    const json = await counts(server)
    expect(json.slug).toBe(SLUG)
    expect(json.title).toMatch(/1988/)
    // Withheld figures are null (ADR 113): the published ones never add up to more than the total.
    expect(json.signature_count).toBeGreaterThanOrEqual(json.signatures_by_country.reduce((n, c) => n + (c.signature_count ?? 0), 0))
    expect(json.signatures_by_country.find((c) => c.code === 'PS')).toMatchObject({ name: 'Palestine' })
    const csv = await (await fetch(`${server.url}/campaigns/${SLUG}.csv`)).text()
    expect(csv.split('\r\n')[0]).toBe('code,name,signature_count')
    expect(csv).toContain('PS,Palestine,')
    const fa = await (await fetch(`${server.url}/campaigns/${SLUG}.json?lang=fa`)).json()
    expect(fa.signatures_by_country.find((c: { code: string }) => c.code === 'PS').name).toBe('فلسطین')
  })

  it('answer 404 for a campaign that does not exist', async () => {
    expect((await fetch(`${server.url}/campaigns/nope.json`)).status).toBe(404)
    expect((await fetch(`${server.url}/campaigns/nope`)).status).toBe(404)
  })
})

describe('data at rest', () => {
  it('keeps names and emails encrypted and IPs only as keyed hashes', async () => {
    await sign(server, { email: 'at-rest@example.org', name: 'Plain Text Name' })
    const row = (await signatureRows()).find((r) => server.vault.decrypt(r.email_enc) === 'at-rest@example.org')!
    const raw = JSON.stringify(row)
    expect(raw).not.toContain('at-rest@example.org')
    expect(raw).not.toContain('Plain Text Name')
    expect(raw).not.toContain('127.0.0.1')
    expect(row.ip_hash).toBe(server.vault.ipHash('127.0.0.1'))
    const outbox = JSON.stringify(await server.db.selectFrom('outbox').selectAll().execute())
    expect(outbox).not.toContain('at-rest@example.org')
  })
})
