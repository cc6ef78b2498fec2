import type { DB } from '~/db.server'
import { encodeImage } from '~/infra/image.server'

/** A lead image is shown at most this wide; phones get the small variant (the page's srcset). */
export const LEAD_IMAGE_WIDTHS = { large: 1600, small: 800 } as const
export type LeadImageSize = keyof typeof LEAD_IMAGE_WIDTHS
/** What a phone photo weighs; anything larger is refused before it is read (server/app.ts). */
export const LEAD_IMAGE_MAX_BYTES = 12 * 1024 * 1024
/** Alt text says what the picture shows in a sentence or two, as a caption would. */
export const ALT_MAX = 300

export interface LeadImage {
  version: number
  width: number
  height: number
  /** By language; the default language's is always there. */
  alts: Record<string, string>
}

/** The image's description and size, without its bytes (the page needs no more). */
export async function getLeadImage(db: DB, campaignId: string): Promise<LeadImage | null> {
  const row = await db
    .selectFrom('campaign_images')
    .select(['version', 'width', 'height', 'alt_json'])
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst()
  return row ? { version: Number(row.version), width: Number(row.width), height: Number(row.height), alts: JSON.parse(row.alt_json) as Record<string, string> } : null
}

export async function leadImageBytes(db: DB, campaignId: string, size: LeadImageSize) {
  const row = await db.selectFrom('campaign_images').select([size, 'type', 'version']).where('campaign_id', '=', campaignId).executeTakeFirst()
  return row ? { bytes: Buffer.from(row[size]), type: row.type, version: Number(row.version) } : null
}

/** The alt text for a reader: theirs when the organisers wrote it, else the default language's (and it says which). */
export function altFor(image: LeadImage, locale: string, defaultLocale: string): { text: string; locale: string } {
  const own = image.alts[locale]
  return own ? { text: own, locale } : { text: image.alts[defaultLocale] ?? '', locale: defaultLocale }
}

/**
 * Replaces the image (when `upload` is given: it was checked by `inspectImage`) and its alt texts,
 * or only the alt texts of the image in place. Returns false when there is no image to describe.
 */
export async function saveLeadImage(db: DB, campaignId: string, alts: Record<string, string>, upload: Buffer | null, now = Date.now()): Promise<boolean> {
  const altJson = JSON.stringify(Object.fromEntries(Object.entries(alts).filter(([, v]) => v !== '')))
  if (!upload) {
    const result = await db.updateTable('campaign_images').set({ alt_json: altJson, updated_at: now }).where('campaign_id', '=', campaignId).executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }
  // Encoded before the transaction: the work is on the thread pool, and no lock waits for it.
  const [large, small] = await Promise.all([encodeImage(upload, LEAD_IMAGE_WIDTHS.large), encodeImage(upload, LEAD_IMAGE_WIDTHS.small)])
  const row = { large: large.bytes, small: small.bytes, type: large.type, width: large.width, height: large.height, alt_json: altJson, updated_at: now }
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('campaign_images').select('version').where('campaign_id', '=', campaignId).executeTakeFirst()
    // Strictly increasing even when two saves share a millisecond, so no cache keeps the old bytes.
    const version = Math.max(now, before ? Number(before.version) + 1 : 0)
    if (before) await trx.updateTable('campaign_images').set({ ...row, version }).where('campaign_id', '=', campaignId).execute()
    else await trx.insertInto('campaign_images').values({ campaign_id: campaignId, ...row, version }).execute()
  })
  return true
}

export async function removeLeadImage(db: DB, campaignId: string): Promise<boolean> {
  const result = await db.deleteFrom('campaign_images').where('campaign_id', '=', campaignId).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}
