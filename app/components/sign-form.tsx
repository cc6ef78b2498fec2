import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from '@conform-to/react'
import { Form, Link, useNavigation } from '@remix-run/react'
import { useEffect, useMemo, useRef, useState } from 'react'
import { useI18n } from '~/i18n/react'
import type { MessageKey } from '~/i18n/types'
import { normalize, regionFromLanguages, searchCountries, type CountryOption } from '~/utils/country-search'
import { suggestEmail } from '~/utils/email-suggestion'
import { NAME_MAX, validateSignForm } from '~/utils/signature-rules'

/** A field people never see; software that fills every field fills it too. */
export const HONEYPOT_FIELD = 'website'

/** The sign form's id (conform names its fields after it: sign-name, sign-email, ...). */
export const SIGN_FORM_ID = 'sign'
/** The error summary's id: a refused submission without JavaScript opens the page at it. */
export const SIGN_SUMMARY_ID = 'sign-summary'

/** With JavaScript, the campaign page's sign button also puts the cursor in the first field. */
export function focusFirstField(event: { preventDefault(): void }) {
  const first = document.getElementById(`${SIGN_FORM_ID}-name`)
  if (!first) return
  event.preventDefault()
  first.scrollIntoView({ block: 'center' })
  first.focus({ preventScroll: true })
}

interface Attribution {
  referrer: string | null
  utmSource: string | null
  utmMedium: string | null
  utmCampaign: string | null
}

interface Props {
  slug: string
  countries: CountryOption[]
  /** The country the browser's language names (Accept-Language), preselected; never from the address. */
  defaultCountry?: string | null
  attribution: Attribution
  /** The partner whose share link brought the reader (ADR 122), resolved by the server; its consent box (ADR 131). */
  partner?: { ref: string; name: string; privacyUrl?: string | null } | null
  /** The at-risk states, named as one list in the reader's language; null when there are none. */
  atRisk?: string | null
  lastResult?: SubmissionResult<string[]> | null
  /** Kept from a signature whose address was mistyped ("wrong address? change it"); the email stays empty. */
  defaults?: { name: string; country: string } | null
  /** In a partner's frame (ADR 132): posts to the embed route, and its links open a new tab. */
  embedded?: boolean
}

function useHydrated() {
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])
  return hydrated
}

export function SignForm({ slug, countries, defaultCountry, attribution, partner, atRisk, lastResult, defaults, embedded = false }: Props) {
  const { locale, t, tx } = useI18n()
  const base = `${embedded ? '/embed' : ''}/campaigns/${slug}`
  const newTab = embedded ? ({ target: '_blank', rel: 'noopener' } as const) : {}
  const navigation = useNavigation()
  // A likely typo in the address's domain, offered below the field once the reader leaves it (ADR 102).
  const [emailSuggestion, setEmailSuggestion] = useState<string | null>(null)
  const codes = useMemo(() => new Set(countries.map((c) => c.code)), [countries])
  const [form, fields] = useForm({
    id: SIGN_FORM_ID,
    lastResult,
    defaultValue: defaults ? { name: defaults.name, country: defaults.country } : { country: defaultCountry ?? '' },
    constraint: {
      name: { required: true },
      email: { required: true },
      country: { required: true },
    },
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => validateSignForm(formData, (code) => codes.has(code)),
  })
  const submitting = navigation.state === 'submitting' && navigation.formAction?.startsWith(base)
  const msg = (errors?: string[]) => (errors?.length ? t(errors[0] as MessageKey) : null)
  const fieldList = [fields.name, fields.email, fields.country] as const
  const fieldErrors = fieldList.filter((f) => f.errors?.length)
  const showSummary = lastResult?.status === 'error' && (fieldErrors.length > 0 || (form.errors?.length ?? 0) > 0)
  const summary = useRef<HTMLDivElement>(null)
  // With JavaScript the answer comes without a page load: move to the summary and say so in the title,
  // as the server does for a full page (the route's meta).
  useEffect(() => {
    if (!showSummary || !summary.current) return
    // After conform has put the focus on the first invalid field: the summary comes first and links to each.
    const frame = requestAnimationFrame(() => summary.current?.focus())
    const prefix = t('error.titlePrefix', { title: '' })
    if (!document.title.startsWith(prefix)) document.title = t('error.titlePrefix', { title: document.title })
    return () => cancelAnimationFrame(frame)
  }, [lastResult, showSummary, t])

  return (
    // The fragment opens a refused submission's page at the form, whose first line is the error summary, when there is no JavaScript.
    <Form method="post" action={`${base}?lang=${locale}${partner ? `&via=${partner.ref}` : ''}#${SIGN_FORM_ID}`} {...getFormProps(form)}>
      {showSummary ? (
        <div ref={summary} className="error-summary" id={SIGN_SUMMARY_ID} tabIndex={-1} role="alert" aria-labelledby="sign-errors">
          <p id="sign-errors">
            <strong>{form.errors?.length ? t(form.errors[0] as MessageKey) : t('sign.errorSummary')}</strong>
          </p>
          {fieldErrors.length ? (
            <ul>
              {fieldErrors.map((f) => (
                <li key={f.id}>
                  <a href={`#${f.id}`}>{msg(f.errors)}</a>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      <div className="field">
        <label htmlFor={fields.name.id}>{t('sign.name')}</label>
        <p className="hint" id={`${fields.name.id}-hint`}>
          {t('sign.nameHint')}
        </p>
        <input
          {...getInputProps(fields.name, { type: 'text' })}
          autoComplete="name"
          dir="auto"
          maxLength={NAME_MAX}
          aria-describedby={`${fields.name.id}-hint ${fields.name.errorId}`}
        />
        <p className="error" id={fields.name.errorId} aria-live="polite">
          {msg(fields.name.errors)}
        </p>
      </div>

      <div className="field">
        <label htmlFor={fields.email.id}>{t('sign.email')}</label>
        <p className="hint" id={`${fields.email.id}-hint`}>
          {t('sign.emailHint')}
        </p>
        <input
          {...getInputProps(fields.email, { type: 'email' })}
          // Back from "wrong address? change it": the address is the one thing to type again.
          // eslint-disable-next-line jsx-a11y/no-autofocus -- only then, on the field the reader came back to change (ADR 104)
          autoFocus={Boolean(defaults)}
          autoComplete="email"
          dir="ltr"
          aria-describedby={`${fields.email.id}-hint ${fields.email.errorId} ${fields.email.id}-suggestion`}
          onBlur={(e) => setEmailSuggestion(suggestEmail(e.currentTarget.value)?.full ?? null)}
        />
        <p className="hint" id={`${fields.email.id}-suggestion`} aria-live="polite">
          {emailSuggestion
            ? tx('sign.emailSuggest', {
                email: (
                  <button
                    type="button"
                    className="link-button"
                    dir="ltr"
                    onClick={() => {
                      form.update({
                        name: fields.email.name,
                        value: emailSuggestion,
                      })
                      setEmailSuggestion(null)
                    }}
                  >
                    {emailSuggestion}
                  </button>
                ),
              })
            : null}
        </p>
        <p className="error" id={fields.email.errorId} aria-live="polite">
          {msg(fields.email.errors)}
        </p>
      </div>

      <CountryField
        countries={countries}
        selectProps={getSelectProps(fields.country)}
        id={fields.country.id}
        errorId={fields.country.errorId}
        error={msg(fields.country.errors)}
      />

      <label className="check">
        <input {...getInputProps(fields.showName, { type: 'checkbox' })} aria-describedby={atRisk ? 'sign-at-risk' : undefined} />
        <span>{t('sign.showName')}</span>
      </label>
      {atRisk ? (
        // Said to everyone, script or not: what the letter to an at-risk state carries and what it never does.
        <p className="hint risk-notice" id="sign-at-risk">
          {t('sign.atRisk', { countries: atRisk })}
        </p>
      ) : null}
      <label className="check">
        <input {...getInputProps(fields.newsOptIn, { type: 'checkbox' })} />
        <span>{t('sign.newsOptIn')}</span>
      </label>
      {partner ? <PartnerConsent partner={partner} checked={lastResult?.initialValue?.[PARTNER_OPT_IN_FIELD] === 'on'} /> : null}

      <div className="honeypot" aria-hidden="true">
        <label htmlFor="sign-website">{t('sign.honeypot')}</label>
        <input id="sign-website" type="text" name={HONEYPOT_FIELD} tabIndex={-1} autoComplete="off" />
      </div>
      <input type="hidden" name="ref" value={attribution.referrer ?? ''} />
      <input type="hidden" name="utm_source" value={attribution.utmSource ?? ''} />
      <input type="hidden" name="utm_medium" value={attribution.utmMedium ?? ''} />
      <input type="hidden" name="utm_campaign" value={attribution.utmCampaign ?? ''} />
      {partner ? <input type="hidden" name="via" value={partner.ref} /> : null}

      <p className="hint">
        <Link to={`/privacy?lang=${locale}`} {...newTab}>
          {t('sign.privacy')}
        </Link>
      </p>
      <button type="submit" disabled={submitting}>
        {submitting ? t('sign.submitting') : t('sign.submit')}
      </button>
    </Form>
  )
}

/** The sign form's "{partner} may email me" box: its field's name, read by the server (ADR 131). */
export const PARTNER_OPT_IN_FIELD = 'partnerOptIn'

/**
 * Unticked unless the reader ticked it before a refused submission; the partner's name is isolated
 * (bdi) so a Latin name reads right inside Persian or Arabic, and what the partner receives is said
 * beside the box, with the partner's own privacy notice where it has one.
 */
function PartnerConsent({ partner, checked }: { partner: { name: string; privacyUrl?: string | null }; checked: boolean }) {
  const { tx } = useI18n()
  const name = <bdi>{partner.name}</bdi>
  return (
    <>
      <label className="check">
        <input type="checkbox" id="sign-partnerOptIn" name={PARTNER_OPT_IN_FIELD} defaultChecked={checked} aria-describedby="sign-partner-hint" />
        <span>{tx('sign.partnerOptIn', { partner: name })}</span>
      </label>
      <p className="hint" id="sign-partner-hint">
        {tx('sign.partnerOptInHint', { partner: name })}
        {partner.privacyUrl ? (
          <>
            {' '}
            <a href={partner.privacyUrl} rel="noopener noreferrer" dir="auto">
              {tx('sign.partnerPrivacy', { partner: name })}
            </a>
          </>
        ) : null}
      </p>
    </>
  )
}

/**
 * A native select that every browser and screen reader knows; once JavaScript runs, a search box
 * above it narrows the list as you type, in the reader's own alphabet.
 */
function CountryField({
  countries,
  selectProps,
  id,
  errorId,
  error,
}: {
  countries: CountryOption[]
  selectProps: ReturnType<typeof getSelectProps>
  id: string
  errorId: string
  error: string | null
}) {
  const { t } = useI18n()
  const hydrated = useHydrated()
  const [query, setQuery] = useState('')
  const [selected, setSelected] = useState<string>(String(selectProps.defaultValue ?? ''))
  const needle = normalize(query)
  const matches = useMemo(() => searchCountries(countries, query), [countries, query])
  // With JavaScript, the browser's own language setting fills an empty choice (the header may name none).
  useEffect(() => {
    if (selected) return
    const region = regionFromLanguages(navigator.languages?.length ? navigator.languages : [navigator.language], (code) =>
      countries.some((c) => c.code === code),
    )
    if (region) setSelected(region)
    // Once, on hydration: a reader who clears the choice keeps it cleared.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])
  // The chosen country stays in the list even when the search no longer matches it.
  const shown = selected && !matches.some((c) => c.code === selected) ? [...countries.filter((c) => c.code === selected), ...matches] : matches
  return (
    <div className="field">
      <label htmlFor={id}>{t('sign.country')}</label>
      {hydrated ? (
        <>
          <label htmlFor={`${id}-search`} className="visually-hidden">
            {t('sign.countrySearch')}
          </label>
          <input
            id={`${id}-search`}
            type="search"
            placeholder={t('sign.countrySearch')}
            value={query}
            aria-controls={id}
            autoComplete="off"
            onChange={(e) => {
              setQuery(e.target.value)
              // Typing narrows the list and picks the best match, so a keyboard user can type and move on.
              // The best match is first (a whole name or alias before a name that only starts so).
              const found = searchCountries(countries, e.target.value)
              if (normalize(e.target.value) && found.length) setSelected(found[0].code)
            }}
          />
          <p className="hint" aria-live="polite">
            {needle && matches.length === 0 ? t('sign.countryNoMatch') : ''}
          </p>
        </>
      ) : null}
      <select {...selectProps} defaultValue={undefined} value={selected} onChange={(e) => setSelected(e.target.value)} aria-describedby={errorId}>
        <option value="">{t('sign.countryPick')}</option>
        {shown.map((c) => (
          <option key={c.code} value={c.code}>
            {c.name}
          </option>
        ))}
      </select>
      <p className="error" id={errorId} aria-live="polite">
        {error}
      </p>
    </div>
  )
}

export { normalize }
