import { json, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData } from '@remix-run/react'
import { importMissionsCsv } from '~/models/mission.server'
import { audit } from '~/models/organiser.server'
import { requireOrganiser } from '~/infra/auth.server'

const MAX_CSV_BYTES = 512 * 1024

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireOrganiser(request, context, 'organiser')
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const organiser = await requireOrganiser(request, context, 'organiser')
  let form: FormData
  try {
    form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_CSV_BYTES }))
  } catch {
    return json({ ok: false as const, problems: [{ line: 0, message: 'The file is too large (512 KB at most).' }] }, { status: 413 })
  }
  const file = form.get('file')
  if (!(file instanceof File) || file.size === 0) return json({ ok: false as const, problems: [{ line: 0, message: 'Choose a CSV file.' }] }, { status: 400 })
  const result = await importMissionsCsv(context.db, await file.text(), organiser.id)
  if (!result.ok) return json(result, { status: 400 })
  await audit(context.db, { organiserId: organiser.id, action: 'missions.import', details: { updated: result.updated }, ipHash: context.clientIpHash })
  return json(result)
}

export default function ImportMissions() {
  const result = useActionData<typeof action>()
  return (
    <>
      <p>
        <Link to="/admin/missions">All missions</Link>
      </p>
      <h1>Import missions</h1>
      <p>
        A CSV with the columns of the export (country_code, office, head_title, language, postal_address, emails, notes; name, status and
        language_confidence are ignored). Each row is one state’s mission at one office (new-york, geneva, vienna or nairobi); a row for an
        office the state has no mission at yet adds it. A file exported before offices existed, with a city column, still imports. The whole file is checked first and applied only if every row is valid.
      </p>
      {result && !result.ok ? (
        <div className="error-summary" role="alert">
          <p>Nothing was changed:</p>
          <ul>
            {result.problems.map((p, i) => (
              <li key={i}>{p.line ? `Line ${p.line}: ${p.message}` : p.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {result?.ok ? <p className="success">{result.updated} missions updated.</p> : null}
      <Form method="post" encType="multipart/form-data">
        <label htmlFor="file">CSV file</label>
        <input id="file" name="file" type="file" accept=".csv,text/csv" required />
        <button type="submit">Import</button>
      </Form>
    </>
  )
}
