import type { CampaignLetterSettings, DB } from '~/db.server'
import type { LetterSender } from '~/letters/text'
import type { LetterSettingsInput } from '~/utils/letter-settings-schema'

export interface LetterSettings {
  sender: LetterSender
  writeWithoutSigners: boolean
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
