import { createCipheriv, randomBytes, randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { seedFirstCampaign } from '../../db/seed'
import { openTestDatabase } from '../../tests/support/database'
import { seedSignatures, SLUG } from '../../tests/support/signatures'
import { type DB } from '../db.server'
import { createVault, type Vault } from '../infra/vault.server'
import { checkKeys, KeyMismatchError, RekeyPendingError, REKEY_PENDING } from './key-check.server'
import { rekey, SEALED_BYTES, SEALED_TEXT } from './rekey.server'

/** A rotation of ENCRYPTION_KEY (ADR 135), on the engine the suite runs on. */
const oldKey = randomBytes(32)
const newKey = randomBytes(32)
const hmacKey = randomBytes(32)
const before = createVault({ encryptionKey: oldKey, hmacKey })
const rotating = createVault({ encryptionKey: newKey, hmacKey, previousEncryptionKeys: [oldKey] })
const after = createVault({ encryptionKey: newKey, hmacKey })
const onlyOld = createVault({ encryptionKey: oldKey, hmacKey })

let db: DB
let close: () => Promise<void>
let campaignId: string
beforeEach(async () => {
  ;({ db, close } = await openTestDatabase())
  await seedFirstCampaign(db)
  campaignId = (await db.selectFrom('campaigns').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()).id
})
afterEach(async () => {
  await close()
})

/** A name sealed the way the vault sealed before keys had ids. */
function sealedV1(key: Buffer, plain: string) {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${data.toString('base64url')}`
}

async function addLetter(vault: Vault, pdf: Buffer) {
  const id = randomUUID()
  await db
    .insertInto('letter_versions')
    .values({
      id,
      campaign_id: campaignId,
      country_code: 'SE',
      version: 1,
      code: randomUUID(),
      reference: 'ref',
      language: 'en',
      city: 'New York',
      country_count: 1,
      total_count: 1,
      country_total: 1,
      named_count: 0,
      content_enc: vault.encrypt('{"text":"a letter"}'),
      leaves: Buffer.alloc(32),
      merkle_root: 'x',
      certificate_json: '{}',
      certificate_sig: 'x',
      text_sha256: 'x',
      pdf: vault.sealBytes(pdf),
      pdf_sha256: 'x',
      created_by: null,
      created_at: Date.now(),
    })
    .execute()
  return id
}

const signatures = () => db.selectFrom('signatures').select(['id', 'email_enc', 'name_enc', 'ip_country_enc']).orderBy('id').execute()

describe('rotating ENCRYPTION_KEY', () => {
  it('seals everything again with the new key, then needs the old one no more', async () => {
    expect(await checkKeys(db, before)).toBe('recorded')
    const ids = await seedSignatures({ db, vault: before }, [
      { email: 'maryam@example.org', name: 'مریم', country: 'IR', ipCountry: 'IR' },
      ...Array.from({ length: 7 }, (_, i) => ({ email: `s${i}@example.org`, name: `Signer ${i}` })),
    ])
    // One value from before key ids: the rotation must move it too.
    await db.updateTable('signatures').set({ name_enc: sealedV1(oldKey, 'Zoë') }).where('id', '=', ids[1]).execute()
    const pdf = Buffer.from('%PDF-1.7 the letter to Sweden')
    const letterId = await addLetter(before, pdf)

    // The new key alone before the re-key: refused, since it could not read what the old key sealed.
    expect(await checkKeys(db, rotating)).toBe('rotating')
    const pending = await db.selectFrom('key_checks').select('value').where('name', '=', REKEY_PENDING).executeTakeFirstOrThrow()
    expect(pending.value).toBe(before.encryptionKeyId)
    await expect(checkKeys(db, after)).rejects.toThrow(RekeyPendingError)
    await expect(checkKeys(db, after)).rejects.toThrow(before.encryptionKeyId)
    // And the old key alone is refused from the rotation's start: it would seal what the new key's processes cannot tell apart.
    await expect(checkKeys(db, onlyOld)).rejects.toThrow(KeyMismatchError)

    // Written during the rotation with the new key: left as it is.
    const [during] = await seedSignatures({ db, vault: rotating }, [{ email: 'during@example.org', name: 'During' }])
    const duringRow = await db.selectFrom('signatures').select('email_enc').where('id', '=', during).executeTakeFirstOrThrow()

    const lines: string[] = []
    const result = await rekey(db, rotating, { slice: 3, onProgress: (l) => lines.push(l) })
    expect(result.finished).toBe(true)
    const byColumn = Object.fromEntries(result.columns.map((c) => [`${c.table}.${c.column}`, c]))
    expect(byColumn['signatures.email_enc'].resealed).toBe(8)
    expect(byColumn['signatures.name_enc'].resealed).toBe(8)
    expect(byColumn['signatures.ip_country_enc'].resealed).toBe(1)
    expect(byColumn['letter_versions.pdf'].resealed).toBe(1)
    expect(lines).toContain('signatures.email_enc: 8 sealed again')

    for (const row of await signatures()) {
      expect(after.sealedWithCurrent(row.email_enc)).toBe(true)
      expect(after.sealedWithCurrent(row.name_enc)).toBe(true)
    }
    const names = (await signatures()).map((r) => after.decrypt(r.name_enc))
    expect(names).toContain('مریم')
    expect(names).toContain('Zoë')
    expect((await db.selectFrom('signatures').select('email_enc').where('id', '=', during).executeTakeFirstOrThrow()).email_enc).toBe(duringRow.email_enc)
    const letter = await db.selectFrom('letter_versions').select(['pdf', 'content_enc']).where('id', '=', letterId).executeTakeFirstOrThrow()
    expect(after.openBytes(letter.pdf).equals(pdf)).toBe(true)
    expect(after.decrypt(letter.content_enc)).toContain('a letter')

    // Done: the new key alone starts, and a second run finds nothing to do.
    expect(await db.selectFrom('key_checks').select('name').where('name', '=', REKEY_PENDING).executeTakeFirst()).toBeUndefined()
    expect(await checkKeys(db, after)).toBe('matched')
    const again = await rekey(db, rotating)
    expect(again.columns.every((c) => c.resealed === 0)).toBe(true)
  })

  it('does not finish while a value opens with no configured key, and says where', async () => {
    await checkKeys(db, before)
    const [id] = await seedSignatures({ db, vault: before }, [{ email: 'a@example.org' }, { email: 'b@example.org' }])
    const stranger = createVault({ encryptionKey: randomBytes(32), hmacKey })
    await db.updateTable('signatures').set({ name_enc: stranger.encrypt('lost') }).where('id', '=', id).execute()
    await checkKeys(db, rotating)
    const result = await rekey(db, rotating)
    expect(result.finished).toBe(false)
    expect(result.columns.find((c) => c.column === 'name_enc' && c.table === 'signatures')).toMatchObject({ resealed: 1, unreadable: 1 })
    // Still pending: the old key stays needed.
    await expect(checkKeys(db, after)).rejects.toThrow(RekeyPendingError)
  })

  it('knows every sealed column of the schema', async () => {
    const sealed = new Set([...SEALED_TEXT, ...SEALED_BYTES].map((t) => `${t.table}.${t.column}`))
    const tables = await db.introspection.getTables()
    const encColumns = tables.flatMap((t) => t.columns.filter((c) => c.name.endsWith('_enc')).map((c) => `${t.name}.${c.name}`))
    expect(encColumns.length).toBeGreaterThan(5)
    for (const column of encColumns) expect(sealed, `${column} is sealed but not re-keyed`).toContain(column)
    for (const t of [...SEALED_TEXT, ...SEALED_BYTES]) {
      expect(tables.find((x) => x.name === t.table)?.columns.map((c) => c.name), `${t.table}.${t.key}`).toContain(t.key)
    }
  })
})
