import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import type { UnAddressee } from '~/db.server'
import { audit } from '~/models/organiser.server'
import { listUnAddressees, saveUnAddressee, UnAddresseeSchema } from '~/models/un-addressee.server'
import { requireOrganiser } from '~/infra/auth.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const organiser = await requireOrganiser(request, context, 'viewer')
  return json({ addressees: await listUnAddressees(context.db), canEdit: organiser.role !== 'viewer' }, { headers: { 'Cache-Control': 'no-store' } })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const organiser = await requireOrganiser(request, context, 'organiser')
  const form = await request.formData()
  const id = String(form.get('id') ?? '') || null
  const parsed = UnAddresseeSchema.safeParse(Object.fromEntries([...form.entries()].filter(([k]) => k !== 'id').map(([k, v]) => [k, String(v)])))
  if (!parsed.success) return json({ id, error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }, { status: 400 })
  const saved = await saveUnAddressee(context.db, id, parsed.data, organiser.id)
  if (!saved) return json({ id, error: 'No such office holder' }, { status: 404 })
  await audit(context.db, { organiserId: organiser.id, action: id ? 'un-addressee.update' : 'un-addressee.create', target: saved, ipHash: context.clientIpHash })
  return redirect('/admin/un-addressees')
}

export const meta = () => [{ title: 'UN office holders' }]

function AddresseeForm({ a, canEdit }: { a?: Pick<UnAddressee, 'id' | 'office' | 'form_of_address' | 'person_name' | 'salutation' | 'language' | 'city' | 'postal_address' | 'emails' | 'notes'>; canEdit: boolean }) {
  const p = a?.id ?? 'new'
  const field = (name: string, label: string, value: string, required = false) => (
    <>
      <label htmlFor={`${p}-${name}`}>{label}</label>
      <input id={`${p}-${name}`} name={name} defaultValue={value} required={required} />
    </>
  )
  return (
    <Form method="post">
      {a ? <input type="hidden" name="id" value={a.id} /> : null}
      <fieldset disabled={!canEdit}>
        {field('office', 'Office (as in the address block)', a?.office ?? '', true)}
        {field('formOfAddress', 'Title before the name (H.E., Ms., Mr.; may be empty)', a?.form_of_address ?? '')}
        {field('personName', 'Who holds the office now (check before sending)', a?.person_name ?? '')}
        {field('salutation', 'Salutation', a?.salutation ?? 'Excellency,', true)}
        <label htmlFor={`${p}-language`}>Language of the letter</label>
        <select id={`${p}-language`} name="language" defaultValue={a?.language ?? 'en'}>
          <option value="en">English</option>
          <option value="fr">French</option>
        </select>
        {field('city', 'City', a?.city ?? '', true)}
        <label htmlFor={`${p}-postalAddress`}>Postal address</label>
        <textarea id={`${p}-postalAddress`} name="postalAddress" rows={4} defaultValue={a?.postal_address ?? ''} />
        {field('emails', 'Email addresses (comma-separated; may be empty)', a?.emails ?? '')}
        <label htmlFor={`${p}-notes`}>Notes</label>
        <textarea id={`${p}-notes`} name="notes" rows={2} defaultValue={a?.notes ?? ''} />
        <button type="submit">{a ? 'Save' : 'Add'}</button>
      </fieldset>
    </Form>
  )
}

export default function UnAddressees() {
  const { addressees, canEdit } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  return (
    <>
      <p>
        <Link to="/admin/missions">Missions</Link>
      </p>
      <h1>UN office holders</h1>
      <p>
        A campaign can write to any of these besides the states’ missions. Their letter gives the total of verified signatures and a table by
        country of residence, with the same certificate; it never carries a name. Office holders change: check who holds each office before
        letters are made.
      </p>
      {result && 'error' in result ? (
        <p className="error" role="alert">
          {result.error}
        </p>
      ) : null}
      {addressees.map((a) => (
        <section key={a.id} className="panel" aria-labelledby={`h-${a.id}`}>
          <h2 id={`h-${a.id}`}>{a.office}</h2>
          <AddresseeForm a={a} canEdit={canEdit} />
        </section>
      ))}
      {canEdit ? (
        <section className="panel" aria-labelledby="h-new">
          <h2 id="h-new">Add an office holder</h2>
          <AddresseeForm canEdit={canEdit} />
        </section>
      ) : null}
    </>
  )
}
