import { isRouteErrorResponse, Link, useRouteError } from '@remix-run/react'
import { useI18n } from '~/i18n/react'

/**
 * The error page, in the reader's language. Routes with an action export it as their own
 * `ErrorBoundary`: when an action fails (a full disk, a lost database), Remix runs the loaders only
 * above the boundary, so a boundary on the route itself keeps the root's messages, where the root's
 * own boundary would render raw message keys.
 */
export function ErrorBoundary() {
  const error = useRouteError()
  const { t, locale } = useI18n()
  const status = isRouteErrorResponse(error) ? error.status : 500
  // A refusal is not a failure: "something went wrong, sign again" would mislead (issue 15).
  const kind = status === 404 ? 'notFound' : status === 403 ? 'forbidden' : 'serverError'
  return (
    <div className="panel">
      <h1>{t(`${kind}.title`)}</h1>
      <p>{t(`${kind}.body`)}</p>
      <p>
        <Link to={`/?lang=${locale}`}>{t('nav.campaigns')}</Link>
      </p>
    </div>
  )
}
