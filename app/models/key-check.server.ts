import type { DB } from '~/db.server'
import { canonicalEmail } from '~/utils/email-address'
import type { Vault } from '~/infra/vault.server'

const SEALED_CONSTANT = 'petition key check v1'

/** The secrets given are not the ones the database was written with; the message names which. */
export class KeyMismatchError extends Error {
  constructor(readonly key: 'ENCRYPTION_KEY' | 'HMAC_KEY') {
    super(
      `${key} is not the key this database was written with. Refusing to start: with it, pending emails could not be ` +
        `sent${key === 'HMAC_KEY' ? ' and an address that signed could sign again and count twice' : ' and stored names could not be read'}. ` +
        'Start with the original key (docs/operations.md, "Keys").',
    )
    this.name = 'KeyMismatchError'
  }
}

function opens(vault: Vault, sealed: string): string | null {
  try {
    return vault.decrypt(sealed)
  } catch {
    return null
  }
}

/** A rotation of ENCRYPTION_KEY is under way and this process lacks a key that values may still be sealed with. */
export class RekeyPendingError extends Error {
  constructor(readonly missing: string[]) {
    super(
      `ENCRYPTION_KEY_PREVIOUS must hold the key${missing.length > 1 ? 's' : ''} with id ${missing.join(', ')} until \`npm run rekey\` has ` +
        'finished: some stored values may still be sealed with it, and could not be read. Refusing to start (docs/operations.md, "Keys").',
    )
    this.name = 'RekeyPendingError'
  }
}

/** The key_checks row naming the keys a rotation started from, until the re-key has re-sealed everything (ADR 135). */
export const REKEY_PENDING = 'encryption-rekey'

/**
 * Checks the process's keys against what the database recorded when it was first started (or, for a
 * database from before the record, against a stored signature: its email must decrypt and hash to
 * its stored hash), records them if nothing is recorded yet, and throws `KeyMismatchError` on a
 * mismatch. A record that opens only with one of ENCRYPTION_KEY_PREVIOUS starts a rotation (ADR 135):
 * the record is sealed again with the new key, so a process with only the old key is refused from now
 * on, and the old key's id is kept as pending until `npm run rekey` finishes; a process without every
 * pending key is refused. Answers what it did.
 */
export async function checkKeys(db: DB, vault: Vault, now = Date.now()): Promise<'matched' | 'recorded' | 'rotating'> {
  let rotating = false
  const recorded = async () => {
    const rows = await db.selectFrom('key_checks').select(['name', 'value']).execute()
    const hmac = rows.find((r) => r.name === 'hmac')
    const encryption = rows.find((r) => r.name === 'encryption')
    if (hmac && hmac.value !== vault.hmacKeyCheck()) throw new KeyMismatchError('HMAC_KEY')
    if (encryption && opens(vault, encryption.value) !== SEALED_CONSTANT) throw new KeyMismatchError('ENCRYPTION_KEY')
    if (encryption && !vault.sealedWithCurrent(encryption.value)) {
      const from = vault.openingKeyId(encryption.value)!
      if (from !== vault.encryptionKeyId) await beginRotation(db, vault, encryption.value, from, now)
      else await db.updateTable('key_checks').set({ value: vault.encrypt(SEALED_CONSTANT) }).where('name', '=', 'encryption').where('value', '=', encryption.value).execute()
      return recorded()
    }
    const pending = rows.find((r) => r.name === REKEY_PENDING)
    if (pending) {
      const have = new Set([vault.encryptionKeyId, ...vault.previousKeyIds])
      const missing = pending.value.split(',').filter((id) => !have.has(id))
      if (missing.length) throw new RekeyPendingError(missing)
      rotating = true
    }
    return !!hmac && !!encryption
  }
  if (await recorded()) return rotating ? 'rotating' : 'matched'

  // Nothing recorded yet: a database written before the record holds signatures to check against.
  const sample = await db.selectFrom('signatures').select(['email_enc', 'email_hash']).orderBy('id').limit(1).executeTakeFirst()
  if (sample) {
    const email = opens(vault, sample.email_enc)
    if (email === null) throw new KeyMismatchError('ENCRYPTION_KEY')
    if (vault.emailHash(canonicalEmail(email)) !== sample.email_hash) throw new KeyMismatchError('HMAC_KEY')
  }
  await db
    .insertInto('key_checks')
    .values([
      { name: 'hmac', value: vault.hmacKeyCheck(), created_at: now },
      { name: 'encryption', value: vault.encrypt(SEALED_CONSTANT), created_at: now },
    ])
    .onConflict((oc) => oc.column('name').doNothing())
    .execute()
  // Two processes starting at once on a new database: whichever wrote first is the record.
  await recorded()
  return 'recorded'
}

/** The record sealed with `from`, an earlier key: seal it with the current one and note `from` as pending, in one transaction. */
async function beginRotation(db: DB, vault: Vault, value: string, from: string, now: number) {
  await db.transaction().execute(async (trx) => {
    const moved = await trx.updateTable('key_checks').set({ value: vault.encrypt(SEALED_CONSTANT) }).where('name', '=', 'encryption').where('value', '=', value).executeTakeFirst()
    // Another process began it first: its record stands.
    if (Number(moved.numUpdatedRows) === 0) return
    const pending = await trx.selectFrom('key_checks').select('value').where('name', '=', REKEY_PENDING).executeTakeFirst()
    const ids = [...new Set([...(pending?.value.split(',') ?? []), from])].filter((id) => id !== vault.encryptionKeyId)
    if (pending) await trx.updateTable('key_checks').set({ value: ids.join(',') }).where('name', '=', REKEY_PENDING).execute()
    else await trx.insertInto('key_checks').values({ name: REKEY_PENDING, value: ids.join(','), created_at: now }).execute()
  })
}

/** The re-key has re-sealed every value with the current key: no earlier key is needed any more. */
export async function finishRotation(db: DB, vault: Vault) {
  await db.transaction().execute(async (trx) => {
    const check = await trx.selectFrom('key_checks').select('value').where('name', '=', 'encryption').executeTakeFirst()
    if (check && !vault.sealedWithCurrent(check.value)) throw new Error('The key record is not sealed with ENCRYPTION_KEY: start the server with the new key once before the re-key.')
    await trx.deleteFrom('key_checks').where('name', '=', REKEY_PENDING).execute()
  })
}
