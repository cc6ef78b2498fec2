import { json, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { CampaignView } from '~/components/campaign-view'
import { localeFromRequest, translator } from '~/i18n/i18n.server'
import { getCampaign } from '~/models/campaign.server'
import { campaignPageData } from '~/use-cases/campaign-page.server'
import { readCheckCookie } from '~/use-cases/check-email.server'
import { socialMeta } from '~/utils/meta'
import { readForm } from '~/infra/form.server'
import { signAnswerResponse, submitSignature } from '~/use-cases/sign-submission.server'

async function loadCampaign(context: LoaderFunctionArgs['context'], slug: string, locale: ReturnType<typeof localeFromRequest>) {
  const found = await getCampaign(context.db, slug, locale)
  if (!found) throw new Response('Not found', { status: 404 })
  return found
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = localeFromRequest(request)
  const found = await loadCampaign(context, params.slug!, locale)
  const page = await campaignPageData(request, context, found, locale)
  const errorTitle = context.formRefused ? translator(locale)('error.titlePrefix', { title: page.campaign.title }) : null
  // "Wrong address? change it" (?change): the name and country just given come back, the address does not.
  const kept = new URL(request.url).searchParams.has('change') ? readCheckCookie(context.vault, request.headers.get('Cookie'), found.campaign.slug) : null
  const defaults = kept ? { name: kept.name, country: kept.country } : null
  // A page with someone's name in it is theirs alone: never kept by a cache.
  return json({ ...page, defaults, errorTitle }, defaults ? { headers: { 'Cache-Control': 'private, no-store' } } : undefined)
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        ...socialMeta({ title: data.campaign.title, description: data.campaign.summary, url: data.url, image: data.image, locale: data.locale }).filter((m) => !('title' in m)),
        { title: data.errorTitle ?? data.campaign.title },
      ]
    : [{ title: 'Not found' }]

// A refused sign (429) tells the browser when to try again; Remix sends an action's headers on a
// full-page answer only through this.
export const headers: HeadersFunction = ({ actionHeaders, loaderHeaders }) =>
  actionHeaders.has('Retry-After') ? actionHeaders : loaderHeaders

export async function action({ request, params, context }: ActionFunctionArgs) {
  let answer = context.presubmitted
  if (!answer) {
    const { form, refusal } = await readForm(request)
    if (refusal) return refusal
    answer = await submitSignature(context, params.slug!, localeFromRequest(request), form)
  }
  return signAnswerResponse(answer, context)
}

export default function CampaignPage() {
  return <CampaignView data={useLoaderData<typeof loader>()} lastResult={useActionData<typeof action>()} />
}

// An action's failure renders here, under the root's messages (app/components/error-page.tsx).
export { ErrorBoundary } from '~/components/error-page'
