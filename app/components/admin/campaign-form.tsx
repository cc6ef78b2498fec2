import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { Form, useNavigation } from '@remix-run/react'
import { LOCALE_NAMES, LOCALES } from '~/i18n/locales'
import { CAMPAIGN_STATUSES, CampaignSchema } from '~/utils/campaign-schema'

export interface CampaignFormDefaults {
  slug: string
  status: string
  defaultLocale: string
  goal: string
  countryGoals: string
  endsOn: string
  victory: boolean
  copy: Record<string, { title: string; summary: string; story: string; ask: string; victory?: string; milestones?: string }>
}

const STATUS_HELP: Record<(typeof CAMPAIGN_STATUSES)[number], string> = {
  draft: 'draft: only organisers see it, through the preview',
  open: 'open: public, and takes signatures',
  closed: 'closed: public, says it is closed, takes no signature',
  archived: 'archived: off the list of campaigns; its page stays, closed',
}

function FieldError({ id, errors }: { id: string; errors?: string[] }) {
  return (
    <p className="error" id={id}>
      {errors?.[0]}
    </p>
  )
}

/** Create and edit share this form; the server answers errors with the values as sent. */
export function CampaignForm({ defaults, lastResult, submitLabel }: { defaults: CampaignFormDefaults; lastResult?: SubmissionResult<string[]> | null; submitLabel: string }) {
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'campaign',
    lastResult,
    defaultValue: defaults,
    constraint: getZodConstraint(CampaignSchema),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: CampaignSchema }),
  })
  const copy = fields.copy.getFieldset()
  const allErrors = Object.entries(form.allErrors).filter(([, e]) => e.length)
  return (
    <Form method="post" {...getFormProps(form)} className="campaign-form">
      {allErrors.length && lastResult?.status === 'error' ? (
        <div className="error-summary" role="alert" tabIndex={-1}>
          <p>
            <strong>The campaign was not saved. Correct these and save again:</strong>
          </p>
          <ul>
            {allErrors.map(([name, errors]) => (
              <li key={name}>{errors[0]}</li>
            ))}
          </ul>
        </div>
      ) : null}

      <fieldset>
        <legend>Settings</legend>
        <div className="field">
          <label htmlFor={fields.slug.id}>Address (slug)</label>
          <p className="hint" id={`${fields.slug.id}-hint`}>
            The page will be at /campaigns/<em>slug</em>. Changing it later breaks links already shared.
          </p>
          <input {...getInputProps(fields.slug, { type: 'text' })} aria-describedby={`${fields.slug.id}-hint ${fields.slug.errorId}`} />
          <FieldError id={fields.slug.errorId} errors={fields.slug.errors} />
        </div>
        <div className="field">
          <label htmlFor={fields.status.id}>Status</label>
          <select {...getSelectProps(fields.status)} aria-describedby={fields.status.errorId}>
            {CAMPAIGN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_HELP[s]}
              </option>
            ))}
          </select>
          <FieldError id={fields.status.errorId} errors={fields.status.errors} />
        </div>
        <div className="field">
          <label htmlFor={fields.goal.id}>Overall goal (verified signatures)</label>
          <input {...getInputProps(fields.goal, { type: 'number' })} inputMode="numeric" aria-describedby={fields.goal.errorId} />
          <FieldError id={fields.goal.errorId} errors={fields.goal.errors} />
        </div>
        <div className="field">
          <label htmlFor={fields.countryGoals.id}>Goals per country (optional)</label>
          <p className="hint" id={`${fields.countryGoals.id}-hint`}>
            One per line: the two-letter country code and the goal, like “SE 1000”.
          </p>
          <textarea {...getTextareaProps(fields.countryGoals)} rows={4} aria-describedby={`${fields.countryGoals.id}-hint ${fields.countryGoals.errorId}`} />
          <FieldError id={fields.countryGoals.errorId} errors={fields.countryGoals.errors} />
        </div>
        <div className="field">
          <label htmlFor={fields.endsOn.id}>End date (optional)</label>
          <p className="hint" id={`${fields.endsOn.id}-hint`}>
            The last day signatures are taken (until midnight UTC); after it the campaign closes by itself. Empty for no end date.
          </p>
          <input {...getInputProps(fields.endsOn, { type: 'date' })} aria-describedby={`${fields.endsOn.id}-hint ${fields.endsOn.errorId}`} />
          <FieldError id={fields.endsOn.errorId} errors={fields.endsOn.errors} />
        </div>
        <div className="field">
          <input {...getInputProps(fields.victory, { type: 'checkbox' })} aria-describedby={`${fields.victory.id}-hint`} />{' '}
          <label htmlFor={fields.victory.id}>We won: declare a victory</label>
          <p className="hint" id={`${fields.victory.id}-hint`}>
            The page then says what was won (the victory text in each language below) and takes no more signatures.
          </p>
        </div>
        <div className="field">
          <label htmlFor={fields.defaultLocale.id}>Default language</label>
          <p className="hint" id={`${fields.defaultLocale.id}-hint`}>
            Readers whose language has no copy see this one.
          </p>
          <select {...getSelectProps(fields.defaultLocale)} aria-describedby={`${fields.defaultLocale.id}-hint ${fields.defaultLocale.errorId}`}>
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {LOCALE_NAMES[l]}
              </option>
            ))}
          </select>
          <FieldError id={fields.defaultLocale.errorId} errors={fields.defaultLocale.errors} />
        </div>
      </fieldset>

      {LOCALES.map((locale) => {
        const c = copy[locale].getFieldset()
        const dir = locale === 'fa' ? 'rtl' : 'ltr'
        const text = (f: typeof c.title, label: string, hint?: string, rows?: number) => (
          <div className="field">
            <label htmlFor={f.id}>{label}</label>
            {hint ? (
              <p className="hint" id={`${f.id}-hint`}>
                {hint}
              </p>
            ) : null}
            {rows ? (
              <textarea {...getTextareaProps(f)} rows={rows} lang={locale} dir={dir} aria-describedby={`${hint ? `${f.id}-hint ` : ''}${f.errorId}`} />
            ) : (
              <input {...getInputProps(f, { type: 'text' })} lang={locale} dir={dir} aria-describedby={f.errorId} />
            )}
            <FieldError id={f.errorId} errors={f.errors} />
          </div>
        )
        return (
          <fieldset key={locale}>
            <legend>Copy in {LOCALE_NAMES[locale]}</legend>
            <p className="hint">Leave every field empty for no copy in this language.</p>
            {text(c.title, 'Title')}
            {text(c.summary, 'Summary', 'One or two sentences, shown in lists and when the page is shared.', 3)}
            {text(c.story, 'Story', 'Markdown: **bold**, *italic*, [links](https://…), lists, headings. HTML is not allowed.', 16)}
            {text(c.ask, 'The ask', 'What the campaign asks for, in Markdown.', 6)}
            {text(c.milestones, 'Milestones', 'One per line: a number of signatures, a colon and what happens then, like “10000: we deliver the letters”. Shown with the progress.', 3)}
            {text(c.victory, 'Victory text', 'What was won, in a sentence or two: shown only once a victory is declared.')}
          </fieldset>
        )
      })}

      <button type="submit" disabled={navigation.state === 'submitting'}>
        {submitLabel}
      </button>
    </Form>
  )
}
