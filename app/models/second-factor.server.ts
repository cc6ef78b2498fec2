import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server'
import { Secret, TOTP } from 'otpauth'
import type { AuthChallengePurpose, DB, Organiser } from '~/db.server'
import { secureRandomBytes } from '~/infra/random.server'
import { hashToken, newToken, type Vault } from '~/infra/vault.server'

const MINUTE = 60_000
/** How long a password-checked sign-in waits for its second factor, and a WebAuthn ceremony for its answer. */
export const CHALLENGE_TTL = 5 * MINUTE
/** Wrong codes one pending sign-in takes before it is dropped and the password must be given again. */
export const CODE_ATTEMPTS = 5
export const RECOVERY_CODE_COUNT = 10
const PERIOD = 30
const ISSUER = 'Justice campaign organisers'

/** The relying party a passkey belongs to: APP_URL's host and origin, never the request's Host. */
export function relyingParty(appUrl: string) {
  const url = new URL(appUrl)
  return { id: url.hostname, origin: url.origin, name: ISSUER }
}

// ---------- which factors an organiser has ----------

export interface Factors {
  totp: boolean
  passkeys: { id: string; createdAt: number; lastUsedAt: number | null }[]
  recoveryCodesLeft: number
}

export async function factorsOf(db: DB, organiserId: string): Promise<Factors> {
  const [totp, passkeys, codes] = await Promise.all([
    db.selectFrom('organiser_totp').select('confirmed_at').where('organiser_id', '=', organiserId).executeTakeFirst(),
    db.selectFrom('organiser_passkeys').select(['credential_id', 'created_at', 'last_used_at']).where('organiser_id', '=', organiserId).orderBy('created_at').execute(),
    db
      .selectFrom('organiser_recovery_codes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('organiser_id', '=', organiserId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow(),
  ])
  return {
    totp: Boolean(totp?.confirmed_at),
    passkeys: passkeys.map((p) => ({ id: p.credential_id, createdAt: p.created_at, lastUsedAt: p.last_used_at })),
    recoveryCodesLeft: Number(codes.n),
  }
}

/** Whether the organiser has a confirmed authenticator app or a passkey (recovery codes alone are not a factor). */
export async function hasSecondFactor(db: DB, organiserId: string): Promise<boolean> {
  const f = await factorsOf(db, organiserId)
  return f.totp || f.passkeys.length > 0
}

// ---------- challenges: pending sign-ins and WebAuthn ceremonies ----------

/** A fresh random value for a flow cookie: challenges are bound to its hash. */
export const newFlowToken = newToken

async function putChallenge(db: DB, challenge: string, purpose: AuthChallengePurpose, binding: string, organiserId: string | null, now: number) {
  // Old and finished ceremonies of this binding go: only the newest challenge of a purpose is live.
  await db.deleteFrom('auth_challenges').where((eb) => eb.or([eb('expires_at', '<=', now), eb.and([eb('binding_hash', '=', hashToken(binding)), eb('purpose', '=', purpose)])])).execute()
  await db
    .insertInto('auth_challenges')
    .values({ challenge_hash: hashToken(challenge), purpose, binding_hash: hashToken(binding), organiser_id: organiserId, attempts: 0, created_at: now, expires_at: now + CHALLENGE_TTL })
    .execute()
}

/** Spends a challenge: true only once, only for its binding and purpose, only before it expires. */
async function takeChallenge(db: DB, challenge: string, purpose: AuthChallengePurpose, binding: string, now: number) {
  const row = await db
    .selectFrom('auth_challenges')
    .select('organiser_id')
    .where('challenge_hash', '=', hashToken(challenge))
    .where('purpose', '=', purpose)
    .where('binding_hash', '=', hashToken(binding))
    .where('expires_at', '>', now)
    .executeTakeFirst()
  if (!row) return null
  const gone = await db.deleteFrom('auth_challenges').where('challenge_hash', '=', hashToken(challenge)).executeTakeFirst()
  return Number(gone.numDeletedRows) === 1 ? { organiserId: row.organiser_id } : null
}

/** After the password: the sign-in waits, bound to the flow cookie, for a code or a passkey. */
export async function startPendingSignIn(db: DB, organiserId: string, flow: string, now = Date.now()) {
  await putChallenge(db, flow, 'second-factor', flow, organiserId, now)
}

export async function pendingSignIn(db: DB, flow: string, now = Date.now()): Promise<string | null> {
  const row = await db
    .selectFrom('auth_challenges')
    .select('organiser_id')
    .where('challenge_hash', '=', hashToken(flow))
    .where('purpose', '=', 'second-factor')
    .where('expires_at', '>', now)
    .executeTakeFirst()
  return row?.organiser_id ?? null
}

export type CodeResult = { ok: true; organiserId: string; usedRecoveryCode: boolean; recoveryCodesLeft: number } | { ok: false; reason: 'no-pending' | 'wrong' }

/**
 * Checks a code from the authenticator app, or a recovery code, for the pending sign-in of this flow.
 * A wrong code counts; after CODE_ATTEMPTS the pending sign-in is dropped. A right one ends it.
 */
export async function completeWithCode(db: DB, vault: Vault, flow: string, code: string, now = Date.now()): Promise<CodeResult> {
  const organiserId = await pendingSignIn(db, flow, now)
  if (!organiserId) return { ok: false, reason: 'no-pending' }
  const cleaned = code.replace(/[\s-]/g, '')
  let usedRecoveryCode = false
  let ok = false
  if (/^\d{6}$/.test(cleaned)) ok = await useTotpCode(db, vault, organiserId, cleaned, now)
  else if (cleaned.length >= 16) ok = usedRecoveryCode = await useRecoveryCode(db, organiserId, cleaned, now)
  if (!ok) {
    await db.updateTable('auth_challenges').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('challenge_hash', '=', hashToken(flow)).execute()
    await db.deleteFrom('auth_challenges').where('challenge_hash', '=', hashToken(flow)).where('attempts', '>=', CODE_ATTEMPTS).execute()
    return { ok: false, reason: 'wrong' }
  }
  const taken = await takeChallenge(db, flow, 'second-factor', flow, now)
  if (!taken) return { ok: false, reason: 'no-pending' }
  const left = (await factorsOf(db, organiserId)).recoveryCodesLeft
  return { ok: true, organiserId, usedRecoveryCode, recoveryCodesLeft: left }
}

// ---------- TOTP ----------

const totpFor = (secretBase32: string, label: string) =>
  new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(secretBase32) })

/**
 * Starts enrolling an authenticator app: a new 160-bit secret, sealed at rest, not yet in force.
 * Returns the otpauth:// URI and the secret for the organiser to copy. Replaces an unconfirmed one;
 * a confirmed app must be removed first.
 */
export async function startTotpEnrolment(db: DB, vault: Vault, organiser: Pick<Organiser, 'id'>, label: string, now = Date.now()) {
  const existing = await db.selectFrom('organiser_totp').select('confirmed_at').where('organiser_id', '=', organiser.id).executeTakeFirst()
  if (existing?.confirmed_at) return null
  const secret = new Secret({ buffer: new Uint8Array(secureRandomBytes(20)).buffer })
  await db.deleteFrom('organiser_totp').where('organiser_id', '=', organiser.id).execute()
  await db.insertInto('organiser_totp').values({ organiser_id: organiser.id, secret_enc: vault.encrypt(secret.base32), confirmed_at: null, last_step: null, created_at: now }).execute()
  return { uri: totpFor(secret.base32, label).toString(), secret: secret.base32 }
}

/** The enrolment waiting for its first code, if any (to show the QR code again). */
export async function pendingTotpEnrolment(db: DB, vault: Vault, organiserId: string, label: string) {
  const row = await db.selectFrom('organiser_totp').select(['secret_enc', 'confirmed_at']).where('organiser_id', '=', organiserId).executeTakeFirst()
  if (!row || row.confirmed_at) return null
  const secret = vault.decrypt(row.secret_enc)
  return { uri: totpFor(secret, label).toString(), secret }
}

/** A first code from the app puts it in force. */
export async function confirmTotp(db: DB, vault: Vault, organiserId: string, code: string, now = Date.now()): Promise<boolean> {
  const row = await db.selectFrom('organiser_totp').select(['confirmed_at']).where('organiser_id', '=', organiserId).executeTakeFirst()
  if (!row || row.confirmed_at) return false
  if (!(await useTotpCode(db, vault, organiserId, code.replace(/\s/g, ''), now, { confirming: true }))) return false
  await db.updateTable('organiser_totp').set({ confirmed_at: now }).where('organiser_id', '=', organiserId).execute()
  return true
}

/**
 * A code is accepted for the current step or one either side (clocks drift), and only for a step
 * after the last one accepted: the same code, or an older one, is never accepted twice.
 */
async function useTotpCode(db: DB, vault: Vault, organiserId: string, code: string, now: number, opts: { confirming?: boolean } = {}): Promise<boolean> {
  if (!/^\d{6}$/.test(code)) return false
  const row = await db.selectFrom('organiser_totp').selectAll().where('organiser_id', '=', organiserId).executeTakeFirst()
  if (!row || (!row.confirmed_at && !opts.confirming)) return false
  const delta = totpFor(vault.decrypt(row.secret_enc), 'x').validate({ token: code, timestamp: now, window: 1 })
  if (delta === null) return false
  const step = Math.floor(now / 1000 / PERIOD) + delta
  // Conditional on the step it read, so two requests with one code cannot both win.
  const spent = await db
    .updateTable('organiser_totp')
    .set({ last_step: step })
    .where('organiser_id', '=', organiserId)
    .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
    .executeTakeFirst()
  return Number(spent.numUpdatedRows) === 1
}

export async function removeTotp(db: DB, organiserId: string) {
  const r = await db.deleteFrom('organiser_totp').where('organiser_id', '=', organiserId).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

// ---------- recovery codes ----------

// Crockford's base32: 32 symbols, so each byte's low five bits pick one without bias.
const CODE_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'
const normaliseRecovery = (code: string) => code.replace(/[\s-]/g, '').toLowerCase()

/** Ten new codes of 16 characters (80 bits each), replacing every earlier one; shown once, stored hashed. */
export async function newRecoveryCodes(db: DB, organiserId: string, now = Date.now()): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = secureRandomBytes(16)
    const chars = Array.from(bytes, (b) => CODE_ALPHABET[b & 31]).join('')
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}-${chars.slice(12, 16)}`
  })
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('organiser_recovery_codes').where('organiser_id', '=', organiserId).execute()
    await trx
      .insertInto('organiser_recovery_codes')
      .values(codes.map((c) => ({ code_hash: hashToken(normaliseRecovery(c)), organiser_id: organiserId, created_at: now, used_at: null })))
      .execute()
  })
  return codes
}

async function useRecoveryCode(db: DB, organiserId: string, code: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('organiser_recovery_codes')
    .set({ used_at: now })
    .where('code_hash', '=', hashToken(normaliseRecovery(code)))
    .where('organiser_id', '=', organiserId)
    .where('used_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

// ---------- passkeys ----------

async function webauthnUserId(db: DB, organiserId: string): Promise<string> {
  const row = await db.selectFrom('organisers').select('webauthn_user_id').where('id', '=', organiserId).executeTakeFirstOrThrow()
  if (row.webauthn_user_id) return row.webauthn_user_id
  const id = secureRandomBytes(32).toString('base64url')
  await db.updateTable('organisers').set({ webauthn_user_id: id }).where('id', '=', organiserId).where('webauthn_user_id', 'is', null).execute()
  return (await db.selectFrom('organisers').select('webauthn_user_id').where('id', '=', organiserId).executeTakeFirstOrThrow()).webauthn_user_id!
}

const newChallenge = () => new Uint8Array(secureRandomBytes(32))

/** Options for adding a passkey, the challenge bound to the organiser's session. */
export async function passkeyRegistrationOptions(db: DB, appUrl: string, organiserId: string, userName: string, sessionBinding: string, now = Date.now()) {
  const rp = relyingParty(appUrl)
  const existing = await db.selectFrom('organiser_passkeys').select(['credential_id', 'transports']).where('organiser_id', '=', organiserId).execute()
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName,
    userID: new Uint8Array(Buffer.from(await webauthnUserId(db, organiserId), 'base64url')),
    challenge: newChallenge(),
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.credential_id, transports: c.transports ? JSON.parse(c.transports) : undefined })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    timeout: CHALLENGE_TTL,
  })
  await putChallenge(db, options.challenge, 'passkey-register', sessionBinding, organiserId, now)
  return options
}

const clientChallenge = (clientDataJSON: string): string | null => {
  try {
    const c = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')).challenge
    return typeof c === 'string' ? c : null
  } catch {
    return null
  }
}

export async function registerPasskey(db: DB, appUrl: string, organiserId: string, response: RegistrationResponseJSON, sessionBinding: string, now = Date.now()): Promise<boolean> {
  const challenge = clientChallenge(response?.response?.clientDataJSON)
  if (!challenge) return false
  const taken = await takeChallenge(db, challenge, 'passkey-register', sessionBinding, now)
  if (!taken || taken.organiserId !== organiserId) return false
  const rp = relyingParty(appUrl)
  const verified = await verifyRegistrationResponse({ response, expectedChallenge: challenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: true }).catch(() => null)
  if (!verified?.verified) return false
  const { credential } = verified.registrationInfo
  await db
    .insertInto('organiser_passkeys')
    .values({
      credential_id: credential.id,
      organiser_id: organiserId,
      public_key: Buffer.from(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports ? JSON.stringify(credential.transports) : null,
      created_at: now,
      last_used_at: null,
    })
    .execute()
  return true
}

/**
 * Options for signing in with a passkey, bound to the flow cookie. After a password, only that
 * organiser's passkeys are offered; without one, any passkey of this site (a discoverable credential).
 */
export async function passkeySignInOptions(db: DB, appUrl: string, flow: string, now = Date.now()) {
  const pending = await pendingSignIn(db, flow, now)
  const allow = pending ? await db.selectFrom('organiser_passkeys').select(['credential_id', 'transports']).where('organiser_id', '=', pending).execute() : []
  const options = await generateAuthenticationOptions({
    rpID: relyingParty(appUrl).id,
    challenge: newChallenge(),
    userVerification: 'required',
    allowCredentials: allow.map((c) => ({ id: c.credential_id, transports: c.transports ? JSON.parse(c.transports) : undefined })),
    timeout: CHALLENGE_TTL,
  })
  await putChallenge(db, options.challenge, 'passkey-sign-in', flow, pending, now)
  return options
}

/** Checks a passkey's answer; the organiser it belongs to, or null. A pending password sign-in of this flow ends with it. */
export async function signInWithPasskey(db: DB, appUrl: string, response: AuthenticationResponseJSON, flow: string, now = Date.now()): Promise<string | null> {
  const challenge = clientChallenge(response?.response?.clientDataJSON)
  if (!challenge || typeof response.id !== 'string') return null
  const taken = await takeChallenge(db, challenge, 'passkey-sign-in', flow, now)
  if (!taken) return null
  const passkey = await db.selectFrom('organiser_passkeys').selectAll().where('credential_id', '=', response.id).executeTakeFirst()
  if (!passkey || (taken.organiserId && taken.organiserId !== passkey.organiser_id)) return null
  const rp = relyingParty(appUrl)
  const verified = await verifyAuthenticationResponse({
    response,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    requireUserVerification: true,
    credential: { id: passkey.credential_id, publicKey: new Uint8Array(passkey.public_key), counter: Number(passkey.counter), transports: passkey.transports ? JSON.parse(passkey.transports) : undefined },
  }).catch(() => null)
  if (!verified?.verified) return null
  await db
    .updateTable('organiser_passkeys')
    .set({ counter: verified.authenticationInfo.newCounter, last_used_at: now })
    .where('credential_id', '=', passkey.credential_id)
    .execute()
  await db.deleteFrom('auth_challenges').where('challenge_hash', '=', hashToken(flow)).where('purpose', '=', 'second-factor').execute()
  return passkey.organiser_id
}

export async function removePasskey(db: DB, organiserId: string, credentialId: string) {
  const r = await db.deleteFrom('organiser_passkeys').where('organiser_id', '=', organiserId).where('credential_id', '=', credentialId).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}
