import type { LoaderFunctionArgs } from '@remix-run/node'
import { renderEmail } from '~/email-worker.server'
import { isLocale } from '~/i18n/i18n.server'
import { getUpdate, newsContent } from '~/models/news.server'
import { organiserCampaign } from '~/use-cases/organiser-campaign.server'

/** The update rendered by the real email template, with placeholder links, for the preview. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign } = await organiserCampaign(request, context, params.slug, 'organiser')
  const found = await getUpdate(context.db, campaign.id, params.id!)
  if (!found) return new Response('Not found', { status: 404 })
  const asked = new URL(request.url).searchParams.get('locale')
  const locale = isLocale(asked) ? asked : (found.update.default_locale as 'en')
  const content = await newsContent(context.db, found.update.id, locale)
  if (!content) return new Response('Not found', { status: 404 })
  const app = context.config.appUrl
  const email = await renderEmail('news-update', {
    to: 'signer@example.org',
    props: {
      locale,
      updateId: found.update.id,
      campaignTitle: campaign.title,
      campaignUrl: `${app}/campaigns/${campaign.slug}?lang=${locale}`,
      subject: content.subject,
      bodyHtml: content.bodyHtml,
      withdrawUrl: `${app}/s/withdraw/preview`,
      unsubscribeUrl: `${app}/s/unsubscribe/preview`,
    },
  })
  return new Response(email.html, {
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      // Its Content-Security-Policy is set by the server for every email document (server/app.ts).
      'Cache-Control': 'no-store',
    },
  })
}
