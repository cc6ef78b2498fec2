import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { audit } from '~/models/organiser.server'
import { encodeImage, inspectImage } from '~/infra/image.server'
import { addPartner, listPartners, LOGO_MAX_BYTES, LOGO_MAX_WIDTH, removePartner } from '~/models/partner.server'
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

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign } = await organiserCampaign(request, context, params.slug!, 'organiser')
  const partners = await listPartners(context.db, context.vault, campaign.id)
  const base = `${context.config.appUrl}/campaigns/${campaign.slug}`
  return json(
    { campaign, partners: partners.map((p) => ({ ...p, shareUrl: `${base}?via=${p.ref}` })) },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { organiser, campaign } = await organiserCampaign(request, context, params.slug!, 'organiser')
  const form = await request.formData().catch(() => null)
  if (!form) return json({ errors: { form: 'The form could not be read.' } }, { status: 400 })
  const intent = form.get('intent')
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
  return json({ errors: { form: 'Unknown action.' } }, { status: 400 })
}

export default function Partners() {
  const { campaign, partners } = useLoaderData<typeof loader>()
  const errors: Record<string, string | undefined> = useActionData<typeof action>()?.errors ?? {}
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
        <Link to={`/admin/campaigns/${campaign.slug}`}>Back to the dashboard</Link>
      </p>
    </>
  )
}
