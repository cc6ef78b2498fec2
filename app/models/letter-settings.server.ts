import type { CampaignLetterSettings, DB, MissionOffice } from '~/db.server'
import { isMissionOffice } from '~/utils/mission-schema'
import type { LetterSender } from '~/letters/text'
import type { LetterSettingsInput } from '~/utils/letter-settings-schema'

export interface LetterSettings {
  sender: LetterSender
  writeWithoutSigners: boolean
  /** the offices of each state's mission the campaign writes to; New York by default (ADR 091) */
  offices: MissionOffice[]
  updatedAt: number
}

function fromRow(row: CampaignLetterSettings): LetterSettings {
  return {
    sender: {
      name: row.sender_name,
      address: row.sender_address.split('\n').filter(Boolean),
      email: row.sender_email,
      signerName: row.signer_name,
      signerTitle: row.signer_title,
    },
    writeWithoutSigners: row.write_without_signers === 1,
    offices: parseOffices(row.offices),
    updatedAt: Number(row.updated_at),
  }
}

/** A campaign's sending organisation and no-signer choice, or null while organisers have not set them. */
export async function getLetterSettings(db: DB, campaignId: string): Promise<LetterSettings | null> {
  const row = await db.selectFrom('campaign_letter_settings').selectAll().where('campaign_id', '=', campaignId).executeTakeFirst()
  return row ? fromRow(row) : null
}

/** Saves the settings; returns what they were before (null the first time), for the audit log. */
export async function saveLetterSettings(db: DB, campaignId: string, input: LetterSettingsInput, organiserId: string | null, now = Date.now()) {
  const before = await getLetterSettings(db, campaignId)
  const values = {
    sender_name: input.senderName,
    sender_address: input.senderAddress,
    sender_email: input.senderEmail,
    signer_name: input.signerName,
    signer_title: input.signerTitle,
    write_without_signers: input.writeWithoutSigners ? 1 : 0,
    updated_by: organiserId,
    updated_at: now,
  }
  await db
    .insertInto('campaign_letter_settings')
    .values({ campaign_id: campaignId, ...values })
    .onConflict((oc) => oc.column('campaign_id').doUpdateSet(values))
    .execute()
  return before
}

function parseOffices(stored: string | null | undefined): MissionOffice[] {
  const offices = (stored ?? '').split(',').filter(isMissionOffice)
  return offices.length ? offices : ['new-york']
}

/**
 * Chooses the offices a campaign writes to (at least one) and the UN office holders it writes to,
 * in one transaction; returns false while the campaign has no sending organisation yet.
 */
export async function saveAddressees(db: DB, campaignId: string, offices: readonly MissionOffice[], unAddressees: readonly string[], organiserId: string | null, now = Date.now()) {
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('campaign_letter_settings')
      .set({ offices: offices.join(','), updated_by: organiserId, updated_at: now })
      .where('campaign_id', '=', campaignId)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) === 0) return false
    await trx.deleteFrom('campaign_un_addressees').where('campaign_id', '=', campaignId).execute()
    if (unAddressees.length) await trx.insertInto('campaign_un_addressees').values(unAddressees.map((id) => ({ campaign_id: campaignId, addressee_id: id }))).execute()
    return true
  })
}

export async function chosenUnAddressees(db: DB, campaignId: string): Promise<string[]> {
  return (await db.selectFrom('campaign_un_addressees').select('addressee_id').where('campaign_id', '=', campaignId).orderBy('addressee_id').execute()).map((r) => r.addressee_id)
}
