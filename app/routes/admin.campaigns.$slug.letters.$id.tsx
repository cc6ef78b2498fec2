import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { LetterView } from '~/components/letter-view'
import { MANUAL_STATUSES, recordManualDelivery, sendLetter } from '~/models/delivery.server'
import { campaignForLetters, getLetter, getLetterDocument, letterHistory, qrSvgBase64, verifyUrlFor } from '~/models/letter.server'
import { audit } from '~/models/organiser.server'
import { isAtRisk } from '~/models/risk-policy.server'
import { organiserCampaign } from '~/use-cases/organiser-campaign.server'
import { unState } from '~/utils/countries'
import { isMissionOffice, OFFICE_LABEL } from '~/utils/mission-schema'
import { getMission } from '~/models/mission.server'
import { getUnAddressee } from '~/models/un-addressee.server'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  // A letter's annex names people: viewers see counts only (ADR 087).
  const { organiser, campaign } = await organiserCampaign(request, context, params.slug, 'organiser', campaignForLetters)
  const letter = campaign ? await getLetter(context.db, params.id!) : undefined
  if (!letter || letter.campaign_id !== campaign.id) throw new Response('Not found', { status: 404 })
  const doc = await getLetterDocument(context.db, context.vault, letter.id)
  await audit(context.db, { organiserId: organiser.id, action: 'letter.view', target: letter.id, details: { country: letter.country_code, version: letter.version }, ipHash: context.clientIpHash })
  const verifyUrl = verifyUrlFor(context.config.appUrl, letter.code)
  const delivery = await context.db.selectFrom('letter_deliveries').select(['status', 'channel', 'scheduled_at', 'status_at', 'note']).where('letter_version_id', '=', letter.id).executeTakeFirst()
  const mission = letter.addressee || !isMissionOffice(letter.city) ? undefined : await getMission(context.db, letter.country_code, letter.city)
  const addressee = letter.addressee ? await getUnAddressee(context.db, letter.addressee) : undefined
  return json(
    {
      campaign,
      letter,
      doc: doc!,
      qrSvg: await qrSvgBase64(verifyUrl),
      verifyUrl,
      name: letter.addressee
        ? `${addressee?.office ?? letter.addressee} (United Nations)`
        : `${unState(letter.country_code)!.unName.short.en}${letter.city === 'new-york' ? '' : `, ${isMissionOffice(letter.city) ? OFFICE_LABEL[letter.city] : letter.city}`}`,
      history: (await letterHistory(context.db, campaign.id, letter)).map((h) => ({ id: h.id, version: h.version, createdAt: h.created_at, count: h.country_count })),
      delivery,
      hasEmail: (mission?.emails ?? '').trim().length > 0,
      atRisk: await isAtRisk(context.db, campaign.id, letter.country_code),
      canEdit: organiser.role !== 'viewer',
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { organiser, campaign } = await organiserCampaign(request, context, params.slug, 'organiser', campaignForLetters)
  const letter = await getLetter(context.db, params.id!)
  if (!letter || letter.campaign_id !== campaign.id) throw new Response('Not found', { status: 404 })
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  const ipHash = context.clientIpHash
  if (intent === 'send') {
    const result = await sendLetter({ db: context.db, vault: context.vault, appUrl: context.config.appUrl, gapMs: context.config.email.letterGapMs }, letter.id, organiser.id)
    await audit(context.db, { organiserId: organiser.id, action: 'letter.send', target: letter.id, details: { result: result.kind }, ipHash })
    context.wakeOutbox()
  } else if (intent === 'manual') {
    const status = String(form.get('status'))
    if (!(MANUAL_STATUSES as readonly string[]).includes(status)) return json({ error: 'Choose how it was delivered' }, { status: 400 })
    const note = String(form.get('note') ?? '').slice(0, 500)
    await recordManualDelivery(context.db, letter.id, status as (typeof MANUAL_STATUSES)[number], note, organiser.id)
    await audit(context.db, { organiserId: organiser.id, action: 'letter.manual-delivery', target: letter.id, details: { status }, ipHash })
  } else return json({ error: 'Unknown action' }, { status: 400 })
  return redirect(`/admin/campaigns/${params.slug}/letters/${letter.id}`)
}

export const meta = () => [{ title: 'Letter' }]

export default function LetterPage() {
  const d = useLoaderData<typeof loader>()
  const base = `/admin/campaigns/${d.campaign.slug}/letters`
  return (
    <>
      <p>
        <Link to={base}>All letters</Link>
      </p>
      <h1>
        Letter to the mission of {d.name}, version {d.letter.version}
      </h1>
      <p>
        {d.letter.country_count} signatures from this country, {d.letter.total_count} in all · code {d.letter.code} ·{' '}
        <a href={`/verify/${d.letter.code}`}>verification page</a> · <a href={`${base}/${d.letter.id}/pdf`}>PDF</a>
      </p>
      {d.atRisk ? (
        <p className="panel" role="note">
          {d.name} is marked as a state where signers are at risk: its letter carries only their number. No signer from {d.name} is ever named in it,
          whatever they ticked.
        </p>
      ) : null}
      <p>
        Delivery:{' '}
        {d.delivery
          ? `${d.delivery.status} (${d.delivery.channel})${d.delivery.note ? `: ${d.delivery.note}` : ''}`
          : 'not sent'}
      </p>
      {d.canEdit && !d.delivery ? (
        <div className="actions">
          {d.hasEmail ? (
            <Form method="post">
              <input type="hidden" name="intent" value="send" />
              <button type="submit">Send by email (next New York office hours)</button>
            </Form>
          ) : null}
          <Form method="post">
            <input type="hidden" name="intent" value="manual" />
            <label htmlFor="status">Delivered otherwise</label>
            <select id="status" name="status">
              <option value="delivered-by-hand">Delivered by hand</option>
              <option value="posted">Posted</option>
            </select>
            <label htmlFor="note">Note</label>
            <input id="note" name="note" type="text" maxLength={500} />
            <button type="submit">Record</button>
          </Form>
        </div>
      ) : null}
      <div className="letter-sheet">
        <LetterView doc={d.doc} qrSvg={d.qrSvg} />
      </div>
      <h2>History</h2>
      <ul>
        {d.history.map((h) => (
          <li key={h.id}>
            {h.id === d.letter.id ? (
              <strong>
                v{h.version} ({h.count} signatures)
              </strong>
            ) : (
              <Link to={`${base}/${h.id}`}>
                v{h.version} ({h.count} signatures)
              </Link>
            )}{' '}
            {new Date(h.createdAt).toISOString().slice(0, 16).replace('T', ' ')} UTC
          </li>
        ))}
      </ul>
    </>
  )
}
