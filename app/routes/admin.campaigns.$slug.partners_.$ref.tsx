import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { inviteOrganiser } from '~/models/organiser-admin.server'
import { audit, hasRole } from '~/models/organiser.server'
import { partnerFigures, partnerOrganisers } from '~/models/partner.server'
import { partnerAccess } from '~/use-cases/partner-access.server'

export const meta = () => [{ title: 'Partner · Organisers' }, { name: 'robots', content: 'noindex' }]

const InviteSchema = z.object({
  email: z.string().trim().max(254).pipe(z.email('Enter a valid email address.')),
  name: z.string().trim().max(100, 'Keep the name under 100 characters.').optional(),
})

/** One partner's page (ADR 131): its figures and the export of its opted-in supporters; for admins, who reads them. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { organiser, campaign, partner, scoped } = await partnerAccess(request, context, params.slug, params.ref)
  const isAdmin = !scoped && hasRole(organiser.role, 'admin')
  const [figures, accounts] = await Promise.all([
    partnerFigures(context.readDb, campaign.id, partner.id),
    // Who can read this partner's supporters: shown to admins, who manage accounts.
    isAdmin ? partnerOrganisers(context.db, context.vault, partner.id) : Promise.resolve(null),
  ])
  return json(
    { campaign: { slug: campaign.slug, title: campaign.title }, partner: { ref: partner.ref, name: partner.name, removed: partner.removed }, figures, scoped, accounts },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

/** Admins invite an account limited to this partner; nobody else may change anything here. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  // Accounts are the admins' to give (ADR 131): a partner's organiser is refused before anything is read.
  const { organiser, campaign, partner } = await partnerAccess(request, context, params.slug, params.ref, { role: 'admin', partners: false })
  const form = await request.formData().catch(() => null)
  if (!form || form.get('intent') !== 'invite') return json({ error: 'Unknown action.' }, { status: 400 })
  if (partner.removed) return json({ error: 'This partner was removed: its link no longer attributes and it takes no new accounts.' }, { status: 409 })
  const parsed = InviteSchema.safeParse({ email: form.get('email') ?? '', name: form.get('name') || undefined })
  if (!parsed.success) return json({ error: parsed.error.issues[0]?.message ?? 'Check the form.' }, { status: 400 })
  const invited = await inviteOrganiser(context.db, context.vault, context.config.appUrl, { ...parsed.data, name: parsed.data.name ?? '', role: 'viewer', partnerId: partner.id })
  if (!invited.ok) return json({ error: 'An account with this address already exists.' }, { status: 409 })
  context.wakeOutbox()
  // The same entry as an invitation from the Organisers page, with the partner it is limited to.
  await audit(context.db, {
    organiserId: organiser.id,
    action: 'organiser-invited',
    target: `organiser:${invited.id}`,
    details: { role: 'viewer', partner: partner.id, campaign: campaign.id },
    ipHash: context.clientIpHash,
  })
  return redirect(`/admin/campaigns/${campaign.slug}/partners/${partner.ref}`, 303)
}

export default function PartnerPage() {
  const { campaign, partner, figures, scoped, accounts } = useLoaderData<typeof loader>()
  const acted = useActionData<typeof action>()
  const error = acted && 'error' in acted ? acted.error : null
  return (
    <>
      <h1>
        {partner.name}: {campaign.title}
      </h1>
      {partner.removed ? <p className="hint">This partner was removed: its link no longer attributes; the supporters it brought stay theirs.</p> : null}
      <dl>
        <dt>Confirmed signatures through its link</dt>
        <dd data-figure="verified">{figures.verified.toLocaleString('en')}</dd>
        <dt>Of these, who let {partner.name} email them</dt>
        <dd data-figure="opted-in">{figures.optedIn.toLocaleString('en')}</dd>
      </dl>
      <p>
        <a href={`/admin/campaigns/${campaign.slug}/partners/${partner.ref}/export.csv`} download>
          Download the opted-in supporters (CSV)
        </a>
      </p>
      <p className="hint">
        Name, email, country, date confirmed and language of each confirmed signer who ticked “{partner.name} may email me about its work”; nobody else.
        Someone who withdraws or stops {partner.name}’s emails leaves the next download: delete them from your own lists too. Every download is recorded.
      </p>
      {accounts ? (
        <section aria-labelledby="accounts">
          <h2 id="accounts">Accounts limited to {partner.name}</h2>
          {accounts.length === 0 ? <p>None yet.</p> : null}
          <ul>
            {accounts.map((a) => (
              <li key={a.id} dir="ltr">
                {a.email} {a.disabled ? '(disabled)' : a.active ? '' : '(invited)'}
              </li>
            ))}
          </ul>
          {partner.removed ? null : (
            <Form method="post">
              {error ? (
                <p className="error" role="alert">
                  {error}
                </p>
              ) : null}
              <label htmlFor="invite-email">Email of someone at {partner.name}</label>
              <input id="invite-email" name="email" type="email" dir="ltr" required maxLength={254} />
              <label htmlFor="invite-name">Their name (optional)</label>
              <input id="invite-name" name="name" maxLength={100} />
              <button type="submit" name="intent" value="invite">
                Invite a partner organiser
              </button>
              <p className="hint">They can read this page and download this file, nothing else. Disable the account on the Organisers page.</p>
            </Form>
          )}
        </section>
      ) : null}
      {scoped ? null : (
        <p>
          <Link to={`/admin/campaigns/${campaign.slug}/partners`}>Back to the partners</Link>
        </p>
      )}
    </>
  )
}
