import { parseWithZod } from '@conform-to/zod/v4'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { useActionData } from '@remix-run/react'
import { CampaignForm } from '~/components/admin/campaign-form'
import { DEFAULT_LOCALE } from '~/i18n/locales'
import { createCampaign } from '~/models/campaign-admin.server'
import { audit } from '~/models/organiser.server'
import { toCampaignInput } from '~/use-cases/admin-campaign.server'
import { requireOrganiser } from '~/infra/auth.server'
import { CampaignSchema } from '~/utils/campaign-schema'

export const meta = () => [{ title: 'New campaign · Organisers' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireOrganiser(request, context, 'organiser')
  return json(null)
}

export async function action({ request, context }: ActionFunctionArgs) {
  const organiser = await requireOrganiser(request, context, 'organiser')
  const submission = parseWithZod(await request.formData(), { schema: CampaignSchema })
  if (submission.status !== 'success') return json(submission.reply(), { status: 400 })
  const result = await createCampaign(context.db, toCampaignInput(submission.value))
  if (!result.ok) return json(submission.reply({ fieldErrors: { slug: ['Another campaign already uses this address.'] } }), { status: 409 })
  await audit(context.db, {
    organiserId: organiser.id,
    action: 'campaign-created',
    target: `campaign:${result.campaign.id}`,
    details: { slug: result.campaign.slug, status: result.campaign.status },
    ipHash: context.clientIpHash,
  })
  return redirect(`/admin/campaigns/${result.campaign.slug}`)
}

export default function NewCampaign() {
  const lastResult = useActionData<typeof action>()
  return (
    <>
      <h1>New campaign</h1>
      <p>A new campaign starts as a draft: only organisers see it until you open it.</p>
      <CampaignForm
        lastResult={lastResult}
        submitLabel="Create campaign"
        defaults={{ slug: '', status: 'draft', defaultLocale: DEFAULT_LOCALE, goal: '', countryGoals: '', endsOn: '', victory: false, copy: {} }}
      />
    </>
  )
}
