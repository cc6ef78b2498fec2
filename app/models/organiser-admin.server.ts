import type { DB, Role } from '~/db.server'
import { enqueueEmail } from '~/email.server'
import { createOrganiser, findOrganiserByEmail, issuePasswordToken } from '~/models/organiser.server'
import type { Vault } from '~/infra/vault.server'

export type OrganiserChange = { ok: true } | { ok: false; reason: 'not-found' | 'last-admin' | 'self' | 'exists' | 'partner' }

async function sendSetPasswordLink(trx: DB, vault: Vault, appUrl: string, organiserId: string, email: string, now: number) {
  const token = await issuePasswordToken(trx, organiserId, 'set-password', now)
  await enqueueEmail(trx, vault, {
    template: 'password-reset',
    locale: 'en',
    to: email,
    props: { url: `${appUrl}/admin/password/${token}`, purpose: 'set-password' },
  }, now)
}

/** A new organiser account with no password, and an email with a one-time link to set one, in one transaction. */
export async function inviteOrganiser(
  db: DB,
  vault: Vault,
  appUrl: string,
  input: { email: string; name: string; role: Role; partnerId?: string | null },
  now = Date.now(),
): Promise<{ ok: true; id: string } | { ok: false; reason: 'exists' }> {
  if (await findOrganiserByEmail(db, vault, input.email)) return { ok: false, reason: 'exists' }
  return db.transaction().execute(async (trx) => {
    const organiser = await createOrganiser(trx, vault, input, now)
    await sendSetPasswordLink(trx, vault, appUrl, organiser.id, input.email.trim(), now)
    return { ok: true as const, id: organiser.id }
  })
}

/** A fresh set-password link for someone who has not chosen a password yet (the first one expired or got lost). */
export async function reinviteOrganiser(db: DB, vault: Vault, appUrl: string, id: string, now = Date.now()): Promise<OrganiserChange> {
  const organiser = await db.selectFrom('organisers').selectAll().where('id', '=', id).executeTakeFirst()
  if (!organiser || organiser.disabled_at !== null) return { ok: false, reason: 'not-found' }
  if (organiser.password_hash !== null) return { ok: false, reason: 'exists' }
  await db.transaction().execute((trx) => sendSetPasswordLink(trx, vault, appUrl, id, vault.decrypt(organiser.email_enc), now))
  return { ok: true }
}

async function otherActiveAdmins(db: DB, exceptId: string) {
  const row = await db
    .selectFrom('organisers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .where('id', '!=', exceptId)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/**
 * Changes a role. An admin cannot change their own role, and the last active admin cannot be
 * demoted: someone must always be able to manage organisers.
 */
export async function setOrganiserRole(db: DB, actorId: string, id: string, role: Role, now = Date.now()): Promise<OrganiserChange & { from?: Role }> {
  if (actorId === id) return { ok: false, reason: 'self' }
  return db.transaction().execute(async (trx) => {
    const organiser = await trx.selectFrom('organisers').select(['role', 'disabled_at', 'partner_id']).where('id', '=', id).executeTakeFirst()
    if (!organiser) return { ok: false as const, reason: 'not-found' as const }
    // A partner's account is limited by its scope, not its role (ADR 131): a role would only mislead.
    if (organiser.partner_id !== null) return { ok: false as const, reason: 'partner' as const }
    if (organiser.role === 'admin' && role !== 'admin' && organiser.disabled_at === null && (await otherActiveAdmins(trx, id)) === 0) {
      return { ok: false as const, reason: 'last-admin' as const }
    }
    await trx.updateTable('organisers').set({ role, updated_at: now }).where('id', '=', id).execute()
    return { ok: true as const, from: organiser.role }
  })
}

/** Disabling ends every session of that organiser at once; enabling lets them sign in again. */
export async function setOrganiserDisabled(db: DB, actorId: string, id: string, disabled: boolean, now = Date.now()): Promise<OrganiserChange> {
  if (actorId === id) return { ok: false, reason: 'self' }
  return db.transaction().execute(async (trx) => {
    const organiser = await trx.selectFrom('organisers').select(['role', 'disabled_at']).where('id', '=', id).executeTakeFirst()
    if (!organiser) return { ok: false as const, reason: 'not-found' as const }
    if (disabled && organiser.role === 'admin' && (await otherActiveAdmins(trx, id)) === 0) return { ok: false as const, reason: 'last-admin' as const }
    await trx
      .updateTable('organisers')
      .set({ disabled_at: disabled ? (organiser.disabled_at ?? now) : null, updated_at: now })
      .where('id', '=', id)
      .execute()
    if (disabled) await trx.deleteFrom('sessions').where('organiser_id', '=', id).execute()
    return { ok: true as const }
  })
}
