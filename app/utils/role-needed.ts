import type { Role } from '~/db.server'

/** The body of the 403 thrown when an organiser's role is below what a page or action needs. */
export interface RoleNeeded {
  reason: 'role'
  needed: Role
  have: Role
  /** The account is one partner's (ADR 131): only that partner's pages are open to it. */
  partner?: true
}

export function isRoleNeeded(data: unknown): data is RoleNeeded {
  return typeof data === 'object' && data !== null && (data as { reason?: unknown }).reason === 'role'
}

/** What each role may do, in the words of the organisers' page that explains a refusal. */
export const ROLE_CAN: Record<Role, string> = {
  viewer: 'see the counts and statuses of campaigns, never a name or a letter',
  organiser: 'also edit campaigns, moderate signatures, export them, write news to signers and send letters',
  admin: 'also manage organisers and read the audit log',
}
