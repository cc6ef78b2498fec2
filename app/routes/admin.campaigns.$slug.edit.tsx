import { parseWithZod } from '@conform-to/zod/v4'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { CampaignForm } from '~/components/admin/campaign-form'
import { getCampaignForEdit, updateCampaign } from '~/models/campaign-admin.server'
import { audit } from '~/models/organiser.server'
import { toCampaignInput } from '~/use-cases/admin-campaign.server'
import { campaignNotFound, organiserCampaign } from '~/use-cases/organiser-campaign.server'
import { CampaignSchema, endsOnOf, formatCountryGoals, formatMilestones } from '~/utils/campaign-schema'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign: found } = await organiserCampaign(request, context, params.slug, 'organiser', getCampaignForEdit)
  const { campaign, translations, countryGoals, milestones } = found
  return json(
    {
      slug: campaign.slug,
      title: translations.find((t) => t.locale === campaign.default_locale)?.title ?? campaign.slug,
      defaults: {
        slug: campaign.slug,
        status: campaign.status,
        defaultLocale: campaign.default_locale,
        goal: String(campaign.goal),
        countryGoals: formatCountryGoals(countryGoals),
        endsOn: endsOnOf(campaign.ends_at),
        victory: campaign.victory_at !== null,
        copy: Object.fromEntries(
          translations.map((t) => [
            t.locale,
            { title: t.title, summary: t.summary, story: t.story_md, ask: t.ask_md, victory: t.victory_text ?? '', milestones: formatMilestones(milestones[t.locale]) },
          ]),
        ),
      },
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Edit ${data?.title ?? 'campaign'} · Organisers` }]

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { organiser, campaign: found } = await organiserCampaign(request, context, params.slug, 'organiser', getCampaignForEdit)
  const { campaign } = found
  const submission = parseWithZod(await request.formData(), { schema: CampaignSchema })
  if (submission.status !== 'success') return json(submission.reply(), { status: 400 })
  const result = await updateCampaign(context.db, campaign.id, toCampaignInput(submission.value))
  if (!result.ok) {
    if (result.reason === 'not-found') throw campaignNotFound()
    return json(submission.reply({ fieldErrors: { slug: ['Another campaign already uses this address.'] } }), { status: 409 })
  }
  if (result.changed.length) {
    await audit(context.db, {
      organiserId: organiser.id,
      action: 'campaign-updated',
      target: `campaign:${campaign.id}`,
      details: {
        slug: result.campaign.slug,
        changed: result.changed,
        ...(campaign.status !== result.campaign.status ? { status: `${campaign.status} → ${result.campaign.status}` } : {}),
        ...(campaign.slug !== result.campaign.slug ? { previousSlug: campaign.slug } : {}),
      },
      ipHash: context.clientIpHash,
    })
  }
  return redirect(`/admin/campaigns/${result.campaign.slug}`)
}

export default function EditCampaign() {
  const data = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  return (
    <>
      <h1>Edit: {data.title}</h1>
      <p className="actions">
        <Link to={`/admin/campaigns/${data.slug}`}>Dashboard</Link>
        <Link to={`/admin/campaigns/${data.slug}/preview`}>Preview as supporters see it</Link>
      </p>
      <CampaignForm lastResult={lastResult} submitLabel="Save changes" defaults={data.defaults} />
    </>
  )
}
