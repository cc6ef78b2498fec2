import { apiError } from '~/use-cases/partner-api.server'

/** Anything else under the API answers in JSON, not with the site's HTML 404 page. */
export const loader = () => apiError(404, 'No such resource.')
export const action = () => apiError(405, 'The partner API is read-only.', { Allow: 'GET' })
