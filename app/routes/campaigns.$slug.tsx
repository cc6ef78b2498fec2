import { json, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { CampaignView } from '~/components/campaign-view'
import { HONEYPOT_FIELD } from '~/components/sign-form'
import { localeFromRequest } from '~/i18n/i18n.server'
import { getCampaign } from '~/models/campaign.server'
import { signCampaign } from '~/models/signature.server'
import { attributionFromForm } from '~/utils/attribution.server'
import { campaignPageData } from '~/utils/campaign-page.server'
import { countryOfIp } from '~/utils/geoip.server'
import { socialMeta } from '~/utils/meta'
import { readForm } from '~/utils/form.server'
import { parseSignForm } from '~/utils/sign-schema.server'

async function loadCampaign(context: LoaderFunctionArgs['context'], slug: string, locale: ReturnType<typeof localeFromRequest>) {
  const found = await getCampaign(context.db, slug, locale)
  if (!found) throw new Response('Not found', { status: 404 })
  return found
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = localeFromRequest(request)
  const found = await loadCampaign(context, params.slug!, locale)
  return json(await campaignPageData(request, context, found, locale))
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? socialMeta({ title: data.campaign.title, description: data.campaign.summary, url: data.url, image: data.image, locale: data.locale }) : [{ title: 'Not found' }]

// A refused sign (429) tells the browser when to try again; Remix sends an action's headers on a
// full-page answer only through this.
export const headers: HeadersFunction = ({ actionHeaders, loaderHeaders }) =>
  actionHeaders.has('Retry-After') ? actionHeaders : loaderHeaders

export async function action({ request, params, context }: ActionFunctionArgs) {
  const locale = localeFromRequest(request)
  const { campaign, copy } = await loadCampaign(context, params.slug!, locale)
  const checkEmail = `/campaigns/${campaign.slug}/check-email?lang=${locale}`
  const { form: formData, refusal } = await readForm(request)
  if (refusal) return refusal

  // A filled honeypot is a robot: it gets the same answer as a person and nothing is stored.
  if (formData.get(HONEYPOT_FIELD)) return redirect(checkEmail, 303)

  const submission = parseSignForm(formData)
  if (campaign.status !== 'open') {
    return json(submission.reply({ formErrors: ['campaign.closed'] }), { status: 409 })
  }
  const limited = await context.limits.sign(context.clientIpHash, campaign.id)
  if (limited) {
    return json(submission.reply({ formErrors: ['rateLimit.body'] }), {
      status: 429,
      headers: { 'Retry-After': String(limited.retryAfterSeconds) },
    })
  }
  if (submission.status !== 'success') return json(submission.reply(), { status: 400 })

  const attribution = attributionFromForm(formData)
  await signCampaign(
    { db: context.db, vault: context.vault, appUrl: context.config.appUrl, retentionDays: context.config.pendingRetentionDays },
    {
      campaign,
      title: copy.title,
      input: submission.value,
      locale,
      ipHash: context.clientIpHash,
      ipCountry: countryOfIp(context.clientIp),
      referrer: attribution.referrer,
      utm: { source: attribution.utmSource, medium: attribution.utmMedium, campaign: attribution.utmCampaign },
    },
  )
  context.wakeOutbox()
  return redirect(checkEmail, 303)
}

export default function CampaignPage() {
  return <CampaignView data={useLoaderData<typeof loader>()} lastResult={useActionData<typeof action>()} />
}
