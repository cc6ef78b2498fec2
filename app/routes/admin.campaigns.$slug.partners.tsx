import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { audit } from '~/models/organiser.server'
import { encodeImage, inspectImage } from '~/infra/image.server'
import { addPartner, listPartners, LOGO_MAX_BYTES, LOGO_MAX_WIDTH, removePartner } from '~/models/partner.server'
import { API_SCOPES, createApiKey, isApiScope, listApiKeys, revokeApiKey } from '~/models/partner-api.server'
import { deliveryLog, isWebhookEvent, listWebhooks, removeWebhook, setWebhook, WEBHOOK_EVENTS, webhookUrlProblem } from '~/models/partner-webhook.server'
import { requireOrganiser } from '~/infra/auth.server'
import { organiserCampaign } from '~/use-cases/organiser-campaign.server'

export const meta = () => [{ title: 'Partners · Organisers' }, { name: 'robots', content: 'noindex' }]

const webUrl = z
  .string()
  .trim()
  .max(500)
  .refine((v) => {
    try {
      return /^https?:$/.test(new URL(v).protocol)
    } catch {
      return false
    }
  }, 'An address starting with https:// or http://.')
const optional = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional())

const PartnerSchema = z.object({
  name: z.string().trim().min(1, 'The organisation’s name.').max(120),
  url: optional(webUrl),
  privacyUrl: optional(webUrl),
  contactEmail: optional(z.string().trim().max(254).email('An email address.')),
})

/**
 * What hands a partner's systems a standing way in is an admin's (ADR 137): a new API key, and a
 * webhook's address or signing secret. Admins can be held to a second factor
 * (REQUIRE_SECOND_FACTOR_FOR_ADMINS); any organiser may still revoke a key or remove a webhook, which
 * only closes a way in.
 */
const ADMIN_INTENTS = new Set(['key-create', 'webhook-set'])

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { organiser, campaign } = await organiserCampaign(request, context, params.slug!, 'organiser')
  const [partners, keys, webhooks, log] = await Promise.all([
    listPartners(context.db, context.vault, campaign.id),
    listApiKeys(context.db, campaign.id),
    listWebhooks(context.db, campaign.id),
    deliveryLog(context.db, campaign.id),
  ])
  const base = `${context.config.appUrl}/campaigns/${campaign.slug}`
  return json(
    {
      campaign,
      canOpen: organiser.role === 'admin',
      apiBase: `${context.config.appUrl}/api/osdi/v1`,
      partners: partners.map((p) => ({
        ...p,
        shareUrl: `${base}?via=${p.ref}`,
        keys: keys.filter((k) => k.partnerId === p.id),
        webhook: webhooks.find((w) => w.partnerId === p.id) ?? null,
        deliveries: log.filter((d) => d.partnerId === p.id),
      })),
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { organiser, campaign } = await organiserCampaign(request, context, params.slug!, 'organiser')
  const form = await request.formData().catch(() => null)
  if (!form) return json({ errors: { form: 'The form could not be read.' } }, { status: 400 })
  const intent = form.get('intent')
  if (typeof intent === 'string' && ADMIN_INTENTS.has(intent)) await requireOrganiser(request, context, 'admin')
  if (intent === 'add') {
    const parsed = PartnerSchema.safeParse(Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string')))
    const errors: Record<string, string> = {}
    if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message
    let logo: { bytes: Buffer; type: string } | null = null
    const file = form.get('logo')
    if (file && typeof file !== 'string' && file.size > 0) {
      const bytes = Buffer.from(await file.arrayBuffer())
      // Re-encoded like the lead image (ADR 114): what the file carries besides the picture is not published.
      const checked = bytes.length > LOGO_MAX_BYTES ? null : await inspectImage(bytes)
      if (!checked) errors.logo = `A logo of at most ${LOGO_MAX_BYTES / 1000} kB.`
      else if (!checked.ok) errors.logo = 'A PNG, JPEG or WebP image (SVG is not accepted: it can carry script).'
      else logo = await encodeImage(bytes, LOGO_MAX_WIDTH)
    }
    if (!parsed.success || Object.keys(errors).length) return json({ errors }, { status: 400 })
    const v = parsed.data
    const added = await addPartner(context.db, context.vault, campaign.id, {
      name: v.name,
      url: v.url ?? null,
      privacyUrl: v.privacyUrl ?? null,
      contactEmail: v.contactEmail ?? null,
      logo,
    })
    await audit(context.db, { organiserId: organiser.id, action: 'partner.add', target: added.id, details: { campaign: campaign.id }, ipHash: context.clientIpHash })
    return redirect(`/admin/campaigns/${campaign.slug}/partners`, 303)
  }
  if (intent === 'remove') {
    const id = String(form.get('partner') ?? '')
    if (!(await removePartner(context.db, campaign.id, id))) return json({ errors: { form: 'No such partner.' } }, { status: 404 })
    await audit(context.db, { organiserId: organiser.id, action: 'partner.remove', target: id, details: { campaign: campaign.id }, ipHash: context.clientIpHash })
    return redirect(`/admin/campaigns/${campaign.slug}/partners`, 303)
  }
  const partnerId = String(form.get('partner') ?? '')
  const partner = (await listPartners(context.db, context.vault, campaign.id)).find((p) => p.id === partnerId)
  const auditAs = (action: string, target: string, details: Record<string, unknown> = {}) =>
    audit(context.db, { organiserId: organiser.id, action, target, details: { campaign: campaign.id, ...details }, ipHash: context.clientIpHash })
  if (intent === 'key-create') {
    if (!partner) return json({ errors: { form: 'No such partner.' } }, { status: 404 })
    const scopes = form.getAll('scope').filter(isApiScope)
    if (scopes.length === 0) return json({ errors: { [`scope-${partnerId}`]: 'At least one scope.' } }, { status: 400 })
    const created = await createApiKey(context.db, { id: partner.id, campaignId: campaign.id }, scopes)
    await auditAs('partner.api-key.create', created.id, { partner: partner.id, scopes })
    // Shown this once: only its hash is kept.
    return json({ shown: { partnerId: partner.id, label: 'API key', value: created.key } }, { headers: { 'Cache-Control': 'no-store' } })
  }
  if (intent === 'key-revoke') {
    const keyId = String(form.get('key') ?? '')
    if (!(await revokeApiKey(context.db, campaign.id, keyId))) return json({ errors: { form: 'No such key.' } }, { status: 404 })
    await auditAs('partner.api-key.revoke', keyId)
    return redirect(`/admin/campaigns/${campaign.slug}/partners`, 303)
  }
  if (intent === 'webhook-set') {
    if (!partner) return json({ errors: { form: 'No such partner.' } }, { status: 404 })
    const url = String(form.get('webhookUrl') ?? '').trim()
    const events = form.getAll('event').filter(isWebhookEvent)
    const errors: Record<string, string> = {}
    const problem = url.length > 500 ? 'An address of at most 500 characters.' : webhookUrlProblem(url, context.config.env)
    if (problem) errors[`webhookUrl-${partnerId}`] = problem
    if (events.length === 0) errors[`event-${partnerId}`] = 'At least one event.'
    if (Object.keys(errors).length) return json({ errors }, { status: 400 })
    const set = await setWebhook(context.db, context.vault, campaign.id, partner.id, { url, events, rotate: form.get('rotate') === 'on' })
    // The address is the partner's, not a person's; it is audited without its query string, which may carry a token.
    await auditAs('partner.webhook.set', partner.id, { origin: new URL(url).origin, events, newSecret: set.secret !== null })
    if (set.secret) return json({ shown: { partnerId: partner.id, label: 'Webhook signing secret', value: set.secret } }, { headers: { 'Cache-Control': 'no-store' } })
    return redirect(`/admin/campaigns/${campaign.slug}/partners`, 303)
  }
  if (intent === 'webhook-remove') {
    if (!(await removeWebhook(context.db, campaign.id, partnerId))) return json({ errors: { form: 'No webhook to remove.' } }, { status: 404 })
    await auditAs('partner.webhook.remove', partnerId)
    return redirect(`/admin/campaigns/${campaign.slug}/partners`, 303)
  }
  return json({ errors: { form: 'Unknown action.' } }, { status: 400 })
}

const when = (ms: number | null) => (ms === null ? '–' : new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC')

export default function Partners() {
  const { campaign, partners, apiBase, canOpen } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const errors: Record<string, string | undefined> = (data && 'errors' in data ? data.errors : undefined) ?? {}
  const shown = data && 'shown' in data ? data.shown : null
  const err = (name: string) =>
    errors[name] ? (
      <p className="error" id={`${name}-error`}>
        {errors[name]}
      </p>
    ) : null
  return (
    <>
      <h1>Partners: {campaign.title}</h1>
      <p className="hint">
        Organisations that promote this campaign to their own supporters. Each has its own share link; signatures that come through it are counted for the
        partner on the dashboard and stay part of the campaign&apos;s one count.
      </p>
      {errors.form ? <p className="error">{errors.form}</p> : null}
      {partners.length === 0 ? <p>No partner yet.</p> : null}
      {partners.map((p) => (
        <section key={p.id} className="panel" aria-labelledby={`partner-${p.id}`}>
          <h2 id={`partner-${p.id}`}>{p.name}</h2>
          {p.hasLogo ? <img src={`/campaigns/${campaign.slug}/partners/${p.ref}/logo`} alt="" height={48} /> : null}
          <dl>
            <dt>Share link</dt>
            <dd>
              <code dir="ltr">{p.shareUrl}</code>
            </dd>
            <dt>Verified signatures through it</dt>
            <dd>
              {p.verified.toLocaleString('en')} (<Link to={`/admin/campaigns/${campaign.slug}/partners/${p.ref}`}>its page, opt-ins and export</Link>)
            </dd>
            {p.url ? (
              <>
                <dt>Website</dt>
                <dd dir="ltr">{p.url}</dd>
              </>
            ) : null}
            {p.privacyUrl ? (
              <>
                <dt>Privacy notice</dt>
                <dd dir="ltr">{p.privacyUrl}</dd>
              </>
            ) : null}
            {p.contactEmail ? (
              <>
                <dt>Contact</dt>
                <dd dir="ltr">{p.contactEmail}</dd>
              </>
            ) : null}
          </dl>
          {shown?.partnerId === p.id ? (
            <div className="notice" role="status">
              <p>
                {shown.label} for {p.name}, shown this once (only its hash is kept; make a new one if it is lost):
              </p>
              <p>
                <code dir="ltr" data-shown-once>
                  {shown.value}
                </code>
              </p>
            </div>
          ) : null}
          <h3>API keys</h3>
          <p className="hint">
            For the partner&apos;s own systems: <code dir="ltr">{apiBase}</code> (docs/api.md). A key reads this campaign and its counts; with people:read also the
            partner&apos;s own confirmed supporters who agreed that it may email them.
          </p>
          {p.keys.length ? (
            <table>
              <thead>
                <tr>
                  <th scope="col">Key</th>
                  <th scope="col">Scopes</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {p.keys.map((k) => (
                  <tr key={k.id}>
                    <td>
                      <code dir="ltr">{k.prefix}…</code>
                    </td>
                    <td>{k.scopes.join(', ')}</td>
                    <td>{when(k.createdAt)}</td>
                    <td>{when(k.lastUsedAt)}</td>
                    <td>
                      {k.revokedAt !== null ? (
                        `Revoked ${when(k.revokedAt)}`
                      ) : (
                        <Form method="post">
                          <input type="hidden" name="key" value={k.id} />
                          <button type="submit" name="intent" value="key-revoke">
                            Revoke {k.prefix}…
                          </button>
                        </Form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {canOpen ? (
            <Form method="post">
              <input type="hidden" name="partner" value={p.id} />
              <fieldset aria-describedby={errors[`scope-${p.id}`] ? `scope-${p.id}-error` : undefined}>
                <legend>Scopes of a new key</legend>
                {API_SCOPES.map((scope) => (
                  <label key={scope}>
                    <input type="checkbox" name="scope" value={scope} defaultChecked={scope === 'campaign:read'} /> {scope}
                  </label>
                ))}
              </fieldset>
              {err(`scope-${p.id}`)}
              <button type="submit" name="intent" value="key-create">
                Create an API key for {p.name}
              </button>
            </Form>
          ) : (
            <p className="hint">An admin creates API keys.</p>
          )}
          <h3>Webhook</h3>
          <p className="hint">
            Each confirmation and withdrawal of a signature this partner brought is sent to its endpoint, signed (Standard Webhooks), retried for 72 hours. Personal
            data goes only for signers who agreed that the partner may email them.
          </p>
          {canOpen ? (
            <Form method="post">
              <input type="hidden" name="partner" value={p.id} />
              <label htmlFor={`webhookUrl-${p.id}`}>Endpoint (https://)</label>
              <input
                id={`webhookUrl-${p.id}`}
                name="webhookUrl"
                type="url"
                dir="ltr"
                required
                defaultValue={p.webhook?.url ?? ''}
                aria-describedby={errors[`webhookUrl-${p.id}`] ? `webhookUrl-${p.id}-error` : undefined}
              />
              {err(`webhookUrl-${p.id}`)}
              <fieldset aria-describedby={errors[`event-${p.id}`] ? `event-${p.id}-error` : undefined}>
                <legend>Events</legend>
                {WEBHOOK_EVENTS.map((event) => (
                  <label key={event}>
                    <input type="checkbox" name="event" value={event} defaultChecked={p.webhook ? p.webhook.events.includes(event) : true} /> {event}
                  </label>
                ))}
              </fieldset>
              {err(`event-${p.id}`)}
              {p.webhook ? (
                <label>
                  <input type="checkbox" name="rotate" /> Make a new signing secret (the old one stops working)
                </label>
              ) : null}
              <button type="submit" name="intent" value="webhook-set">
                {p.webhook ? 'Save the webhook' : 'Add a webhook'} for {p.name}
              </button>
            </Form>
          ) : (
            <p className="hint">
              {p.webhook ? <>Endpoint: <code dir="ltr">{p.webhook.url}</code>. </> : null}An admin sets or changes a webhook and its signing secret.
            </p>
          )}
          {p.webhook ? (
            <Form method="post">
              <input type="hidden" name="partner" value={p.id} />
              <button type="submit" name="intent" value="webhook-remove">
                Remove the webhook of {p.name}
              </button>
            </Form>
          ) : null}
          {p.deliveries.length ? (
            <table>
              <caption>Last deliveries</caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Event</th>
                  <th scope="col">webhook-id</th>
                  <th scope="col">Attempt</th>
                  <th scope="col">Answer</th>
                </tr>
              </thead>
              <tbody>
                {p.deliveries.map((d) => (
                  <tr key={`${d.webhookId}-${d.attempt}`} data-delivery={d.webhookId}>
                    <td>{when(d.at)}</td>
                    <td>{d.event}</td>
                    <td>
                      <code dir="ltr">{d.webhookId}</code>
                    </td>
                    <td>{d.attempt}</td>
                    <td>{d.statusCode ?? d.error}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <h3>Remove</h3>
          <Form method="post">
            <input type="hidden" name="partner" value={p.id} />
            <button type="submit" name="intent" value="remove">
              Remove {p.name}
            </button>
          </Form>
        </section>
      ))}

      <h2>Add a partner</h2>
      <Form method="post" encType="multipart/form-data">
        <label htmlFor="name">Name</label>
        <input id="name" name="name" required maxLength={120} aria-describedby={errors.name ? 'name-error' : undefined} />
        {err('name')}
        <label htmlFor="url">Website (optional)</label>
        <input id="url" name="url" type="url" dir="ltr" aria-describedby={errors.url ? 'url-error' : undefined} />
        {err('url')}
        <label htmlFor="privacyUrl">Privacy notice (optional)</label>
        <input id="privacyUrl" name="privacyUrl" type="url" dir="ltr" aria-describedby={errors.privacyUrl ? 'privacyUrl-error' : undefined} />
        {err('privacyUrl')}
        <label htmlFor="contactEmail">Contact email (optional, stored encrypted)</label>
        <input id="contactEmail" name="contactEmail" type="email" dir="ltr" aria-describedby={errors.contactEmail ? 'contactEmail-error' : undefined} />
        {err('contactEmail')}
        <label htmlFor="logo">Logo (optional: PNG, JPEG or WebP, up to 200 kB; served from this site)</label>
        <input id="logo" name="logo" type="file" accept="image/png,image/jpeg,image/webp" aria-describedby={errors.logo ? 'logo-error' : undefined} />
        {err('logo')}
        <button type="submit" name="intent" value="add">
          Add partner
        </button>
      </Form>
      <p>
        <Link to={`/admin/campaigns/${campaign.slug}/embed`}>Embed the sign form on partners&apos; sites</Link>
      </p>
      <p>
        <Link to={`/admin/campaigns/${campaign.slug}`}>Back to the dashboard</Link>
      </p>
    </>
  )
}
