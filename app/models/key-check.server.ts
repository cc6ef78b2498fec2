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

/**
 * Checks the process's keys against what the database recorded when it was first started (or, for a
 * database from before the record, against a stored signature: its email must decrypt and hash to
 * its stored hash), records them if nothing is recorded yet, and throws `KeyMismatchError` on a
 * mismatch. Answers what it did.
 */
export async function checkKeys(db: DB, vault: Vault, now = Date.now()): Promise<'matched' | 'recorded'> {
  const recorded = async () => {
    const rows = await db.selectFrom('key_checks').select(['name', 'value']).execute()
    const hmac = rows.find((r) => r.name === 'hmac')
    const encryption = rows.find((r) => r.name === 'encryption')
    if (hmac && hmac.value !== vault.hmacKeyCheck()) throw new KeyMismatchError('HMAC_KEY')
    if (encryption && opens(vault, encryption.value) !== SEALED_CONSTANT) throw new KeyMismatchError('ENCRYPTION_KEY')
    return !!hmac && !!encryption
  }
  if (await recorded()) return 'matched'

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
