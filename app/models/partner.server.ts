import { randomUUID } from 'node:crypto'
import type { DB } from '~/db.server'
import { secureRandomBytes } from '~/infra/random.server'
import type { Vault } from '~/infra/vault.server'

/** A share-link handle: 72 random bits, so it says nothing of how many partners there are or in what order (ADR 122). */
export const newPartnerRef = () => secureRandomBytes(9).toString('base64url')
export const PARTNER_REF = /^[A-Za-z0-9_-]{12}$/

/** Logos are raster images, re-encoded at upload (ADR 114); shown at most 48 pixels high. */
export const LOGO_MAX_BYTES = 200_000
export const LOGO_MAX_WIDTH = 400

export interface PartnerInput {
  name: string
  url: string | null
  privacyUrl: string | null
  contactEmail: string | null
  logo: { bytes: Buffer; type: string } | null
}

export interface PartnerRow {
  id: string
  ref: string
  name: string
  url: string | null
  privacyUrl: string | null
  contactEmail: string | null
  hasLogo: boolean
  verified: number
}

export async function addPartner(db: DB, vault: Vault, campaignId: string, input: PartnerInput, now = Date.now()) {
  const id = randomUUID()
  const ref = newPartnerRef()
  await db
    .insertInto('partners')
    .values({
      id,
      campaign_id: campaignId,
      ref,
      name: input.name,
      url: input.url,
      privacy_url: input.privacyUrl,
      contact_email_enc: input.contactEmail ? vault.encrypt(input.contactEmail) : null,
      logo: input.logo?.bytes ?? null,
      logo_type: input.logo?.type ?? null,
      created_at: now,
      updated_at: now,
      removed_at: null,
    })
    .execute()
  return { id, ref }
}

/** The link stops attributing; the signatures it brought keep their partner. */
export async function removePartner(db: DB, campaignId: string, partnerId: string, now = Date.now()) {
  const done = await db
    .updateTable('partners')
    .set({ removed_at: now, updated_at: now })
    .where('campaign_id', '=', campaignId)
    .where('id', '=', partnerId)
    .where('removed_at', 'is', null)
    .executeTakeFirst()
  return Number(done.numUpdatedRows) > 0
}

/** The campaign's current partners with their verified signatures, oldest first. */
export async function listPartners(db: DB, vault: Vault, campaignId: string): Promise<PartnerRow[]> {
  const [rows, counts] = await Promise.all([
    db
      .selectFrom('partners')
      .select(['id', 'ref', 'name', 'url', 'privacy_url', 'contact_email_enc', 'logo_type'])
      .where('campaign_id', '=', campaignId)
      .where('removed_at', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    verifiedByPartner(db, campaignId),
  ])
  const n = new Map(counts.map((c) => [c.partnerId, c.count]))
  return rows.map((r) => ({
    id: r.id,
    ref: r.ref,
    name: r.name,
    url: r.url,
    privacyUrl: r.privacy_url,
    contactEmail: r.contact_email_enc ? vault.decrypt(r.contact_email_enc) : null,
    hasLogo: r.logo_type !== null,
    verified: n.get(r.id) ?? 0,
  }))
}

/** Verified signatures per partner (removed ones too), for the dashboard; no partner is left out of the figure. */
export async function verifiedByPartner(db: DB, campaignId: string) {
  const rows = await db
    .selectFrom('signatures')
    .innerJoin('partners', 'partners.id', 'signatures.partner_id')
    .select(['partners.id', 'partners.name', 'partners.removed_at', (eb) => eb.fn.countAll<number>().as('n')])
    .where('signatures.campaign_id', '=', campaignId)
    .where('signatures.status', '=', 'verified')
    .groupBy(['partners.id', 'partners.name', 'partners.removed_at'])
    .orderBy('n', 'desc')
    .orderBy('partners.name')
    .execute()
  return rows.map((r) => ({ partnerId: r.id, name: r.name, removed: r.removed_at !== null, count: Number(r.n) }))
}

/** The current partner a share link names, for this campaign only; anything else is no partner. */
export async function partnerByRef(db: DB, campaignId: string, ref: string | null | undefined) {
  if (!ref || !PARTNER_REF.test(ref)) return null
  const row = await db
    .selectFrom('partners')
    .select(['id', 'ref', 'name', 'privacy_url', 'logo_type'])
    .where('ref', '=', ref)
    .where('campaign_id', '=', campaignId)
    .where('removed_at', 'is', null)
    .executeTakeFirst()
  return row ? { id: row.id, ref: row.ref, name: row.name, privacyUrl: row.privacy_url, hasLogo: row.logo_type !== null } : null
}

export async function partnerLogo(db: DB, campaignId: string, ref: string) {
  if (!PARTNER_REF.test(ref)) return null
  const row = await db
    .selectFrom('partners')
    .select(['logo', 'logo_type'])
    .where('ref', '=', ref)
    .where('campaign_id', '=', campaignId)
    .where('removed_at', 'is', null)
    .executeTakeFirst()
  return row?.logo && row.logo_type ? { bytes: Buffer.from(row.logo), type: row.logo_type } : null
}

/** Where a partner organiser's account belongs (ADR 131): its partner and that partner's campaign. */
export async function partnerScope(db: DB, partnerId: string) {
  const row = await db
    .selectFrom('partners')
    .innerJoin('campaigns', 'campaigns.id', 'partners.campaign_id')
    .select(['partners.id', 'partners.ref', 'partners.name', 'partners.removed_at', 'campaigns.id as campaignId', 'campaigns.slug as campaignSlug'])
    .where('partners.id', '=', partnerId)
    .executeTakeFirst()
  return row ? { id: row.id, ref: row.ref, name: row.name, removed: row.removed_at !== null, campaignId: row.campaignId, campaignSlug: row.campaignSlug } : null
}

export const partnerHome = (scope: { campaignSlug: string; ref: string }) => `/admin/campaigns/${scope.campaignSlug}/partners/${scope.ref}`

/** A partner of this campaign by its ref, removed ones too (their past supporters can still be exported by the campaign). */
export async function partnerForOrganisers(db: DB, campaignId: string, ref: string | undefined) {
  if (!ref || !PARTNER_REF.test(ref)) return null
  const row = await db
    .selectFrom('partners')
    .select(['id', 'ref', 'name', 'url', 'privacy_url', 'removed_at'])
    .where('ref', '=', ref)
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst()
  return row ? { id: row.id, ref: row.ref, name: row.name, url: row.url, privacyUrl: row.privacy_url, removed: row.removed_at !== null } : null
}

/**
 * A partner's own figures: the confirmed signatures it brought, and how many of them let it email
 * them. Pending signatures are in neither: consent counts once the address is proved (ADR 131).
 */
export async function partnerFigures(db: DB, campaignId: string, partnerId: string) {
  const row = await db
    .selectFrom('signatures')
    .select((eb) => [eb.fn.countAll<number>().as('verified'), eb.fn.sum<number>('partner_opt_in').as('optedIn')])
    .where('campaign_id', '=', campaignId)
    .where('partner_id', '=', partnerId)
    .where('status', '=', 'verified')
    .executeTakeFirstOrThrow()
  return { verified: Number(row.verified), optedIn: Number(row.optedIn ?? 0) }
}

/** The accounts limited to this partner, for the campaign's organisers to see who reads its supporters. */
export async function partnerOrganisers(db: DB, vault: Vault, partnerId: string) {
  const rows = await db
    .selectFrom('organisers')
    .select(['id', 'email_enc', 'password_hash', 'disabled_at'])
    .where('partner_id', '=', partnerId)
    .orderBy('created_at')
    .execute()
  return rows.map((r) => ({ id: r.id, email: vault.decrypt(r.email_enc), active: r.password_hash !== null && r.disabled_at === null, disabled: r.disabled_at !== null }))
}
