import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { LOCALE_NAMES, localeDir, type Locale } from '~/i18n/locales'
import { inspectImage } from '~/infra/image.server'
import { getCampaignForEdit } from '~/models/campaign-admin.server'
import { ALT_MAX, getLeadImage, LEAD_IMAGE_MAX_BYTES, removeLeadImage, saveLeadImage } from '~/models/lead-image.server'
import { audit } from '~/models/organiser.server'
import { organiserCampaign } from '~/use-cases/organiser-campaign.server'
import { leadImageUrl } from '~/utils/lead-image'

/** The campaign's lead image and its alt text in each of its languages (ADR 114). */
async function load(request: Request, context: LoaderFunctionArgs['context'], slug: string | undefined) {
  const { organiser, campaign: found } = await organiserCampaign(request, context, slug, 'organiser', getCampaignForEdit)
  const { campaign, translations } = found
  // The default language first: its alt text is the one every other language falls back to.
  const locales = translations.map((t) => t.locale).sort((a, b) => Number(b === campaign.default_locale) - Number(a === campaign.default_locale))
  const title = translations.find((t) => t.locale === campaign.default_locale)?.title ?? campaign.slug
  return { organiser, campaign, locales, title }
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign, locales, title } = await load(request, context, params.slug)
  const image = await getLeadImage(context.db, campaign.id)
  return json(
    {
      slug: campaign.slug,
      title,
      defaultLocale: campaign.default_locale,
      locales,
      image: image ? { src: leadImageUrl(campaign.slug, image.version, 'small'), width: image.width, height: image.height, alts: image.alts } : null,
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Lead image: ${data?.title ?? 'campaign'} · Organisers` }]

type Errors = Partial<Record<string, string>>

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { organiser, campaign, locales } = await load(request, context, params.slug)
  const form = await request.formData().catch(() => null)
  if (!form) return json({ errors: { form: 'The form could not be read: try again.' } as Errors }, { status: 400 })
  const back = redirect(`/admin/campaigns/${campaign.slug}/image`, 303)
  const auditAs = (action: string, details: Record<string, unknown> = {}) =>
    audit(context.db, { organiserId: organiser.id, action, target: `campaign:${campaign.id}`, details, ipHash: context.clientIpHash })

  if (form.get('intent') === 'remove') {
    if (await removeLeadImage(context.db, campaign.id)) await auditAs('lead-image.remove')
    return back
  }

  const errors: Errors = {}
  const alts: Record<string, string> = {}
  for (const locale of locales) {
    const value = String(form.get(`alt.${locale}`) ?? '').trim().replace(/\s+/g, ' ')
    if (value.length > ALT_MAX) errors[`alt.${locale}`] = `At most ${ALT_MAX} characters: say what the picture shows, as a caption would (${value.length} now).`
    alts[locale] = value
  }
  if (!alts[campaign.default_locale] && !errors[`alt.${campaign.default_locale}`]) {
    errors[`alt.${campaign.default_locale}`] =
      `Describe the picture in ${LOCALE_NAMES[campaign.default_locale as Locale] ?? campaign.default_locale}: people who cannot see it hear this text, and the other languages fall back to it.`
  }
  let upload: Buffer | null = null
  const file = form.get('image')
  if (file && typeof file !== 'string' && file.size > 0) {
    if (file.size > LEAD_IMAGE_MAX_BYTES) errors.image = `An image of at most ${LEAD_IMAGE_MAX_BYTES / 1024 / 1024} MB.`
    else {
      const bytes = Buffer.from(await file.arrayBuffer())
      const checked = await inspectImage(bytes)
      if (!checked.ok) {
        errors.image =
          checked.reason === 'format'
            ? 'A JPEG, PNG or WebP photo, please: SVG can carry script, and other formats are not shown by every browser.'
            : 'This file could not be read as an image: it may be damaged, or not a picture.'
      } else if (checked.width < 600) errors.image = `This image is ${checked.width} pixels wide: at least 600 are needed to look sharp on a phone.`
      else upload = bytes
    }
  }
  // Nothing is saved unless everything is right: the image in place and its texts stay as they were.
  if (Object.keys(errors).length) return json({ errors, alts }, { status: 400 })
  const saved = await saveLeadImage(context.db, campaign.id, alts, upload)
  if (!saved) return json({ errors: { image: 'Choose an image first: the texts describe it.' } as Errors, alts }, { status: 400 })
  await auditAs(upload ? 'lead-image.upload' : 'lead-image.describe', { languages: Object.keys(alts).filter((l) => alts[l]) })
  return back
}

export default function LeadImage() {
  const data = useLoaderData<typeof loader>()
  const answer = useActionData<typeof action>()
  const errors: Errors = answer?.errors ?? {}
  const typed = ((answer && 'alts' in answer ? answer.alts : null) ?? data.image?.alts ?? {}) as Record<string, string>
  const err = (name: string) =>
    errors[name] ? (
      <p className="error" id={`${name}-error`}>
        {errors[name]}
      </p>
    ) : null
  return (
    <>
      <h1>Lead image: {data.title}</h1>
      <p className="hint">
        Shown on the campaign page under the count and the sign button, and served from this site only. Every upload is re-encoded: what the file carries
        besides the picture (the place and time a photo was taken, the camera, the author) is removed before anyone sees it.
      </p>
      {errors.form ? <p className="error">{errors.form}</p> : null}
      {data.image ? (
        <figure className="panel">
          <img src={data.image.src} alt={data.image.alts[data.defaultLocale] ?? ''} width={data.image.width} height={data.image.height} className="lead-image" />
          <figcaption>
            As it is now: {data.image.width} × {data.image.height} pixels.
          </figcaption>
        </figure>
      ) : (
        <p>No lead image yet.</p>
      )}
      <Form method="post" encType="multipart/form-data">
        <label htmlFor="image">{data.image ? 'Replace the image (optional)' : 'Image'}: JPEG, PNG or WebP, at least 600 pixels wide, up to 12 MB</label>
        <input id="image" name="image" type="file" accept="image/jpeg,image/png,image/webp" aria-describedby={errors.image ? 'image-error' : undefined} />
        {err('image')}
        <fieldset>
          <legend>Alt text: what the picture shows, for people who cannot see it</legend>
          {data.locales.map((locale) => {
            const name = `alt.${locale}`
            const isDefault = locale === data.defaultLocale
            return (
              <div key={locale}>
                <label htmlFor={name}>
                  {LOCALE_NAMES[locale as Locale] ?? locale}
                  {isDefault ? ' (required)' : ' (optional: left empty, readers get the default language’s)'}
                </label>
                <textarea
                  id={name}
                  name={name}
                  lang={locale}
                  dir={localeDir(locale)}
                  rows={2}
                  maxLength={ALT_MAX}
                  required={isDefault}
                  defaultValue={typed[locale] ?? ''}
                  aria-describedby={errors[name] ? `${name}-error` : undefined}
                  aria-invalid={errors[name] ? true : undefined}
                />
                {err(name)}
              </div>
            )
          })}
        </fieldset>
        <button type="submit" name="intent" value="save">
          Save
        </button>
      </Form>
      {data.image ? (
        <Form method="post">
          <button type="submit" name="intent" value="remove">
            Remove the image
          </button>
        </Form>
      ) : null}
      <p>
        <Link to={`/admin/campaigns/${data.slug}`}>Back to the dashboard</Link>
      </p>
    </>
  )
}
