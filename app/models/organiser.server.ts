import argon2 from 'argon2'
import { randomUUID } from 'node:crypto'
import type { DB, Organiser, OrganiserTokenPurpose, Role } from '~/db.server'
import { hashToken, newToken, type Vault } from '~/infra/vault.server'

const MINUTE = 60_000
export const SESSION_TTL = 14 * 24 * 60 * MINUTE
export const PASSWORD_TOKEN_TTL = 24 * 60 * MINUTE
/** Failures an account takes before each further attempt must wait (ADR 088). */
const THROTTLE_AFTER_FAILURES = 5
const MAX_DELAY = 15 * MINUTE
/** A network an organiser signed in from within this long is theirs: the account's wait does not apply. */
const KNOWN_NETWORK_WINDOW = 90 * 24 * 60 * MINUTE
/** An idle session ends after this long, whatever its age (ADR 088). */
export const SESSION_IDLE = 12 * 60 * MINUTE
/** Reset links one account can be sent per hour, whoever asks. */
export const RESETS_PER_HOUR = 3

/** The wait after the n-th failure in a row: none for the first few, then 2 s, 4 s, 8 s... up to 15 minutes. */
export function failureDelayMs(failures: number): number {
  if (failures < THROTTLE_AFTER_FAILURES) return 0
  return Math.min(MAX_DELAY, 1000 * 2 ** (failures - THROTTLE_AFTER_FAILURES + 1))
}

export { ROLES } from '~/utils/roles'
const RANK: Record<Role, number> = { viewer: 0, organiser: 1, admin: 2 }
export const hasRole = (role: Role, atLeast: Role) => RANK[role] >= RANK[atLeast]

const normalizeEmail = (email: string) => email.trim().toLowerCase()

// Verifying against this when the address is unknown keeps both answers equally slow.
let dummyHash: Promise<string> | null = null
const dummy = () => (dummyHash ??= argon2.hash(newToken(), { type: argon2.argon2id }))

export function hashPassword(password: string) {
  return argon2.hash(password, { type: argon2.argon2id })
}

/** An organiser's name in clear: encrypted since ADR 089, in the old column for rows not yet moved. */
export function organiserName(vault: Vault, o: { name: string | null; name_enc: string | null }): string {
  return o.name_enc ? vault.decrypt(o.name_enc) : (o.name ?? '')
}

export async function findOrganiserByEmail(db: DB, vault: Vault, email: string) {
  return db.selectFrom('organisers').selectAll().where('email_hash', '=', vault.emailHash(normalizeEmail(email))).executeTakeFirst()
}

export async function createOrganiser(
  db: DB,
  vault: Vault,
  input: { email: string; role: Role; name?: string; partnerId?: string | null },
  now = Date.now(),
): Promise<Organiser> {
  const organiser: Organiser = {
    id: randomUUID(),
    email_hash: vault.emailHash(normalizeEmail(input.email)),
    email_enc: vault.encrypt(input.email.trim()),
    // Names sit encrypted like emails (ADR 089); the old column stays empty.
    name: '',
    name_enc: input.name?.trim() ? vault.encrypt(input.name.trim()) : null,
    role: input.role,
    password_hash: null,
    failed_logins: 0,
    locked_until: null,
    disabled_at: null,
    created_at: now,
    updated_at: now,
    webauthn_user_id: null,
    // A partner's organiser holds the least role too: the scope, not the role, says what it may read (ADR 131).
    partner_id: input.partnerId ?? null,
  }
  await db.insertInto('organisers').values(organiser).execute()
  return organiser
}

/**
 * A one-time link token to set (first time) or reset a password. A new one supersedes every earlier
 * unused link of that organiser: only the newest link works.
 */
export async function issuePasswordToken(db: DB, organiserId: string, purpose: OrganiserTokenPurpose, now = Date.now()) {
  const token = newToken()
  await db.updateTable('organiser_tokens').set({ used_at: now }).where('organiser_id', '=', organiserId).where('used_at', 'is', null).execute()
  await db
    .insertInto('organiser_tokens')
    .values({ token_hash: hashToken(token), organiser_id: organiserId, purpose, created_at: now, expires_at: now + PASSWORD_TOKEN_TTL, used_at: null })
    .execute()
  return token
}

/** Whether this account may be sent another reset link now (at most RESETS_PER_HOUR an hour). */
export async function mayResetAgain(db: DB, organiserId: string, now = Date.now()): Promise<boolean> {
  const row = await db
    .selectFrom('organiser_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organiser_id', '=', organiserId)
    .where('purpose', '=', 'reset-password')
    .where('created_at', '>', now - 60 * MINUTE)
    .executeTakeFirstOrThrow()
  return Number(row.n) < RESETS_PER_HOUR
}

export async function checkPasswordToken(db: DB, token: string, now = Date.now()) {
  const row = await db
    .selectFrom('organiser_tokens')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst()
  if (!row) return { state: 'invalid' as const }
  if (row.used_at !== null) return { state: 'used' as const }
  if (row.expires_at <= now) return { state: 'expired' as const }
  return { state: 'valid' as const, organiserId: row.organiser_id, purpose: row.purpose }
}

/** Spends the token, sets the password and ends every session of that organiser. */
export async function setPasswordWithToken(db: DB, token: string, password: string, now = Date.now()) {
  const checked = await checkPasswordToken(db, token, now)
  if (checked.state !== 'valid') return checked
  const passwordHash = await hashPassword(password)
  await db.transaction().execute(async (trx) => {
    const spent = await trx
      .updateTable('organiser_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', hashToken(token))
      .where('used_at', 'is', null)
      .executeTakeFirst()
    if (Number(spent.numUpdatedRows) !== 1) throw new Error('token already used')
    await trx
      .updateTable('organisers')
      .set({ password_hash: passwordHash, failed_logins: 0, locked_until: null, updated_at: now })
      .where('id', '=', checked.organiserId)
      .execute()
    // Every other link of this organiser dies with the one just used.
    await trx.updateTable('organiser_tokens').set({ used_at: now }).where('organiser_id', '=', checked.organiserId).where('used_at', 'is', null).execute()
    await trx.deleteFrom('sessions').where('organiser_id', '=', checked.organiserId).execute()
  })
  return { state: 'done' as const, organiserId: checked.organiserId }
}

export async function setPassword(db: DB, organiserId: string, password: string, now = Date.now()) {
  await db
    .updateTable('organisers')
    .set({ password_hash: await hashPassword(password), failed_logins: 0, locked_until: null, updated_at: now })
    .where('id', '=', organiserId)
    .execute()
}

/**
 * Checks an email and password. Unknown address, wrong password, an account still waiting after
 * failures, or a disabled one all give the same null, after the same argon2 work. After five failures
 * in a row each further attempt must wait, twice as long each time up to 15 minutes (`locked_until`
 * holds when the next may come), except from a network the organiser signed in from lately: someone
 * who knows the address can slow strangers' guesses, never lock the organiser out (ADR 088).
 */
export async function authenticate(
  db: DB,
  vault: Vault,
  email: string,
  password: string,
  from: { networkHash: string | null } = { networkHash: null },
  now = Date.now(),
): Promise<Organiser | null> {
  const organiser = await findOrganiserByEmail(db, vault, email)
  if (!organiser?.password_hash) {
    await argon2.verify(await dummy(), password).catch(() => false)
    return null
  }
  const waiting = organiser.locked_until !== null && organiser.locked_until > now && !(await isKnownNetwork(db, organiser.id, from.networkHash, now))
  if (waiting) {
    // Not even checked, so a guess made while waiting teaches nothing; the same work as a check.
    await argon2.verify(await dummy(), password).catch(() => false)
    return null
  }
  const ok = await argon2.verify(organiser.password_hash, password).catch(() => false)
  if (ok && organiser.disabled_at === null) {
    if (organiser.failed_logins > 0) {
      await db.updateTable('organisers').set({ failed_logins: 0, locked_until: null }).where('id', '=', organiser.id).execute()
    }
    return organiser
  }
  if (!ok) {
    const failures = organiser.failed_logins + 1
    const delay = failureDelayMs(failures)
    await db
      .updateTable('organisers')
      .set({ failed_logins: failures, locked_until: delay > 0 ? now + delay : null })
      .where('id', '=', organiser.id)
      .execute()
  }
  return null
}

/** Whether the organiser signed in from this network (keyed hash) within the last 90 days. */
async function isKnownNetwork(db: DB, organiserId: string, networkHash: string | null, now: number): Promise<boolean> {
  if (!networkHash) return false
  const row = await db
    .selectFrom('audit_log')
    .select('id')
    .where('organiser_id', '=', organiserId)
    .where('action', '=', 'sign-in')
    .where('ip_hash', '=', networkHash)
    .where('created_at', '>', now - KNOWN_NETWORK_WINDOW)
    .limit(1)
    .executeTakeFirst()
  return Boolean(row)
}

export async function createSession(db: DB, organiserId: string, meta: { ipHash: string | null; userAgent: string | null }, now = Date.now()) {
  const id = newToken()
  await db
    .insertInto('sessions')
    .values({
      id_hash: hashToken(id),
      organiser_id: organiserId,
      created_at: now,
      expires_at: now + SESSION_TTL,
      last_seen_at: now,
      ip_hash: meta.ipHash,
      user_agent: meta.userAgent?.slice(0, 200) ?? null,
    })
    .execute()
  return id
}

export async function organiserForSession(db: DB, sessionId: string, now = Date.now()): Promise<Organiser | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('organisers', 'organisers.id', 'sessions.organiser_id')
    .selectAll('organisers')
    .select(['sessions.expires_at as session_expires_at', 'sessions.last_seen_at as session_last_seen_at'])
    .where('sessions.id_hash', '=', hashToken(sessionId))
    .executeTakeFirst()
  if (!row || row.session_expires_at <= now || row.disabled_at !== null) return null
  // Left alone for SESSION_IDLE, a session ends however young it is.
  if (now - row.session_last_seen_at > SESSION_IDLE) {
    await db.deleteFrom('sessions').where('id_hash', '=', hashToken(sessionId)).execute()
    return null
  }
  // Touch at most once a minute: a busy dashboard should not write on every request.
  if (now - row.session_last_seen_at > MINUTE) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', hashToken(sessionId)).execute()
  }
  const { session_expires_at: _e, session_last_seen_at: _l, ...organiser } = row
  return organiser
}

export async function endSession(db: DB, sessionId: string) {
  await db.deleteFrom('sessions').where('id_hash', '=', hashToken(sessionId)).execute()
}

export async function endAllSessions(db: DB, organiserId: string) {
  await db.deleteFrom('sessions').where('organiser_id', '=', organiserId).execute()
}

export async function listOrganisers(db: DB, vault: Vault) {
  const rows = await db.selectFrom('organisers').selectAll().orderBy('created_at').execute()
  return rows.map((r) => ({
    id: r.id,
    email: vault.decrypt(r.email_enc),
    name: organiserName(vault, r),
    role: r.role,
    partnerId: r.partner_id,
    active: r.password_hash !== null && r.disabled_at === null,
    disabled: r.disabled_at !== null,
    createdAt: r.created_at,
  }))
}

/** One line in the audit log: who did what to what, and when. */
export async function audit(
  db: DB,
  entry: { organiserId: string | null; action: string; target?: string | null; details?: Record<string, unknown>; ipHash?: string | null },
  now = Date.now(),
) {
  await db
    .insertInto('audit_log')
    .values({
      id: randomUUID(),
      organiser_id: entry.organiserId,
      action: entry.action,
      target: entry.target ?? null,
      details_json: JSON.stringify(entry.details ?? {}),
      ip_hash: entry.ipHash ?? null,
      created_at: now,
    })
    .execute()
}
