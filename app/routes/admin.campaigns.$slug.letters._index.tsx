import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useRevalidator } from '@remix-run/react'
import { useEffect } from 'react'
import { UN_STATES } from '~/data/un-states'
import { listDeliveries, sendLetter } from '~/models/delivery.server'
import { campaignForLetters, generateOne, jobFailures, latestJob, latestLetters, letterTarget, LetterRefusal, NO_SENDER_MESSAGE, parseTarget, startLetterJob } from '~/models/letter.server'
import { chosenUnAddressees, getLetterSettings, saveAddressees } from '~/models/letter-settings.server'
import { listUnAddressees } from '~/models/un-addressee.server'
import { isMissionOffice, MISSION_OFFICES, OFFICE_LABEL } from '~/utils/mission-schema'
import { audit } from '~/models/organiser.server'
import { atRiskStates, markAtRisk, unmarkAtRisk } from '~/models/risk-policy.server'
import { organiserCampaign } from '~/use-cases/organiser-campaign.server'
import { unState } from '~/utils/countries'
import { DataTable } from '~/components/admin/data-table'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { organiser, campaign } = await organiserCampaign(request, context, params.slug, 'viewer', campaignForLetters)
  const [letters, job, deliveries, missions, settings, atRisk, unDirectory, unChosen] = await Promise.all([
    latestLetters(context.db, campaign.id),
    latestJob(context.db, campaign.id),
    listDeliveries(context.db, campaign.id),
    context.db.selectFrom('missions').select(['country_code', 'office', 'language', 'emails']).execute(),
    getLetterSettings(context.db, campaign.id),
    atRiskStates(context.db, campaign.id),
    listUnAddressees(context.db),
    chosenUnAddressees(context.db, campaign.id),
  ])
  const offices = settings?.offices ?? ['new-york']
  const failures = job && job.status !== 'running' ? await jobFailures(context.db, job.id) : []
  const risky = new Set(atRisk)
  const byTarget = new Map(letters.map((l) => [letterTarget(l), l]))
  const deliveryByLetter = new Map(deliveries.map((d) => [d.letterId, d]))
  const missionBy = new Map(missions.map((m) => [`${m.country_code}@${m.office}`, m]))
  const letterOf = (target: string) => {
    const l = byTarget.get(target)
    const d = l ? deliveryByLetter.get(l.id) : undefined
    return {
      letter: l ? { id: l.id, version: l.version, count: l.country_count, createdAt: l.created_at, code: l.code } : null,
      delivery: d ? { status: d.status, channel: d.channel, scheduledAt: d.scheduledAt } : null,
    }
  }
  return json(
    {
      campaign,
      canEdit: organiser.role !== 'viewer',
      sender: settings ? { name: settings.sender.name, signerName: settings.sender.signerName, writeWithoutSigners: settings.writeWithoutSigners } : null,
      // Letters name people: a viewer sees the counts and statuses, never a letter (ADR 087).
      canRead: organiser.role !== 'viewer',
      atRisk: atRisk.map((code) => ({ code, name: unState(code)?.unName.short.en ?? code })),
      job: job ? { id: job.id, status: job.status, done: job.done, total: job.total, error: job.error, resumes: job.resumes, resumedAt: job.resumed_at } : null,
      failures: failures.map((f) => ({ code: f.country_code, name: targetName(f.country_code), error: f.error, attempts: f.attempts })),
      offices,
      unDirectory: unDirectory.map((a) => ({ id: a.id, office: a.office, personName: a.person_name, chosen: unChosen.includes(a.id) })),
      unRows: unDirectory
        .filter((a) => unChosen.includes(a.id))
        .map((a) => ({ target: `UN:${a.id}`, name: a.office, language: a.language, hasEmail: false, ...letterOf(`UN:${a.id}`) })),
      rows: UN_STATES.flatMap((s) =>
        offices.map((office) => {
          const target = office === 'new-york' ? s.code : `${s.code}@${office}`
          const mission = missionBy.get(`${s.code}@${office}`)
          return {
            code: s.code,
            target,
            office: OFFICE_LABEL[office],
            name: unState(s.code)!.unName.short.en,
            language: mission?.language ?? s.correspondenceLanguage,
            hasEmail: (mission?.emails ?? '').trim().length > 0,
            atRisk: risky.has(s.code),
            ...letterOf(target),
          }
        }),
      ),
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { organiser, campaign } = await organiserCampaign(request, context, params.slug, 'organiser', campaignForLetters)
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  const ipHash = context.clientIpHash
  if ((intent === 'generate-all' || intent === 'generate') && !(await getLetterSettings(context.db, campaign.id))) {
    return json({ error: NO_SENDER_MESSAGE }, { status: 400 })
  }
  if (intent === 'generate-all') {
    const { jobId } = await startLetterJob(context, campaign, organiser.id)
    await audit(context.db, { organiserId: organiser.id, action: 'letters.generate-all', target: campaign.slug, details: { jobId }, ipHash })
    return redirect(`/admin/campaigns/${campaign.slug}/letters`)
  }
  if (intent === 'retry-failed') {
    const job = await latestJob(context.db, campaign.id)
    const countries = job && job.status !== 'running' ? (await jobFailures(context.db, job.id)).map((f) => f.country_code) : []
    if (!countries.length) return json({ error: 'The last generation left no letter to retry.' }, { status: 400 })
    const { jobId } = await startLetterJob(context, campaign, organiser.id, countries)
    await audit(context.db, { organiserId: organiser.id, action: 'letters.retry-failed', target: campaign.slug, details: { jobId, countries }, ipHash })
    return redirect(`/admin/campaigns/${campaign.slug}/letters`)
  }
  if (intent === 'addressees') {
    const offices = form.getAll('office').map(String).filter(isMissionOffice)
    if (offices.length === 0) return json({ error: 'Choose at least one office of the missions to write to.' }, { status: 400 })
    const known = new Set((await listUnAddressees(context.db)).map((a) => a.id))
    const un = [...new Set(form.getAll('un').map(String))]
    if (un.some((id) => !known.has(id))) return json({ error: 'Choose UN office holders from the directory.' }, { status: 400 })
    if (!(await saveAddressees(context.db, campaign.id, offices, un, organiser.id))) return json({ error: NO_SENDER_MESSAGE }, { status: 400 })
    await audit(context.db, { organiserId: organiser.id, action: 'letters.addressees', target: campaign.slug, details: { offices, un }, ipHash })
    return redirect(`/admin/campaigns/${campaign.slug}/letters`)
  }
  if (intent === 'generate') {
    const country = String(form.get('country') ?? '')
    if (!parseTarget(country)) return json({ error: 'Unknown country' }, { status: 400 })
    let letter
    try {
      letter = await generateOne(context, campaign, country, organiser.id)
    } catch (error) {
      if (error instanceof LetterRefusal) return json({ error: error.message }, { status: 400 })
      throw error
    }
    await audit(context.db, { organiserId: organiser.id, action: 'letters.generate', target: `${campaign.slug}/${country}`, details: { letterId: letter.id }, ipHash })
    return redirect(`/admin/campaigns/${campaign.slug}/letters/${letter.id}`)
  }
  if (intent === 'mark-risk' || intent === 'unmark-risk') {
    const country = String(form.get('country') ?? '')
    if (!unState(country)) return json({ error: 'Choose a state from the list' }, { status: 400 })
    const changed = intent === 'mark-risk' ? await markAtRisk(context.db, campaign.id, country, organiser.id) : await unmarkAtRisk(context.db, campaign.id, country)
    if (changed) await audit(context.db, { organiserId: organiser.id, action: `risk.${intent === 'mark-risk' ? 'mark' : 'unmark'}`, target: `${campaign.slug}/${country}`, ipHash })
    return redirect(`/admin/campaigns/${campaign.slug}/letters`)
  }
  if (intent === 'send-all') {
    const letters = await latestLetters(context.db, campaign.id)
    let scheduled = 0
    for (const l of letters) {
      const r = await sendLetter({ db: context.db, vault: context.vault, appUrl: context.config.appUrl, gapMs: context.config.email.letterGapMs }, l.id, organiser.id)
      if (r.kind === 'scheduled') scheduled++
    }
    await audit(context.db, { organiserId: organiser.id, action: 'letters.send-all', target: campaign.slug, details: { scheduled }, ipHash })
    context.wakeOutbox()
    return redirect(`/admin/campaigns/${campaign.slug}/letters`)
  }
  return json({ error: 'Unknown action' }, { status: 400 })
}

/** A job target as organisers read it: "Iran (Islamic Republic of), Geneva", "UN: secretary-general". */
function targetName(target: string): string {
  const t = parseTarget(target)
  if (!t) return target
  if (t.kind === 'un') return `UN: ${t.addressee}`
  const name = unState(t.country)?.unName.short.en ?? t.country
  return t.office === 'new-york' ? name : `${name}, ${OFFICE_LABEL[t.office]}`
}

export const meta = () => [{ title: 'Letters' }]

const date = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ')

export default function Letters() {
  const { campaign, job, failures, rows, unRows, offices, unDirectory, canEdit, sender, canRead, atRisk } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const error = actionData && 'error' in actionData ? actionData.error : null
  const revalidator = useRevalidator()
  const running = job?.status === 'running'
  // While letters are being generated, the page refreshes its progress every second.
  useEffect(() => {
    if (!running) return
    const timer = setInterval(() => revalidator.state === 'idle' && revalidator.revalidate(), 1000)
    return () => clearInterval(timer)
  }, [running, revalidator])
  return (
    <>
      <h1>Letters: {campaign.title}</h1>
      <p>
        <Link to="/admin/missions">Missions</Link> · <Link to={`/admin/campaigns/${campaign.slug}/responses`}>Replies</Link> ·{' '}
        <a href={`/campaigns/${campaign.slug}/responses`}>Public page of replies</a>
      </p>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="panel">
        {sender ? (
          <p>
            Letters are sent by <strong>{sender.name}</strong> and signed by {sender.signerName};{' '}
            {sender.writeWithoutSigners ? 'states with no signer get a letter too.' : 'states with no signer get no letter.'}{' '}
            <Link to={`/admin/campaigns/${campaign.slug}/letters/sender`}>Change</Link>
          </p>
        ) : (
          <p>
            No sending organisation yet: letters cannot be made until you{' '}
            <Link to={`/admin/campaigns/${campaign.slug}/letters/sender`}>set who sends and signs them</Link>.
          </p>
        )}
      </div>
      <section className="panel" aria-labelledby="addressees-title">
        <h2 id="addressees-title">Who the letters go to</h2>
        <Form method="post">
          <input type="hidden" name="intent" value="addressees" />
          <fieldset disabled={!canEdit || !sender}>
            <legend>Each state’s permanent mission at</legend>
            {MISSION_OFFICES.map((o) => (
              <label key={o} className="inline">
                <input type="checkbox" name="office" value={o} defaultChecked={offices.includes(o)} /> {OFFICE_LABEL[o]}
              </label>
            ))}
          </fieldset>
          <fieldset disabled={!canEdit || !sender}>
            <legend>
              UN office holders (<Link to="/admin/un-addressees">directory</Link>): their letter gives the total and a table by country, never a
              name
            </legend>
            {unDirectory.map((a) => (
              <label key={a.id} className="inline">
                <input type="checkbox" name="un" value={a.id} defaultChecked={a.chosen} /> {a.office}
                {a.personName ? ` (${a.personName})` : ' (no name yet: check who holds the office)'}
              </label>
            ))}
          </fieldset>
          {canEdit && sender ? <button type="submit">Save the addressees</button> : null}
        </Form>
      </section>
      {job ? (
        <div className="panel" aria-live="polite">
          <label htmlFor="job-progress">
            {job.status === 'running' ? 'Generating letters' : job.status === 'done' ? 'Last generation finished' : `Last generation failed: ${job.error ?? ''}`}: {job.done} of{' '}
            {job.total}
          </label>
          <progress id="job-progress" value={job.done} max={job.total} />
          {job.resumedAt !== null ? (
            <p id="job-resumed">
              The server restarted while these letters were being made; it resumed the generation by itself on {date(job.resumedAt)} UTC
              {job.resumes > 1 ? ` (${job.resumes} times)` : ''}, starting again from a fresh count so that every letter comes from the same snapshot.
            </p>
          ) : null}
          {failures.length ? (
            <>
              <p>These letters could not be made; every other state's letter was:</p>
              <ul id="job-failures">
                {failures.map((f) => (
                  <li key={f.code}>
                    {f.name} ({f.code}): {f.error} ({f.attempts} attempts)
                  </li>
                ))}
              </ul>
              {canEdit ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="retry-failed" />
                  <button type="submit">
                    Try the {failures.length} failed {failures.length === 1 ? 'letter' : 'letters'} again
                  </button>
                </Form>
              ) : null}
            </>
          ) : null}
        </div>
      ) : null}
      {canEdit ? (
        <div className="actions">
          <Form method="post">
            <input type="hidden" name="intent" value="generate-all" />
            <button type="submit" disabled={running}>
              Generate {sender?.writeWithoutSigners ? `all ${rows.length + unRows.length} letters` : 'a letter to every state with a signer'}
            </button>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value="send-all" />
            <button type="submit" disabled={running}>
              Send every unsent letter (New York office hours)
            </button>
          </Form>
        </div>
      ) : null}
      <section className="panel" aria-labelledby="risk-title">
        <h2 id="risk-title">States where signers are at risk</h2>
        <p>
          Signers who give one of these states are counted, but their names are never put in the letter to its mission nor shown on public pages,
          whatever they ticked; the sign form and the privacy page tell them so. Lifting a mark does not release names withheld until then.
        </p>
        {atRisk.length ? (
          <ul>
            {atRisk.map((s) => (
              <li key={s.code}>
                {`${s.name} (${s.code})`}{' '}
                {canEdit ? (
                  <Form method="post" className="inline">
                    <input type="hidden" name="intent" value="unmark-risk" />
                    <input type="hidden" name="country" value={s.code} />
                    <button type="submit" className="link-button">
                      Lift the mark on {s.name}
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p>No state is marked.</p>
        )}
        {canEdit ? (
          <Form method="post">
            <input type="hidden" name="intent" value="mark-risk" />
            <label htmlFor="risk-country">Mark a state</label>{' '}
            <select id="risk-country" name="country" required defaultValue="">
              <option value="">Choose a state</option>
              {rows
                .filter((r, i) => !r.atRisk && rows.findIndex((x) => x.code === r.code) === i)
                .map((r) => (
                  <option key={r.code} value={r.code}>
                    {r.name}
                  </option>
                ))}
            </select>{' '}
            <button type="submit">Mark at risk</button>
          </Form>
        ) : null}
      </section>
      {canRead ? (
        <p>
          <a href={`/admin/campaigns/${campaign.slug}/letters.zip`}>Download the latest letters as a zip</a> (PDF and certificate of each)
        </p>
      ) : null}
      <DataTable columns={['Addressee', 'Office', 'Language', 'Letter', 'Signatures', 'Delivery', 'Action']}>
        {[...unRows.map((r) => ({ ...r, code: 'UN', office: 'United Nations', atRisk: false })), ...rows].map((r) => (
          <tr key={r.target}>
            <td>
              {r.name} ({r.code}){r.atRisk ? <strong> · at risk: count only, no names</strong> : null}
            </td>
            <td>{r.office}</td>
            <td>{r.language}</td>
            <td>
              {r.letter ? (
                canRead ? (
                  <Link to={`/admin/campaigns/${campaign.slug}/letters/${r.letter.id}`}>
                    v{r.letter.version}, {date(r.letter.createdAt)}
                  </Link>
                ) : (
                  `v${r.letter.version}, ${date(r.letter.createdAt)}`
                )
              ) : (
                'none yet'
              )}
            </td>
            <td>{r.letter?.count ?? ''}</td>
            <td>
              {r.delivery
                ? `${r.delivery.status}${r.delivery.channel === 'email' && r.delivery.scheduledAt ? ` (from ${date(r.delivery.scheduledAt)} UTC)` : ''}`
                : r.hasEmail
                  ? 'not sent'
                  : 'no email: by hand or post'}
            </td>
            <td>
              {canEdit ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="generate" />
                  <input type="hidden" name="country" value={r.target} />
                  <button type="submit" className="link-button">
                    {r.letter ? 'New version' : 'Generate'}
                  </button>
                </Form>
              ) : null}
            </td>
          </tr>
        ))}
      </DataTable>
    </>
  )
}
