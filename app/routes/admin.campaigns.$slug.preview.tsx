import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { CampaignView } from '~/components/campaign-view'
import { localeFromRequest } from '~/i18n/i18n.server'
import { LOCALE_NAMES, LOCALES, localeDir } from '~/i18n/locales'
import { getCampaign } from '~/models/campaign.server'
import { organiserCampaign } from '~/use-cases/organiser-campaign.server'
import { campaignPageData } from '~/use-cases/campaign-page.server'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = localeFromRequest(request)
  const { campaign: found } = await organiserCampaign(request, context, params.slug, 'organiser', (db, slug) => getCampaign(db, slug, locale, { includeDrafts: true }))
  const page = await campaignPageData(request, context, found, locale)
  // The public page's words, where useI18n finds a route's (ADR 139).
  return json({ page, locale, i18n: page.i18n }, { headers: { 'Cache-Control': 'no-store' } })
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Preview: ${data?.page.campaign.title ?? 'campaign'}` }, { name: 'robots', content: 'noindex' }]

/** The public page component, fed a campaign in any status, with the sign form switched off. */
export default function CampaignPreview() {
  const { page, locale } = useLoaderData<typeof loader>()
  const { slug, status } = page.campaign
  return (
    <>
      <div className="notice preview-banner" role="note">
        <p>
          <strong>Preview ({status}).</strong>{' '}
          {status === 'draft'
            ? 'Supporters will see this page once the campaign is open; signing is switched off here.'
            : status === 'open'
              ? 'This is the public page; signing is switched off in the preview.'
              : 'This campaign takes no signature; its public page says so.'}
        </p>
        <p>
          Language:{' '}
          {LOCALES.map((l, i) => (
            <span key={l}>
              {i ? ' · ' : ''}
              {l === locale ? <strong>{LOCALE_NAMES[l]}</strong> : <a href={`/admin/campaigns/${slug}/preview?lang=${l}`}>{LOCALE_NAMES[l]}</a>}
            </span>
          ))}{' '}
          · <Link to={`/admin/campaigns/${slug}/edit`}>Edit</Link> · <Link to={`/admin/campaigns/${slug}`}>Dashboard</Link>
        </p>
      </div>
      {/* Laid out as supporters see it: right to left in Persian and Arabic, inside the English admin area. */}
      <div className="campaign-preview" lang={locale} dir={localeDir(locale)} data-preview-locale={locale}>
        <CampaignView data={page} preview />
      </div>
    </>
  )
}
