import type { Role } from '~/db.server'

/** The roles, least to most: shared by pages (the browser needs the list) and the server. */
export const ROLES: readonly Role[] = ['viewer', 'organiser', 'admin']
