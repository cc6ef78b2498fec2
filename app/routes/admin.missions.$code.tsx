import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { UN_LANGUAGES } from '~/data/un-states'
import { addMissionOffice, getMission, listMissions, updateMission } from '~/models/mission.server'
import { isMissionOffice, MISSION_OFFICES, MissionUpdateSchema, OFFICE_LABEL } from '~/utils/mission-schema'
import { audit } from '~/models/organiser.server'
import { requireOrganiser } from '~/infra/auth.server'
import { unState } from '~/utils/countries'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const organiser = await requireOrganiser(request, context, 'viewer')
  const office = officeOf(request)
  const mission = office ? await getMission(context.db, params.code ?? '', office) : undefined
  if (!mission) throw new Response('Not found', { status: 404 })
  const offices = (await listMissions(context.db)).filter((m) => m.country_code === mission.country_code).map((m) => m.office)
  return json({ mission, offices, name: unState(mission.country_code)!.unName.formal.en, canEdit: organiser.role !== 'viewer' })
}

/** The office is part of the mission's address: `?office=geneva`; none means New York. */
function officeOf(request: Request) {
  const office = new URL(request.url).searchParams.get('office') ?? 'new-york'
  return isMissionOffice(office) ? office : null
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const organiser = await requireOrganiser(request, context, 'organiser')
  const office = officeOf(request)
  if (!office) throw new Response('Not found', { status: 404 })
  const form = await request.formData()
  if (form.get('intent') === 'add-office') {
    const added = String(form.get('office') ?? '')
    if (!isMissionOffice(added)) return json({ status: 'error', error: { '': ['Choose an office from the list'] } } as const, { status: 400 })
    const code = params.code ?? ''
    if (!(await addMissionOffice(context.db, code, added, organiser.id))) return json({ status: 'error', error: { '': ['This state already has a mission there'] } } as const, { status: 400 })
    await audit(context.db, { organiserId: organiser.id, action: 'mission.add-office', target: `${code}/${added}`, ipHash: context.clientIpHash })
    return redirect(`/admin/missions/${code}?office=${added}`)
  }
  const submission = parseWithZod(form, { schema: MissionUpdateSchema })
  if (submission.status !== 'success') return json(submission.reply(), { status: 400 })
  const before = await updateMission(context.db, params.code ?? '', office, submission.value, organiser.id)
  if (!before) throw new Response('Not found', { status: 404 })
  await audit(context.db, {
    organiserId: organiser.id,
    action: 'mission.update',
    target: `${before.country_code}/${office}`,
    details: { language: [before.language, submission.value.language] },
    ipHash: context.clientIpHash,
  })
  return redirect('/admin/missions')
}

const LANGUAGE_NAMES: Record<string, string> = { en: 'English', fr: 'French', es: 'Spanish', ar: 'Arabic', ru: 'Russian', zh: 'Chinese' }

export default function EditMission() {
  const { mission, offices, name, canEdit } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const lastResult = actionData && 'initialValue' in actionData ? actionData : undefined
  const formError = actionData && !('initialValue' in actionData) && 'error' in actionData ? (actionData.error as Record<string, string[]>)['']?.[0] : undefined
  const missing = MISSION_OFFICES.filter((o) => !offices.includes(o))
  const [form, fields] = useForm({
    lastResult,
    defaultValue: {
      headTitle: mission.head_title,
      language: mission.language,
      postalAddress: mission.postal_address,
      emails: mission.emails,
      notes: mission.notes,
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: MissionUpdateSchema }),
    shouldValidate: 'onBlur',
  })
  return (
    <>
      <p>
        <Link to="/admin/missions">All missions</Link>
      </p>
      <h1>
        Mission of {name} ({mission.country_code}) in {OFFICE_LABEL[mission.office]}
      </h1>
      <p>
        Offices:{' '}
        {offices.map((o, i) => (
          <span key={o}>
            {i ? ' · ' : ''}
            {o === mission.office ? <strong>{OFFICE_LABEL[o]}</strong> : <Link to={`/admin/missions/${mission.country_code}?office=${o}`}>{OFFICE_LABEL[o]}</Link>}
          </span>
        ))}
        . Each campaign chooses which offices it writes to.
      </p>
      {formError ? (
        <p className="error" role="alert">
          {formError}
        </p>
      ) : null}
      <p className="hint">
        {mission.status === 'observer' ? 'Observer state.' : 'Member state.'} Language confidence: {mission.language_confidence}.
      </p>
      <Form method="post" {...getFormProps(form)}>
        <fieldset disabled={!canEdit}>
          <label htmlFor={fields.headTitle.id}>Head of mission</label>
          <select {...getSelectProps(fields.headTitle)}>
            <option value="representative">Permanent Representative</option>
            <option value="observer">Permanent Observer</option>
          </select>
          <label htmlFor={fields.language.id}>Language of correspondence</label>
          <select {...getSelectProps(fields.language)}>
            {UN_LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
          <label htmlFor={fields.emails.id}>Email addresses (comma-separated; none: delivered by hand or post)</label>
          <input {...getInputProps(fields.emails, { type: 'text' })} aria-describedby={fields.emails.errorId} />
          <p className="error" id={fields.emails.errorId}>
            {fields.emails.errors?.[0]}
          </p>
          <label htmlFor={fields.postalAddress.id}>Postal address</label>
          <textarea {...getTextareaProps(fields.postalAddress)} rows={4} />
          <label htmlFor={fields.notes.id}>Notes</label>
          <textarea {...getTextareaProps(fields.notes)} rows={3} />
          <button type="submit">Save</button>
        </fieldset>
      </Form>
      {canEdit && missing.length ? (
        <Form method="post">
          <input type="hidden" name="intent" value="add-office" />
          <label htmlFor="add-office">Add this state’s mission at another office</label>{' '}
          <select id="add-office" name="office">
            {missing.map((o) => (
              <option key={o} value={o}>
                {OFFICE_LABEL[o]}
              </option>
            ))}
          </select>{' '}
          <button type="submit">Add</button>
        </Form>
      ) : null}
    </>
  )
}
