import { getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { campaignForLetters } from '~/models/letter.server'
import { getLetterSettings, saveLetterSettings } from '~/models/letter-settings.server'
import { audit } from '~/models/organiser.server'
import { organiserCampaign } from '~/use-cases/organiser-campaign.server'
import { LetterSettingsSchema } from '~/utils/letter-settings-schema'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { organiser, campaign } = await organiserCampaign(request, context, params.slug, 'viewer', campaignForLetters)
  const settings = await getLetterSettings(context.db, campaign.id)
  return json({ campaign, settings, canEdit: organiser.role !== 'viewer' }, { headers: { 'Cache-Control': 'no-store' } })
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { organiser, campaign } = await organiserCampaign(request, context, params.slug, 'organiser', campaignForLetters)
  const submission = parseWithZod(await request.formData(), { schema: LetterSettingsSchema })
  if (submission.status !== 'success') return json(submission.reply(), { status: 400 })
  const before = await saveLetterSettings(context.db, campaign.id, submission.value, organiser.id)
  const after = submission.value
  // The audit names which fields changed, and the organisation and the no-signer choice in full.
  const changed = before
    ? (['senderName', 'senderAddress', 'senderEmail', 'signerName', 'signerTitle', 'writeWithoutSigners'] as const).filter((k) => {
        const old = { senderName: before.sender.name, senderAddress: before.sender.address.join('\n'), senderEmail: before.sender.email, signerName: before.sender.signerName, signerTitle: before.sender.signerTitle, writeWithoutSigners: before.writeWithoutSigners }[k]
        return old !== after[k]
      })
    : ['all']
  await audit(context.db, {
    organiserId: organiser.id,
    action: 'letters.sender',
    target: campaign.slug,
    details: { changed, organisation: after.senderName, writeWithoutSigners: after.writeWithoutSigners },
    ipHash: context.clientIpHash,
  })
  return redirect(`/admin/campaigns/${campaign.slug}/letters`)
}

export const meta = () => [{ title: 'Sending organisation' }]

export default function LetterSender() {
  const { campaign, settings, canEdit } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const [form, fields] = useForm({
    lastResult,
    defaultValue: settings
      ? {
          senderName: settings.sender.name,
          senderAddress: settings.sender.address.join('\n'),
          senderEmail: settings.sender.email,
          signerName: settings.sender.signerName,
          signerTitle: settings.sender.signerTitle,
          writeWithoutSigners: settings.writeWithoutSigners ? 'on' : undefined,
        }
      : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LetterSettingsSchema }),
    shouldValidate: 'onBlur',
  })
  const text = (name: 'senderName' | 'senderEmail' | 'signerName' | 'signerTitle', label: string, type: 'text' | 'email' = 'text') => (
    <>
      <label htmlFor={fields[name].id}>{label}</label>
      <input {...getInputProps(fields[name], { type })} aria-describedby={fields[name].errorId} />
      <p className="error" id={fields[name].errorId}>
        {fields[name].errors?.[0]}
      </p>
    </>
  )
  return (
    <>
      <p>
        <Link to={`/admin/campaigns/${campaign.slug}/letters`}>Letters: {campaign.title}</Link>
      </p>
      <h1>Sending organisation</h1>
      <p className="hint">
        The letters speak in the first person plural for this organisation: its name, address and contact email head every letter, and the person named below
        signs it. Missions answer this organisation. Letters already made keep the sender they were made with.
      </p>
      <Form method="post" {...getFormProps(form)}>
        <fieldset disabled={!canEdit}>
          {text('senderName', 'Organisation')}
          <label htmlFor={fields.senderAddress.id}>Postal address (one line per line of the address)</label>
          <textarea {...getTextareaProps(fields.senderAddress)} rows={4} aria-describedby={fields.senderAddress.errorId} />
          <p className="error" id={fields.senderAddress.errorId}>
            {fields.senderAddress.errors?.[0]}
          </p>
          {text('senderEmail', 'Contact email', 'email')}
          {text('signerName', 'Name of the person who signs')}
          {text('signerTitle', 'Their title (as it should appear under the signature)')}
          <p>
            <input {...getInputProps(fields.writeWithoutSigners, { type: 'checkbox' })} />{' '}
            <label htmlFor={fields.writeWithoutSigners.id}>
              Write also to states where no one has signed (their letter says so and carries no annex)
            </label>
          </p>
          <button type="submit">Save</button>
        </fieldset>
      </Form>
    </>
  )
}
