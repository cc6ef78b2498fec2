import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import type { Role } from '~/db.server'
import { inviteOrganiser, reinviteOrganiser, setOrganiserDisabled, setOrganiserRole, type OrganiserChange } from '~/models/organiser-admin.server'
import { audit, listOrganisers } from '~/models/organiser.server'
import { ROLES } from '~/utils/roles'
import { requireOrganiser } from '~/infra/auth.server'
import { Field, FormError } from '~/components/admin/field'
import { DataTable } from '~/components/admin/data-table'

const ROLE_HELP: Record<Role, string> = {
  viewer: 'viewer: aggregate figures only',
  organiser: 'organiser: campaigns, moderation, exports, updates',
  admin: 'admin: everything, including organisers',
}
const RoleSchema = z.enum(['viewer', 'organiser', 'admin'], { error: 'Choose a role.' })

const InviteSchema = z.object({
  intent: z.literal('invite'),
  email: z.string({ error: 'Enter their email address.' }).trim().max(254).pipe(z.email('Enter a valid email address.')),
  name: z.string().trim().max(100, 'Keep the name under 100 characters.').optional(),
  role: RoleSchema,
})
const RowSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('role'), id: z.string().uuid(), role: RoleSchema }),
  z.object({ intent: z.enum(['disable', 'enable', 'reinvite']), id: z.string().uuid() }),
])

export const meta = () => [{ title: 'Organisers · Admin' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const me = await requireOrganiser(request, context, 'admin')
  return json({ me: me.id, organisers: await listOrganisers(context.db, context.vault) }, { headers: { 'Cache-Control': 'no-store' } })
}

const REFUSALS: Record<Exclude<OrganiserChange, { ok: true }>['reason'], string> = {
  'not-found': 'That organiser no longer exists.',
  'last-admin': 'There must always be one active admin: make someone else admin first.',
  self: 'You cannot change your own account here; ask another admin.',
  exists: 'That organiser has already chosen a password.',
  partner: 'This account is limited to one partner: its role cannot change. Disable it instead.',
}

export async function action({ request, context }: ActionFunctionArgs) {
  const me = await requireOrganiser(request, context, 'admin')
  const form = await request.formData()
  const ipHash = context.clientIpHash

  if (form.get('intent') === 'invite') {
    const submission = parseWithZod(form, { schema: InviteSchema })
    if (submission.status !== 'success') return json({ invite: submission.reply(), notice: null, error: null }, { status: 400 })
    const { email, name, role } = submission.value
    const result = await inviteOrganiser(context.db, context.vault, context.config.appUrl, { email, name: name ?? '', role })
    if (!result.ok) {
      return json({ invite: submission.reply({ fieldErrors: { email: ['An organiser account already uses this address.'] } }), notice: null, error: null }, { status: 409 })
    }
    context.wakeOutbox()
    await audit(context.db, { organiserId: me.id, action: 'organiser-invited', target: `organiser:${result.id}`, details: { role }, ipHash })
    return json({ invite: submission.reply({ resetForm: true }), notice: `Invitation sent to ${email}.`, error: null })
  }

  const parsed = RowSchema.safeParse(Object.fromEntries(form))
  if (!parsed.success) return json({ invite: null, notice: null, error: 'That request was not understood.' }, { status: 400 })
  const row = parsed.data
  let result: OrganiserChange & { from?: Role }
  let details: Record<string, unknown> = {}
  if (row.intent === 'role') {
    result = await setOrganiserRole(context.db, me.id, row.id, row.role)
    details = { from: result.ok ? result.from : undefined, to: row.role }
  } else if (row.intent === 'reinvite') {
    result = await reinviteOrganiser(context.db, context.vault, context.config.appUrl, row.id)
    if (result.ok) context.wakeOutbox()
  } else {
    result = await setOrganiserDisabled(context.db, me.id, row.id, row.intent === 'disable')
  }
  if (!result.ok) return json({ invite: null, notice: null, error: REFUSALS[result.reason] }, { status: 409 })
  const action = { role: 'organiser-role-changed', disable: 'organiser-disabled', enable: 'organiser-enabled', reinvite: 'organiser-reinvited' }[row.intent]
  await audit(context.db, { organiserId: me.id, action, target: `organiser:${row.id}`, details, ipHash })
  const notice = { role: 'Role changed.', disable: 'Account disabled; its sessions have ended.', enable: 'Account enabled.', reinvite: 'A new invitation is on its way.' }[row.intent]
  return json({ invite: null, notice, error: null })
}

export default function Organisers() {
  const { organisers, me } = useLoaderData<typeof loader>()
  const data = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'invite',
    lastResult: data?.invite,
    defaultValue: { role: 'organiser' },
    constraint: getZodConstraint(InviteSchema),
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: InviteSchema }),
  })
  return (
    <>
      <h1>Organisers</h1>
      {data?.notice ? (
        <p className="notice" role="status">
          {data.notice}
        </p>
      ) : null}
      {data?.error ? (
        <p className="error-summary" role="alert">
          {data.error}
        </p>
      ) : null}
      <DataTable className="organisers" columns={['Organiser', 'Role', 'State', 'Actions']}>
        {organisers.map((o) => {
          const label = o.name ? `${o.name} (${o.email})` : o.email
          const self = o.id === me
          return (
            <tr key={o.id}>
              <th scope="row">
                {o.name ? (
                  <>
                    {o.name}
                    <br />
                  </>
                ) : null}
                <span className="hint">{o.email}</span>
              </th>
              <td>
                {self ? (
                  <>{o.role} (you)</>
                ) : o.partnerId ? (
                  // Limited to one partner (ADR 131): no role widens it; disable it and invite again instead.
                  <>partner organiser</>
                ) : (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="role" />
                    <input type="hidden" name="id" value={o.id} />
                    <label htmlFor={`role-${o.id}`} className="visually-hidden">
                      Role of {label}
                    </label>
                    <select id={`role-${o.id}`} name="role" defaultValue={o.role}>
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                    <button type="submit" className="small" aria-label={`Change the role of ${label}`}>
                      Change
                    </button>
                  </Form>
                )}
              </td>
              <td>{o.disabled ? 'disabled' : o.active ? 'active' : 'invited, no password yet'}</td>
              <td>
                {self ? null : (
                  <div className="row-actions">
                    <Form method="post">
                      <input type="hidden" name="intent" value={o.disabled ? 'enable' : 'disable'} />
                      <input type="hidden" name="id" value={o.id} />
                      <button type="submit" className="small secondary" aria-label={`${o.disabled ? 'Enable' : 'Disable'} ${label}`}>
                        {o.disabled ? 'Enable' : 'Disable'}
                      </button>
                    </Form>
                    {!o.active && !o.disabled ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="reinvite" />
                        <input type="hidden" name="id" value={o.id} />
                        <button type="submit" className="small secondary" aria-label={`Send ${label} a new invitation`}>
                          Send a new invitation
                        </button>
                      </Form>
                    ) : null}
                  </div>
                )}
              </td>
            </tr>
          )
        })}
      </DataTable>

      <h2 id="invite-heading">Invite an organiser</h2>
      <p>They receive an email with a link to choose their password; the link works once, for 24 hours.</p>
      <Form method="post" {...getFormProps(form)} aria-labelledby="invite-heading" className="narrow">
        <input type="hidden" name="intent" value="invite" />
        <FormError errors={form.errors} />
        <Field label="Email" meta={fields.email}>
          {(describedBy) => <input {...getInputProps(fields.email, { type: 'email' })} autoComplete="off" aria-describedby={describedBy} />}
        </Field>
        <Field label="Name (optional)" meta={fields.name}>
          {(describedBy) => <input {...getInputProps(fields.name, { type: 'text' })} autoComplete="off" aria-describedby={describedBy} />}
        </Field>
        <div className="field">
          <label htmlFor={fields.role.id}>Role</label>
          <select {...getSelectProps(fields.role)} aria-describedby={fields.role.errorId}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_HELP[r]}
              </option>
            ))}
          </select>
          <p className="error" id={fields.role.errorId}>
            {fields.role.errors?.[0]}
          </p>
        </div>
        <button type="submit">Send invitation</button>
      </Form>
    </>
  )
}
