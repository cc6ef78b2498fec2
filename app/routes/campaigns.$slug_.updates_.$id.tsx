import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { localeFromRequest, messagesFor } from '~/i18n/i18n.server'
import { localeDir } from '~/i18n/locales'
import { useI18n } from '~/i18n/react'
import { getCampaign } from '~/models/campaign.server'
import { publicUpdate } from '~/models/campaign-story.server'
import { formatDay } from '~/use-cases/campaign-page.server'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = localeFromRequest(request)
  const found = await getCampaign(context.db, params.slug!, locale)
  // An update not published (or not sent yet) is as absent as one that never was.
  const update = found && params.id && params.id.length <= 64 ? await publicUpdate(context.db, found.campaign.id, params.id, locale) : null
  if (!found || !update) throw new Response('Not found', { status: 404 })
  return json({
    slug: found.campaign.slug,
    campaignTitle: found.copy.title,
    update: { title: update.title, locale: update.locale, sentOn: formatDay(update.sentAt, locale), bodyHtml: update.bodyHtml },
    i18n: messagesFor(locale, ['updates']),
  })
}

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: `${data.update.title} · ${data.campaignTitle}` }] : [])

/** Public: one update as it was sent, in the reader's language where it was written in it. */
export default function UpdatePage() {
  const { slug, campaignTitle, update } = useLoaderData<typeof loader>()
  const { t, locale } = useI18n()
  return (
    <article className="update-page">
      <p>
        <Link to={`/campaigns/${slug}/updates?lang=${locale}`}>{t('updates.pageTitle', { title: campaignTitle })}</Link>
      </p>
      <div lang={update.locale} dir={localeDir(update.locale)}>
        <h1>{update.title}</h1>
        <p className="hint" lang={locale} dir={localeDir(locale)}>
          {t('updates.sentOn', { date: update.sentOn })}
        </p>
        <div dangerouslySetInnerHTML={{ __html: update.bodyHtml }} />
      </div>
      <p>
        <Link to={`/campaigns/${slug}?lang=${locale}`}>{t('updates.back')}</Link>
      </p>
    </article>
  )
}
