import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { SignForm } from '~/components/sign-form'
import { EmbedFrame } from '~/components/embed-frame'
import { localeFromRequest, translator } from '~/i18n/i18n.server'
import { localeDir } from '~/i18n/locales'
import { useI18n } from '~/i18n/react'
import { readForm } from '~/infra/form.server'
import { embedAnswer, embedPageData } from '~/use-cases/embed-page.server'
import { signAnswerResponse, submitSignature } from '~/use-cases/sign-submission.server'

// Drawn without the site's header and footer, for a partner's frame (ADR 132).
export const handle = { bare: true }

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = localeFromRequest(request)
  const data = await embedPageData(request, context, locale, params.slug!)
  if (!data) throw new Response('Not found', { status: 404 })
  const errorTitle = context.formRefused ? translator(locale)('error.titlePrefix', { title: data.campaign.title }) : null
  return json({ ...data, errorTitle })
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? (data.errorTitle ?? data.campaign.title) : 'Not found' }, { name: 'robots', content: 'noindex' }]

// The same sign action as the campaign page (submitSignature), answered for the frame.
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { form, refusal } = await readForm(request)
  if (refusal) return refusal
  const via = new URL(request.url).searchParams.get('via')
  const answer = embedAnswer(await submitSignature(context, params.slug!, localeFromRequest(request), form), via)
  // embedAnswer has taken the cookie off (ADR 132).
  return signAnswerResponse(answer, context)
}

export default function EmbedCampaign() {
  const data = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const { t } = useI18n()
  const { campaign } = data
  return (
    <EmbedFrame slug={campaign.slug} origins={data.origins}>
      <div lang={campaign.copyLocale} dir={localeDir(campaign.copyLocale)}>
        <h1>{campaign.title}</h1>
      </div>
      <p className="count">{t('campaign.verified', { count: data.verified })}</p>
      {campaign.open ? (
        <SignForm
          slug={campaign.slug}
          countries={data.countries}
          defaultCountry={data.defaultCountry}
          attribution={data.attribution}
          partner={data.partner}
          atRisk={data.atRisk}
          lastResult={lastResult}
          embedded
        />
      ) : (
        <p className="notice closed-notice">{t('campaign.closed')}</p>
      )}
    </EmbedFrame>
  )
}

export { ErrorBoundary } from '~/components/error-page'
