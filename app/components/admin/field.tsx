import type { FieldMetadata } from '@conform-to/react'
import type { ReactNode } from 'react'

/**
 * One labelled control of an organiser form: label, optional hint, the control, and its error, tied
 * together with ids so screen readers read the hint and the error with the control.
 */
export function Field({
  label,
  meta,
  hint,
  children,
}: {
  label: string
  meta: Pick<FieldMetadata<unknown>, 'id' | 'errorId' | 'errors'>
  hint?: ReactNode
  /** Renders the control, given the value for its aria-describedby. */
  children: (describedBy: string) => ReactNode
}) {
  const hintId = `${meta.id}-hint`
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {children(hint ? `${hintId} ${meta.errorId}` : meta.errorId)}
      <p className="error" id={meta.errorId}>
        {meta.errors?.[0]}
      </p>
    </div>
  )
}

/** The form-level error (e.g. a refused sign-in), announced when it appears. */
export function FormError({ errors, id }: { errors?: string[]; id?: string }) {
  return errors?.length ? (
    <p className="error" role="alert" id={id}>
      {errors[0]}
    </p>
  ) : null
}
