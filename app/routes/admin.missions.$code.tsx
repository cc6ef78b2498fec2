import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { UN_LANGUAGES } from '~/data/un-states'
import { getMission, updateMission } from '~/models/mission.server'
import { MissionUpdateSchema } from '~/utils/mission-schema'
import { audit } from '~/models/organiser.server'
import { requireOrganiser } from '~/utils/auth.server'
import { unState } from '~/utils/countries'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const organiser = await requireOrganiser(request, context, 'viewer')
  const mission = await getMission(context.db, params.code ?? '')
  if (!mission) throw new Response('Not found', { status: 404 })
  return json({ mission, name: unState(mission.country_code)!.unName.formal.en, canEdit: organiser.role !== 'viewer' })
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const organiser = await requireOrganiser(request, context, 'organiser')
  const submission = parseWithZod(await request.formData(), { schema: MissionUpdateSchema })
  if (submission.status !== 'success') return json(submission.reply(), { status: 400 })
  const before = await updateMission(context.db, params.code ?? '', submission.value, organiser.id)
  if (!before) throw new Response('Not found', { status: 404 })
  await audit(context.db, {
    organiserId: organiser.id,
    action: 'mission.update',
    target: before.country_code,
    details: { language: [before.language, submission.value.language], city: [before.city, submission.value.city] },
    ipHash: context.clientIpHash,
  })
  return redirect('/admin/missions')
}

const LANGUAGE_NAMES: Record<string, string> = { en: 'English', fr: 'French', es: 'Spanish', ar: 'Arabic', ru: 'Russian', zh: 'Chinese' }

export default function EditMission() {
  const { mission, name, canEdit } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const [form, fields] = useForm({
    lastResult,
    defaultValue: {
      headTitle: mission.head_title,
      language: mission.language,
      city: mission.city,
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
        Mission of {name} ({mission.country_code})
      </h1>
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
          <label htmlFor={fields.city.id}>Letters go to the mission in</label>
          <select {...getSelectProps(fields.city)}>
            <option value="new-york">New York</option>
            <option value="geneva">Geneva</option>
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
    </>
  )
}
