import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { setEmbedOrigins, storedEmbedOrigins } from '~/models/embed.server'
import { audit } from '~/models/organiser.server'
import { listPartners } from '~/models/partner.server'
import { organiserCampaign } from '~/use-cases/organiser-campaign.server'
import { EMBED_ORIGINS_MAX, embedSnippet, parseOriginList, type OriginProblem } from '~/utils/embed'
import { loopbackAllowed } from '~/utils/loopback'

export const meta = () => [{ title: 'Embed the sign form · Organisers' }, { name: 'robots', content: 'noindex' }]

const PROBLEMS: Record<OriginProblem, (input: string) => string> = {
  'not-an-origin': (input) => `“${input}” is not a site address. Write it as https://example.org (with its port, if any).`,
  'not-https': (input) => `“${input}” is not https. Only https:// sites may embed the form (http:// only for localhost or 127.0.0.1, to try it out outside production).`,
  loopback: (input) => `“${input}” is this machine or the reader’s own computer, not a partner’s site: it may embed the form only outside production.`,
  'has-path': (input) => `“${input}” names a page. Give only the site: its scheme and host, such as https://example.org, without a path.`,
  'too-many': (count) => `${count} sites: at most ${EMBED_ORIGINS_MAX} may embed one campaign.`,
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign } = await organiserCampaign(request, context, params.slug!, 'organiser')
  const [origins, partners] = await Promise.all([storedEmbedOrigins(context.db, campaign.id, loopbackAllowed(context.config.env)), listPartners(context.db, context.vault, campaign.id)])
  const appUrl = context.config.appUrl
  const title = campaign.title
  return json(
    {
      campaign,
      origins,
      snippet: embedSnippet(appUrl, campaign.slug, title),
      partners: partners.map((p) => ({ id: p.id, name: p.name, snippet: embedSnippet(appUrl, campaign.slug, title, { via: p.ref }) })),
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { organiser, campaign } = await organiserCampaign(request, context, params.slug!, 'organiser')
  const form = await request.formData().catch(() => null)
  const text = form?.get('origins')
  if (typeof text !== 'string' || text.length > 20_000) return json({ errors: ['The form could not be read.'], text: '' }, { status: 400 })
  const { origins, problems } = parseOriginList(text, loopbackAllowed(context.config.env))
  // Refused as a whole, with every line's reason and the text as typed, so nothing good is lost.
  if (problems.length) return json({ errors: problems.map((p) => PROBLEMS[p.problem](p.input)), text }, { status: 400 })
  const before = await storedEmbedOrigins(context.db, campaign.id, true)
  await setEmbedOrigins(context.db, campaign.id, origins)
  await audit(context.db, { organiserId: organiser.id, action: 'campaign.embed-origins', target: campaign.id, details: { before, after: origins }, ipHash: context.clientIpHash })
  return redirect(`/admin/campaigns/${campaign.slug}/embed`, 303)
}

export default function EmbedSettings() {
  const { campaign, origins, snippet, partners } = useLoaderData<typeof loader>()
  const refused = useActionData<typeof action>()
  return (
    <>
      <h1>Embed the sign form: {campaign.title}</h1>
      <p className="hint">
        Partner sites can show this campaign&apos;s title, count and sign form in a frame on their own pages. Only the sites listed here may do so; browsers
        refuse the frame everywhere else. Signing in the frame works without JavaScript and sets no cookie.
      </p>
      <h2 id="origins-heading">Sites allowed to embed</h2>
      <Form method="post" aria-labelledby="origins-heading">
        <label htmlFor="origins">One site per line, such as https://partner.example (at most {EMBED_ORIGINS_MAX}; empty: no site may embed the form)</label>
        <textarea
          id="origins"
          name="origins"
          dir="ltr"
          rows={6}
          defaultValue={refused?.text ?? origins.join('\n')}
          aria-invalid={refused ? true : undefined}
          aria-describedby={refused ? 'origins-error' : undefined}
        />
        {refused ? (
          <div className="error" id="origins-error" role="alert">
            <p>Nothing was saved:</p>
            <ul>
              {refused.errors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <button type="submit">Save the sites</button>
      </Form>
      {origins.length === 0 ? <p className="notice">No site is allowed yet: a frame of this form shows nothing anywhere.</p> : null}

      <h2>The snippet to paste</h2>
      <p className="hint">
        Give each partner its own snippet: its signers are then counted for it. Add <code>&amp;lang=fa</code> (or ar, en, es, fr) to the address to fix the
        language; without it, the frame follows the reader&apos;s browser.
      </p>
      {partners.map((p) => (
        <section key={p.id} className="panel" aria-labelledby={`embed-${p.id}`}>
          <h3 id={`embed-${p.id}`}>For {p.name}</h3>
          <label htmlFor={`snippet-${p.id}`}>Snippet for {p.name}</label>
          <textarea id={`snippet-${p.id}`} readOnly dir="ltr" rows={8} value={p.snippet} />
        </section>
      ))}
      <section className="panel" aria-labelledby="embed-general">
        <h3 id="embed-general">Without a partner</h3>
        <label htmlFor="snippet-general">Snippet without a partner</label>
        <textarea id="snippet-general" readOnly dir="ltr" rows={8} value={snippet} />
      </section>
      <p>
        <Link to={`/admin/campaigns/${campaign.slug}/partners`}>Partners</Link> · <Link to={`/admin/campaigns/${campaign.slug}`}>Back to the dashboard</Link>
      </p>
    </>
  )
}
