import { randomBytes, randomUUID } from 'node:crypto'
import { UN_LANGUAGES, UN_STATES, type UnLang } from '~/data/un-states'
import type { AppConfig } from '~/config.server'
import { sql } from 'kysely'
import type { DB, LetterVersion, MissionOffice } from '~/db.server'
import {
  CERTIFICATE_TYPE,
  CERTIFICATE_VERSION,
  commitmentKey,
  fileSha256,
  inclusionProof,
  leafFor,
  merkleRoot,
  packLeaves,
  pdfDigest,
  recipientSalt,
  signCertificate,
  signingKeyFromSeed,
  unpackLeaves,
  type Certificate,
  type ProofStep,
  type SignedCertificate,
  type SigningKey,
} from '~/letters/certificate.server'
import { FIRST_CAMPAIGN_LETTER_COPY } from '~/letters/first-campaign-copy'
import { drawLetterPdf } from '~/letters/pdf-thread.server'
import { atRiskSubquery, isAtRisk } from '~/models/risk-policy.server'
import { canonicalText, letterText, type LetterCopy, type LetterDocument } from '~/letters/text'
import { withPaperFigure } from '~/letters/paper-text'
import { paperFigureForLetter } from './paper-signature.server'
import { unLetterText, type UnLetterLang } from '~/letters/un-text'
import { ELSEWHERE, unState } from '~/utils/countries'
import { hashToken, isSealed, openPdf, type Vault } from '~/infra/vault.server'
import { getLetterSettings, type LetterSettings } from './letter-settings.server'
import { seedMissions } from './mission.server'
import { getUnAddressee, seedUnAddressees } from './un-addressee.server'
import { countryOpeningsAt, drainLog, drainLogWithin, ensureCheckpointWithin, latestCheckpoint, logOrigin, logSigner, proveConsistency, signerLogStatus, type SignerLogStatus } from './transparency-log.server'
import { nextTurn } from '~/infra/next-turn.server'
import { isLinkMac, readLinkToken } from '~/infra/link-token.server'

/** The QR code library, loaded when a letter or certificate first needs one. */
const qrcode = async () => (await import('qrcode')).default

export interface LetterDeps {
  db: DB
  /** where a snapshot reads the signatures: the read worker on SQLite (ADR 111); `db` when absent */
  readDb?: DB
  vault: Vault
  config: Pick<AppConfig, 'appUrl' | 'secrets'>
}

/** Columns of letter_versions without the large blobs, for lists and pages. */
export const LETTER_COLUMNS = [
  'id',
  'campaign_id',
  'country_code',
  'version',
  'code',
  'reference',
  'language',
  'city',
  'country_count',
  'total_count',
  'country_total',
  'named_count',
  'merkle_root',
  'certificate_json',
  'certificate_sig',
  'text_sha256',
  'pdf_sha256',
  'created_by',
  'created_at',
  'log_size',
  'log_root',
  'addressee',
] as const satisfies readonly (keyof LetterVersion)[]
export type LetterSummary = Pick<LetterVersion, (typeof LETTER_COLUMNS)[number]>

const keys = new Map<string, SigningKey>()
export function platformSigningKey(config: Pick<AppConfig, 'secrets'>): SigningKey {
  const seed = config.secrets.ED25519_PRIVATE_KEY
  const id = seed.toString('base64')
  let key = keys.get(id)
  if (!key) keys.set(id, (key = signingKeyFromSeed(seed)))
  return key
}

/** Missions for every state, the UN office holders and the first campaign's letter copy; all left alone once present. */
export async function seedLetters(db: DB, firstCampaignSlug: string, now = Date.now()) {
  await seedMissions(db, now)
  await seedUnAddressees(db, now)
  const campaign = await db.selectFrom('campaigns').select('id').where('slug', '=', firstCampaignSlug).executeTakeFirst()
  if (!campaign) return
  const existing = await db.selectFrom('campaign_letter_copy').select('language').where('campaign_id', '=', campaign.id).execute()
  const have = new Set(existing.map((r) => r.language))
  for (const lang of UN_LANGUAGES) {
    if (have.has(lang)) continue
    const copy = FIRST_CAMPAIGN_LETTER_COPY[lang]
    await db
      .insertInto('campaign_letter_copy')
      .values({
        campaign_id: campaign.id,
        language: lang,
        title: copy.title,
        context: copy.context,
        ask_intro: copy.askIntro,
        ask_items_json: JSON.stringify(copy.askItems),
        signatory: copy.signatory,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(['campaign_id', 'language']).doNothing())
      .execute()
  }
}

export async function getLetterCopy(db: DB, campaignId: string): Promise<Partial<Record<UnLang, LetterCopy>>> {
  const rows = await db.selectFrom('campaign_letter_copy').selectAll().where('campaign_id', '=', campaignId).execute()
  return Object.fromEntries(
    rows.map((r) => [r.language, { title: r.title, context: r.context, askIntro: r.ask_intro, askItems: JSON.parse(r.ask_items_json) as string[], signatory: r.signatory }]),
  )
}

export interface CountrySnapshot {
  /** sorted leaves */
  leaves: Buffer[]
  names: string[]
}

export interface CampaignSnapshot {
  takenAt: number
  total: number
  countryTotal: number
  byCountry: Map<string, CountrySnapshot>
  /** the campaign log's checkpoint taken with the snapshot, every pending entry sequenced first */
  checkpoint: { size: number; root: string; note: string } | null
}

/** Signatures read per slice of a snapshot; the event loop turns between slices (ADR 125). */
export const SNAPSHOT_SLICE = 2_000

/**
 * Brings the campaign log up to date, then reads every counted signature of the campaign: each
 * becomes a leaf of its country's tree, and the names of those who chose to show them are decrypted
 * for the annex. Only the log's drain and checkpoint are a transaction (short, on `db`); the
 * signatures are read after it in slices of `slice` from `readDb` (the read worker on SQLite), with
 * a turn of the event loop between slices, so no request waits for a country of a million (ADR 125).
 */
export async function takeSnapshot(deps: LetterDeps, campaignId: string, now = Date.now(), slice = SNAPSHOT_SLICE): Promise<CampaignSnapshot> {
  // The queue drained first in batches with a turn between them, as the sequencer does: after a rule
  // over 100,000 signatures, draining it all in the transaction below froze the site for 9 s (#10).
  // What is queued meanwhile is drained there, and is little.
  await drainLog(deps.db, { config: deps.config, now })
  const cp = await deps.db.transaction().execute(async (trx) => {
    await drainLogWithin(trx, { config: deps.config, now })
    await ensureCheckpointWithin(trx, { config: deps.config, now }, campaignId)
    return latestCheckpoint(trx, campaignId)
  })
  const snapshot = await readSnapshot(deps, campaignId, now, slice)
  return { ...snapshot, checkpoint: cp ? { size: Number(cp.size), root: cp.root, note: cp.note } : null }
}

async function readSnapshot(deps: LetterDeps, campaignId: string, now: number, slice: number): Promise<Omit<CampaignSnapshot, 'checkpoint'>> {
  const db = deps.readDb ?? deps.db
  const key = commitmentKey(deps.config.secrets.HMAC_KEY)
  // A state where signers are at risk never receives their names, only their number (ADR 085).
  const atRisk = new Set((await atRiskSubquery(db, campaignId).execute()).map((r) => r.country_code))
  // Leaves are kept as latin1 strings until sorted: their code-unit order is the bytes' order, and
  // V8 sorts strings far faster than it calls Buffer.compare a million times. Only a leaf (32 bytes)
  // and the shown names stay in memory, never a row.
  const raw = new Map<string, string[]>()
  const names = new Map<string, string[]>()
  let total = 0
  let cursor: { at: number; id: string } | null = null
  for (;;) {
    const c: { at: number; id: string } | null = cursor
    const rows: { id: string; country_code: string; confirmed_at: number | null; name_enc: string | null }[] = await db
      .selectFrom('signatures')
      // Only a shown name's (long) ciphertext is read; every signature gives a leaf.
      .select(['id', 'country_code', 'confirmed_at', sql<string | null>`case when show_name = 1 then name_enc else null end`.as('name_enc')])
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'verified')
      // Keyset pages over the (campaign, status, confirmed_at) index, as the export reads them.
      .$if(c !== null, (qb) =>
        qb.where('confirmed_at', '>=', c!.at).where((eb) => eb.or([eb('confirmed_at', '>', c!.at), eb.and([eb('confirmed_at', '=', c!.at), eb('id', '>', c!.id)])])),
      )
      .orderBy('confirmed_at')
      .orderBy('id')
      .limit(slice)
      .execute()
    for (const row of rows) {
      total++
      let list = raw.get(row.country_code)
      if (!list) raw.set(row.country_code, (list = []))
      list.push(leafFor(key, row.id).toString('latin1'))
      if (row.name_enc !== null && !atRisk.has(row.country_code)) {
        let shown = names.get(row.country_code)
        if (!shown) names.set(row.country_code, (shown = []))
        shown.push(deps.vault.decrypt(row.name_enc).trim())
      }
    }
    if (rows.length < slice) break
    const last = rows[rows.length - 1]
    cursor = { at: Number(last.confirmed_at ?? 0), id: last.id }
    await nextTurn()
  }
  const byCountry = new Map<string, CountrySnapshot>()
  const collator = new Intl.Collator('en')
  // Sorted a country at a time, with a turn between countries; a country's leaves become Buffers in slices.
  for (const country of [...raw.keys()].sort()) {
    const list = raw.get(country)!
    raw.delete(country)
    list.sort()
    const leaves: Buffer[] = new Array(list.length)
    for (let i = 0; i < list.length; i++) {
      leaves[i] = Buffer.from(list[i], 'latin1')
      if ((i + 1) % (slice * 10) === 0) await nextTurn()
    }
    byCountry.set(country, { leaves, names: (names.get(country) ?? []).sort(collator.compare) })
    await nextTurn()
  }
  const countryTotal = [...byCountry.keys()].filter((c) => c !== ELSEWHERE).length
  return { takenAt: now, total, countryTotal, byCountry }
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
/** 60 random bits in Crockford base32, grouped for reading aloud: XXXX-XXXX-XXXX. */
export function newVerificationCode(): string {
  const bytes = randomBytes(12)
  let out = ''
  for (let i = 0; i < 12; i++) out += CROCKFORD[bytes[i] & 31]
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8)}`
}

export function normaliseCode(input: string): string | null {
  const plain = input.toUpperCase().replace(/[^0-9A-Z]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1')
  if (plain.length !== 12 || [...plain].some((c) => !CROCKFORD.includes(c))) return null
  return `${plain.slice(0, 4)}-${plain.slice(4, 8)}-${plain.slice(8)}`
}

export const verifyUrlFor = (appUrl: string, code: string) => `${appUrl}/verify/${code}`

export interface GenerateOptions {
  campaign: { id: string; slug: string }
  country: string
  /** the office of the state's mission the letter goes to; New York unless named (ADR 091) */
  office?: MissionOffice
  snapshot: CampaignSnapshot
  copy: Partial<Record<UnLang, LetterCopy>>
  settings: LetterSettings
  organiserId: string | null
}

/** Why a letter cannot be made; the organisers' pages show the message. */
export class LetterRefusal extends Error {
  constructor(
    readonly kind: 'no-sender' | 'no-signer',
    message: string,
  ) {
    super(message)
  }
}

export const NO_SENDER_MESSAGE = 'Set the sending organisation (name, postal address, contact email, who signs) before making letters.'

async function requireSettings(db: DB, campaignId: string): Promise<LetterSettings> {
  const settings = await getLetterSettings(db, campaignId)
  if (!settings) throw new LetterRefusal('no-sender', NO_SENDER_MESSAGE)
  return settings
}

/** Added to a letter's reference after the state's code: none for Headquarters. */
const OFFICE_REFERENCE: Record<MissionOffice, string> = { 'new-york': '', geneva: '-GVA', vienna: '-VIE', nairobi: '-NBO' }

/** Builds, renders, certifies and stores one new letter version. */
export async function generateLetter(deps: LetterDeps, o: GenerateOptions): Promise<LetterSummary> {
  const state = unState(o.country)
  if (!state) throw new Error(`Not a UN member or observer state: ${o.country}`)
  const office = o.office ?? 'new-york'
  const mission = await deps.db.selectFrom('missions').selectAll().where('country_code', '=', o.country).where('office', '=', office).executeTakeFirst()
  if (!mission) throw new Error(`No mission row for ${o.country} at ${office}`)
  const lang = mission.language as UnLang
  const languages: UnLang[] = lang === 'en' ? ['en'] : [lang, 'en']
  const missing = languages.filter((l) => !o.copy[l])
  if (missing.length) throw new Error(`The campaign has no letter copy in ${missing.join(', ')}`)

  const entry = o.snapshot.byCountry.get(o.country) ?? { leaves: [], names: [] }
  if (entry.leaves.length === 0 && !o.settings.writeWithoutSigners)
    throw new LetterRefusal('no-signer', `No one living in ${state.unName.short.en} has signed, and this campaign does not write to states with no signer.`)
  const previous = await deps.db
    .selectFrom('letter_versions')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('campaign_id', '=', o.campaign.id)
    .where('country_code', '=', o.country)
    .executeTakeFirst()
  const version = Number(previous?.v ?? 0) + 1
  const code = newVerificationCode()
  const createdAt = o.snapshot.takenAt
  // Versions count per state across its offices (the table's unique key); the reference names the
  // office when it is not New York, so two letters to one state are told apart at a glance.
  const reference = `${o.campaign.slug.toUpperCase()}/${state.alpha3}${OFFICE_REFERENCE[office]}/${new Date(createdAt).getUTCFullYear()}/${version}`
  const verifyUrl = verifyUrlFor(deps.config.appUrl, code)
  const facts = {
    state,
    headTitle: mission.head_title,
    city: mission.office,
    countryCount: entry.leaves.length,
    totalCount: o.snapshot.total,
    countryTotal: o.snapshot.countryTotal,
    date: createdAt,
    reference,
    code,
    verifyUrl,
    names: entry.names,
    sender: o.settings.sender,
  }
  // Paper signatures, when the campaign includes them: a sentence of their own, outside the certificate (ADR 134).
  const paper = await paperFigureForLetter(deps.db, o.campaign.id, o.country)
  const doc: LetterDocument = {
    title: o.copy[lang]!.title,
    letters: languages.map((l) => withPaperFigure(letterText(l, o.copy[l]!, facts), paper)),
  }
  const text = canonicalText(doc)
  const pdf = await renderWithVerification(deps, o, doc, code, verifyUrl, createdAt)
  const root = merkleRoot(entry.leaves)
  const key = platformSigningKey(deps.config)
  const id = randomUUID()
  // The letter cites its campaign log's checkpoint, and proves it extends the previous version's.
  const cp = o.snapshot.checkpoint
  const earlier = await earlierVersion(deps.db, o.campaign.id, o.country, cp)
  // Its own country's log entries, opened so anyone can recount the figure; never a state whose signers are at risk (ADR 129).
  // Read on the read worker (ADR 138): finding one country's signatures reads through the whole table, which froze the site for 2 s a letter at 1,000,000.
  const openings = !cp ? [] : (await isAtRisk(deps.db, o.campaign.id, o.country)) ? null : await countryOpeningsAt(deps.readDb ?? deps.db, deps.config, o.campaign.id, o.country, cp.size)
  const certificate: Certificate = {
    type: CERTIFICATE_TYPE,
    version: CERTIFICATE_VERSION,
    letterId: id,
    code,
    reference,
    campaign: o.campaign.slug,
    country: o.country,
    language: lang,
    letterVersion: version,
    createdAt: new Date(createdAt).toISOString(),
    countryCount: entry.leaves.length,
    totalCount: o.snapshot.total,
    countryTotal: o.snapshot.countryTotal,
    namedCount: entry.names.length,
    merkleRoot: root,
    leafCount: entry.leaves.length,
    pdfDigest: pdfDigest(recipientSalt(deps.config.secrets.HMAC_KEY, id), pdf),
    keyId: key.keyId,
    log: cp ? { size: cp.size, root: cp.root, checkpoint: cp.note, previous: earlier } : null,
    openings,
  }
  const signed = signCertificate(key, certificate)
  const row = {
    id,
    campaign_id: o.campaign.id,
    country_code: o.country,
    version,
    code,
    reference,
    language: lang,
    city: mission.office,
    country_count: certificate.countryCount,
    total_count: certificate.totalCount,
    country_total: certificate.countryTotal,
    named_count: certificate.namedCount,
    content_enc: deps.vault.encrypt(JSON.stringify(doc)),
    leaves: packLeaves(entry.leaves),
    merkle_root: root,
    certificate_json: JSON.stringify(signed.certificate),
    certificate_sig: signed.signature,
    // Kept private, for organisers' own checks; never published (ADR 080).
    text_sha256: fileSha256(Buffer.from(text)),
    // The PDF lists names: stored sealed, like the text beside it (ADR 086).
    pdf: deps.vault.sealBytes(pdf),
    pdf_sha256: fileSha256(pdf),
    created_by: o.organiserId,
    created_at: createdAt,
    log_size: cp?.size ?? null,
    log_root: cp?.root ?? null,
    addressee: null,
  }
  await deps.db.insertInto('letter_versions').values(row).execute()
  const { content_enc: _c, leaves: _l, pdf: _p, ...summary } = row
  return summary
}

/**
 * A letter to a UN office holder (ADR 090): the total and a table by country of residence, no name
 * at all, certified over every counted signature like a state's letter over its own.
 */
export async function generateUnLetter(deps: LetterDeps, o: Omit<GenerateOptions, 'country' | 'office'> & { addressee: string }): Promise<LetterSummary> {
  const addressee = await getUnAddressee(deps.db, o.addressee)
  if (!addressee) throw new Error(`No UN office holder ${o.addressee.slice(0, 60)}`)
  const lang: UnLetterLang = addressee.language === 'fr' ? 'fr' : 'en'
  const languages: UnLetterLang[] = lang === 'en' ? ['en'] : [lang, 'en']
  const missing = languages.filter((l) => !o.copy[l])
  if (missing.length) throw new Error(`The campaign has no letter copy in ${missing.join(', ')}`)
  const previous = await deps.db
    .selectFrom('letter_versions')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('campaign_id', '=', o.campaign.id)
    .where('country_code', '=', UN_COUNTRY)
    .executeTakeFirst()
  const version = Number(previous?.v ?? 0) + 1
  const code = newVerificationCode()
  const createdAt = o.snapshot.takenAt
  const reference = `${o.campaign.slug.toUpperCase()}/UN/${new Date(createdAt).getUTCFullYear()}/${version}`
  const verifyUrl = verifyUrlFor(deps.config.appUrl, code)
  const leaves = [...o.snapshot.byCountry.values()].flatMap((e) => e.leaves).sort(Buffer.compare)
  const facts = {
    addressee: {
      office: addressee.office,
      formOfAddress: addressee.form_of_address,
      personName: addressee.person_name,
      salutation: addressee.salutation,
      address: addressee.postal_address.split('\n').filter((l) => l.trim() !== ''),
    },
    byCountry: [...o.snapshot.byCountry].map(([code, e]) => ({ code, count: e.leaves.length })),
    totalCount: o.snapshot.total,
    countryTotal: o.snapshot.countryTotal,
    date: createdAt,
    reference,
    code,
    verifyUrl,
    sender: o.settings.sender,
  }
  const doc: LetterDocument = { title: o.copy[lang]!.title, letters: languages.map((l) => unLetterText(l, o.copy[l]!, facts)) }
  const text = canonicalText(doc)
  const cp = o.snapshot.checkpoint
  const pdf = await renderWithVerification(deps, o, doc, code, verifyUrl, createdAt)
  const root = merkleRoot(leaves)
  const key = platformSigningKey(deps.config)
  const id = randomUUID()
  const earlier = await earlierVersion(deps.db, o.campaign.id, UN_COUNTRY, cp)
  const certificate: Certificate = {
    type: CERTIFICATE_TYPE,
    version: CERTIFICATE_VERSION,
    letterId: id,
    code,
    reference,
    campaign: o.campaign.slug,
    country: UN_COUNTRY,
    language: lang,
    letterVersion: version,
    createdAt: new Date(createdAt).toISOString(),
    // Every counted signature is the UN letter's own: its tree holds them all.
    countryCount: leaves.length,
    totalCount: o.snapshot.total,
    countryTotal: o.snapshot.countryTotal,
    namedCount: 0,
    merkleRoot: root,
    leafCount: leaves.length,
    pdfDigest: pdfDigest(recipientSalt(deps.config.secrets.HMAC_KEY, id), pdf),
    keyId: key.keyId,
    log: cp ? { size: cp.size, root: cp.root, checkpoint: cp.note, previous: earlier } : null,
  }
  const signed = signCertificate(key, certificate)
  const row = {
    id,
    campaign_id: o.campaign.id,
    country_code: UN_COUNTRY,
    version,
    code,
    reference,
    language: lang,
    city: addressee.city,
    country_count: leaves.length,
    total_count: o.snapshot.total,
    country_total: o.snapshot.countryTotal,
    named_count: 0,
    content_enc: deps.vault.encrypt(JSON.stringify(doc)),
    leaves: packLeaves(leaves),
    merkle_root: root,
    certificate_json: JSON.stringify(signed.certificate),
    certificate_sig: signed.signature,
    text_sha256: fileSha256(Buffer.from(text)),
    pdf: deps.vault.sealBytes(pdf),
    pdf_sha256: fileSha256(pdf),
    created_by: o.organiserId,
    created_at: createdAt,
    log_size: cp?.size ?? null,
    log_root: cp?.root ?? null,
    addressee: addressee.id,
  }
  await deps.db.insertInto('letter_versions').values(row).execute()
  const { content_enc: _c, leaves: _l, pdf: _p, ...summary } = row
  return summary
}

/** The country_code of a letter to a UN office holder: not a state, so no mission page or link uses it. */
export const UN_COUNTRY = 'UN'

// --- Targets: what one letter goes to -------------------------------------------------------------

/**
 * One letter's addressee as a short string, the form jobs and forms carry: a state's code for its
 * New York mission ("IR"), the code and office for another ("IR@geneva"), or "UN:" and the id of a
 * UN office holder ("UN:secretary-general"). Job failures record it in their country_code column.
 */
export type LetterTarget = { kind: 'mission'; country: string; office: MissionOffice } | { kind: 'un'; addressee: string }

const OFFICES: readonly MissionOffice[] = ['new-york', 'geneva', 'vienna', 'nairobi']

export function parseTarget(raw: string): LetterTarget | null {
  if (raw.startsWith('UN:')) {
    const id = raw.slice(3)
    return /^[a-z0-9-]{1,60}$/.test(id) ? { kind: 'un', addressee: id } : null
  }
  const [country, office = 'new-york', extra] = raw.split('@')
  if (extra !== undefined || !unState(country) || !(OFFICES as readonly string[]).includes(office)) return null
  return { kind: 'mission', country, office: office as MissionOffice }
}

export function targetKey(t: LetterTarget): string {
  if (t.kind === 'un') return `UN:${t.addressee}`
  return t.office === 'new-york' ? t.country : `${t.country}@${t.office}`
}

/** A stored letter's target. */
export function letterTarget(l: Pick<LetterSummary, 'country_code' | 'city' | 'addressee'>): string {
  return l.addressee ? `UN:${l.addressee}` : targetKey({ kind: 'mission', country: l.country_code, office: l.city as MissionOffice })
}

/** Every letter a campaign writes: the chosen UN office holders, then each state at each chosen office. */
export async function campaignTargets(db: DB, campaignId: string, settings: LetterSettings | null): Promise<string[]> {
  const offices = settings?.offices ?? ['new-york']
  const un = await db.selectFrom('campaign_un_addressees').select('addressee_id').where('campaign_id', '=', campaignId).orderBy('addressee_id').execute()
  return [...un.map((u) => `UN:${u.addressee_id}`), ...UN_STATES.flatMap((s) => offices.map((office) => targetKey({ kind: 'mission', country: s.code, office })))]
}

async function generateTarget(deps: LetterDeps, target: string, o: Omit<GenerateOptions, 'country' | 'office'>, generate: typeof generateLetter = generateLetter) {
  const t = parseTarget(target)
  if (!t) throw new Error(`Not a letter target: ${target.slice(0, 40)}`)
  if (t.kind === 'un') return generateUnLetter(deps, { ...o, addressee: t.addressee })
  return generate(deps, { ...o, country: t.country, office: t.office })
}

export async function generateOne(deps: LetterDeps, campaign: { id: string; slug: string }, target: string, organiserId: string | null) {
  const settings = await requireSettings(deps.db, campaign.id)
  const snapshot = await takeSnapshot(deps, campaign.id)
  const copy = await getLetterCopy(deps.db, campaign.id)
  return generateTarget(deps, target, { campaign, snapshot, copy, settings, organiserId })
}

/** Tries per letter before a job records it as failed and goes on with the next state. */
export const LETTER_ATTEMPTS = 2

/**
 * Generates every state's letter from one snapshot, reporting progress on the job row. One state's
 * failure never stops the others: its letter is tried again, then recorded in
 * letter_job_failures with the reason, and the job ends 'failed' naming how many and which.
 * Every write is of this run only: once another process has resumed the job (ADR 130), this run's
 * writes match nothing and it stops.
 */
export async function runLetterJob(
  deps: LetterDeps,
  jobId: string,
  campaign: { id: string; slug: string },
  organiserId: string | null,
  targets?: readonly string[],
  generate: typeof generateLetter = generateLetter,
) {
  const run = (await deps.db.selectFrom('letter_jobs').select('resumes').where('id', '=', jobId).executeTakeFirst())?.resumes ?? 0
  const ours = () => deps.db.updateTable('letter_jobs').where('id', '=', jobId).where('status', '=', 'running').where('resumes', '=', run)
  // The heartbeat beats on a timer, not per letter: one letter of 100,000 names takes minutes.
  const beat = setInterval(() => {
    ours().set({ heartbeat_at: Date.now() }).execute().catch(() => {})
  }, JOB_STALE_MS / 4)
  beat.unref()
  try {
    const settings = await requireSettings(deps.db, campaign.id)
    const snapshot = await takeSnapshot(deps, campaign.id)
    const copy = await getLetterCopy(deps.db, campaign.id)
    const countries = targets ?? (await campaignTargets(deps.db, campaign.id, settings))
    // States with no signer get a letter only if the organisers chose so; UN office holders always do.
    const hasSigners = (target: string) => {
      const t = parseTarget(target)
      return t?.kind !== 'mission' || (snapshot.byCountry.get(t.country)?.leaves.length ?? 0) > 0
    }
    const chosen = settings.writeWithoutSigners ? countries : countries.filter(hasSigners)
    if (!(await stillOurs(ours().set({ total: chosen.length, done: 0, heartbeat_at: Date.now() })))) return
    let done = 0
    const failed: string[] = []
    for (const country of chosen) {
      let error: string | null = null
      for (let attempt = 1; attempt <= LETTER_ATTEMPTS; attempt++) {
        try {
          await generateTarget(deps, country, { campaign, snapshot, copy, settings, organiserId }, generate)
          error = null
          break
        } catch (e) {
          error = ((e as Error).message || String(e)).slice(0, 300)
        }
      }
      if (error === null) done++
      else {
        failed.push(country)
        await deps.db
          .insertInto('letter_job_failures')
          .values({ job_id: jobId, country_code: country, error, attempts: LETTER_ATTEMPTS, failed_at: Date.now() })
          .onConflict((oc) => oc.columns(['job_id', 'country_code']).doUpdateSet({ error, attempts: LETTER_ATTEMPTS, failed_at: Date.now() }))
          .execute()
      }
      if (!(await stillOurs(ours().set({ done, heartbeat_at: Date.now() })))) return
    }
    await ours()
      .set({
        status: failed.length ? 'failed' : 'done',
        done,
        error: failed.length ? `${failed.length} of ${chosen.length} letters could not be made: ${failed.join(', ')}`.slice(0, 300) : null,
        finished_at: Date.now(),
      })
      .execute()
  } catch (error) {
    await ours()
      .set({ status: 'failed', error: (error as Error).message.slice(0, 300), finished_at: Date.now() })
      .execute()
  } finally {
    clearInterval(beat)
  }
}

/** Whether an update of the job matched its row: not once another process took the job over. */
async function stillOurs(update: { executeTakeFirst(): Promise<{ numUpdatedRows: bigint }> }) {
  return Number((await update.executeTakeFirst()).numUpdatedRows) > 0
}

/** The states a job could not make a letter for, with the reason, in the order of the job. */
export function jobFailures(db: DB, jobId: string) {
  return db
    .selectFrom('letter_job_failures')
    .select(['country_code', 'error', 'attempts', 'failed_at'])
    .where('job_id', '=', jobId)
    .orderBy('failed_at')
    .orderBy('country_code')
    .execute()
}

/**
 * Starts generating all letters of a campaign in the background and returns the job's id; while a
 * job runs for the campaign, that one is returned instead of starting another.
 */
export async function startLetterJob(
  deps: LetterDeps,
  campaign: { id: string; slug: string },
  organiserId: string | null,
  targets?: readonly string[],
): Promise<{ jobId: string; done: Promise<void> }> {
  const running = await deps.db
    .selectFrom('letter_jobs')
    .select('id')
    .where('campaign_id', '=', campaign.id)
    .where('status', '=', 'running')
    .executeTakeFirst()
  if (running) return { jobId: running.id, done: Promise.resolve() }
  const jobId = randomUUID()
  const countries = targets ?? (await campaignTargets(deps.db, campaign.id, await getLetterSettings(deps.db, campaign.id)))
  await deps.db
    .insertInto('letter_jobs')
    .values({
      id: jobId,
      campaign_id: campaign.id,
      status: 'running',
      total: countries.length,
      done: 0,
      error: null,
      created_by: organiserId,
      started_at: Date.now(),
      finished_at: null,
      heartbeat_at: Date.now(),
      // Kept, so a run resumed after a restart writes to the same targets (ADR 130).
      targets_json: JSON.stringify(countries),
    })
    .execute()
  const done = runLetterJob(deps, jobId, campaign, organiserId, countries)
  return { jobId, done }
}

/** A running job's heartbeat moves at least this often; one silent for longer was interrupted. */
export const JOB_STALE_MS = 2 * 60_000

/** Runs in a row that stopped without making more letters than the best before, after which a job is given up. */
export const MAX_STALLED_RESUMES = 3

/** The jobs left 'running' whose heartbeat is older than `staleBefore`: their process stopped. */
export function interruptedJobs(db: DB, staleBefore = Date.now() - JOB_STALE_MS) {
  return db
    .selectFrom('letter_jobs as j')
    .innerJoin('campaigns as c', 'c.id', 'j.campaign_id')
    .select(['j.id', 'j.campaign_id', 'c.slug', 'j.created_by', 'j.targets_json', 'j.total', 'j.done', 'j.resumes', 'j.best_done', 'j.stalled_resumes', 'j.heartbeat_at', 'j.started_at'])
    .where('j.status', '=', 'running')
    .where((eb) => eb(eb.fn.coalesce('j.heartbeat_at', 'j.started_at'), '<', staleBefore))
    .orderBy('j.started_at')
    .execute()
}
type InterruptedJob = Awaited<ReturnType<typeof interruptedJobs>>[number]

/**
 * Claims a job `interruptedJobs` found and runs it again here, under its own id, from a fresh
 * snapshot (ADR 130). The claim is a conditional update on its status and the heartbeat it was
 * found with, so of two processes that found it only one takes it; null for the other. A job whose
 * runs keep stopping with no more letters made than before is marked failed instead (null too).
 */
export async function resumeJob(deps: LetterDeps, job: InterruptedJob): Promise<{ jobId: string; done: Promise<void> } | null> {
  // A first stop, or one after more letters than any run before, is progress; a run that got no further is not.
  const stalled = job.resumes === 0 || job.done > job.best_done ? 0 : job.stalled_resumes + 1
  const best = Math.max(job.done, job.best_done)
  const now = Date.now()
  const claim = deps.db
    .updateTable('letter_jobs')
    .where('id', '=', job.id)
    .where('status', '=', 'running')
    .where((eb) => eb(eb.fn.coalesce('heartbeat_at', 'started_at'), '=', job.heartbeat_at ?? job.started_at))
  if (stalled >= MAX_STALLED_RESUMES) {
    const error = `Resumed ${stalled} times after a restart, never getting past ${best} of ${job.total} letters: one of them may be stopping the server. Start the job again once that is fixed.`
    await claim.set({ status: 'failed', error, finished_at: now }).execute()
    return null
  }
  const taken = await stillOurs(claim.set((eb) => ({ heartbeat_at: now, resumed_at: now, resumes: eb('resumes', '+', 1), stalled_resumes: stalled, best_done: best, done: 0 })))
  if (!taken) return null
  // The run starts over: the failures recorded are of the stopped one.
  await deps.db.deleteFrom('letter_job_failures').where('job_id', '=', job.id).execute()
  const targets = job.targets_json === null ? undefined : (JSON.parse(job.targets_json) as string[])
  return { jobId: job.id, done: runLetterJob(deps, job.id, { id: job.campaign_id, slug: job.slug }, job.created_by, targets) }
}

/** Resumes every job a stopped process left running (see `resumeJob`); another process's job that is still moving is left alone. */
export async function resumeInterruptedJobs(deps: LetterDeps, staleBefore?: number) {
  const resumed: { jobId: string; done: Promise<void> }[] = []
  for (const job of await interruptedJobs(deps.db, staleBefore)) {
    const run = await resumeJob(deps, job)
    if (run) resumed.push(run)
  }
  return resumed
}

export function getJob(db: DB, jobId: string) {
  return db.selectFrom('letter_jobs').selectAll().where('id', '=', jobId).executeTakeFirst()
}

export function latestJob(db: DB, campaignId: string) {
  return db.selectFrom('letter_jobs').selectAll().where('campaign_id', '=', campaignId).orderBy('started_at', 'desc').limit(1).executeTakeFirst()
}

/** The newest version of each letter: per state and office, and per UN office holder. */
export async function latestLetters(db: DB, campaignId: string): Promise<LetterSummary[]> {
  const rows = await db
    .selectFrom('letter_versions as lv')
    .select(LETTER_COLUMNS.map((c) => `lv.${c}` as const))
    .where('lv.campaign_id', '=', campaignId)
    .where(({ eb, selectFrom }) =>
      eb(
        'lv.version',
        '=',
        selectFrom('letter_versions as l2')
          .select((e) => e.fn.max('l2.version').as('m'))
          .whereRef('l2.campaign_id', '=', 'lv.campaign_id')
          .whereRef('l2.country_code', '=', 'lv.country_code')
          .whereRef('l2.city', '=', 'lv.city')
          .where(sql<boolean>`coalesce(l2.addressee, '') = coalesce(lv.addressee, '')`),
      ),
    )
    .orderBy('lv.country_code')
    .orderBy('lv.city')
    .orderBy('lv.addressee')
    .execute()
  return rows
}

/** Every version of the letter to one addressee: a state's mission at one office, or one UN office holder. */
export function letterHistory(db: DB, campaignId: string, of: Pick<LetterSummary, 'country_code' | 'city' | 'addressee'>): Promise<LetterSummary[]> {
  return db
    .selectFrom('letter_versions')
    .select(LETTER_COLUMNS)
    .where('campaign_id', '=', campaignId)
    .where('country_code', '=', of.country_code)
    .where('city', '=', of.city)
    .where(sql<boolean>`coalesce(addressee, '') = ${of.addressee ?? ''}`)
    .orderBy('version', 'desc')
    .execute()
}

export function getLetter(db: DB, id: string): Promise<LetterSummary | undefined> {
  return db.selectFrom('letter_versions').select(LETTER_COLUMNS).where('id', '=', id).executeTakeFirst()
}

export function getLetterByCode(db: DB, code: string): Promise<LetterSummary | undefined> {
  return db.selectFrom('letter_versions').select(LETTER_COLUMNS).where('code', '=', code).executeTakeFirst()
}

export async function getLetterPdf(db: DB, vault: Vault, id: string): Promise<Buffer | null> {
  const row = await db.selectFrom('letter_versions').select('pdf').where('id', '=', id).executeTakeFirst()
  return row ? openPdf(vault, row.pdf) : null
}

/** Seals letter PDFs stored in clear before ADR 086, a few at a time; returns how many it sealed. */
export async function sealStoredPdfs(db: DB, vault: Vault, batch = 20): Promise<number> {
  let sealed = 0
  let after = ''
  for (;;) {
    const rows = await db.selectFrom('letter_versions').select(['id', 'pdf']).where('id', '>', after).orderBy('id').limit(batch).execute()
    if (rows.length === 0) return sealed
    await nextTurn()
    for (const row of rows) {
      if (isSealed(row.pdf)) continue
      const result = await db.updateTable('letter_versions').set({ pdf: vault.sealBytes(row.pdf) }).where('id', '=', row.id).where('pdf', '=', row.pdf).executeTakeFirst()
      sealed += Number(result.numUpdatedRows)
    }
    after = rows[rows.length - 1].id
  }
}

export async function getLetterDocument(db: DB, vault: Vault, id: string): Promise<LetterDocument | null> {
  const row = await db.selectFrom('letter_versions').select('content_enc').where('id', '=', id).executeTakeFirst()
  return row ? (JSON.parse(vault.decrypt(row.content_enc)) as LetterDocument) : null
}

/** The signed certificate as published: no salt, so nothing in it lets a guessed annex be confirmed. */
export function signedCertificateOf(letter: Pick<LetterVersion, 'certificate_json' | 'certificate_sig'>): SignedCertificate {
  return { certificate: JSON.parse(letter.certificate_json) as Certificate, algorithm: 'Ed25519', signature: letter.certificate_sig }
}

/** The recipient's copy: the same signed certificate with the salt that lets them check the PDF. */
export function recipientCertificateOf(
  config: Pick<AppConfig, 'secrets'>,
  letter: Pick<LetterVersion, 'id' | 'certificate_json' | 'certificate_sig'>,
): SignedCertificate {
  const signed = signedCertificateOf(letter)
  if (signed.certificate.version === 1) return signed
  return { ...signed, recipientSalt: recipientSalt(config.secrets.HMAC_KEY, letter.id).toString('base64') }
}

export const letterFileName = (l: Pick<LetterVersion, 'country_code' | 'version' | 'language'> & Partial<Pick<LetterVersion, 'city' | 'addressee'>>) =>
  `letter-${l.addressee ? `UN-${l.addressee}` : l.country_code}${!l.addressee && l.city && l.city !== 'new-york' ? `-${l.city}` : ''}-v${l.version}-${l.language}`

// --- A signer's own check ---------------------------------------------------------------------

export type InclusionResult =
  | { kind: 'invalid' }
  | { kind: 'no-letter'; campaignSlug: string; country: string; log: SignerLogStatus }
  | { kind: 'not-included'; campaignSlug: string; country: string; letter: LetterSummary; log: SignerLogStatus }
  | { kind: 'included'; campaignSlug: string; country: string; letter: LetterSummary; leaf: string; proof: ProofStep[]; log: SignerLogStatus }

/**
 * From the private link in a signer's email: is their signature among those certified in the
 * newest letter to their country's mission? The answer holds their own leaf and its audit path
 * only: sibling hashes, from which nothing about other signers can be learnt.
 */
export async function checkInclusion(deps: LetterDeps, token: string, now = Date.now()): Promise<InclusionResult> {
  if (!token || token.length > 128) return { kind: 'invalid' }
  const row = isLinkMac(token) ? await inclusionByMac(deps, token, now) : await deps.db
    .selectFrom('tokens')
    .innerJoin('signatures', 'signatures.id', 'tokens.signature_id')
    .innerJoin('campaigns', 'campaigns.id', 'signatures.campaign_id')
    .select(['signatures.id as signatureId', 'signatures.country_code as country', 'campaigns.id as campaignId', 'campaigns.slug as slug', 'tokens.expires_at'])
    .where('tokens.token_hash', '=', hashToken(token))
    .where('tokens.purpose', '=', 'inclusion')
    .executeTakeFirst()
  if (!row || row.expires_at <= now) return { kind: 'invalid' }
  const latest = await deps.db
    .selectFrom('letter_versions')
    .select([...LETTER_COLUMNS, 'leaves'])
    .where('campaign_id', '=', row.campaignId)
    .where('country_code', '=', row.country)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst()
  const log = await signerLogStatus(deps.db, deps.config, row.campaignId, row.signatureId, latest ?? null)
  if (!latest) return { kind: 'no-letter', campaignSlug: row.slug, country: row.country, log }
  const { leaves, ...letter } = latest
  const leaf = leafFor(commitmentKey(deps.config.secrets.HMAC_KEY), row.signatureId)
  const proof = inclusionProof(unpackLeaves(Buffer.from(leaves)), leaf)
  if (!proof) return { kind: 'not-included', campaignSlug: row.slug, country: row.country, letter, log }
  return { kind: 'included', campaignSlug: row.slug, country: row.country, letter, leaf: leaf.toString('hex'), proof, log }
}

/** The signature an inclusion MAC (ADR 120) names, if the MAC holds and has not expired; shaped as a stored token's row. */
async function inclusionByMac(deps: LetterDeps, token: string, now: number) {
  const claims = readLinkToken(deps.vault.linkKeys, token, 'inclusion', now)
  if (!claims || claims.expiresAt === null) return undefined
  const row = await deps.db
    .selectFrom('signatures')
    .innerJoin('campaigns', 'campaigns.id', 'signatures.campaign_id')
    .select(['signatures.id as signatureId', 'signatures.country_code as country', 'campaigns.id as campaignId', 'campaigns.slug as slug'])
    .where('signatures.id', '=', claims.signatureId)
    .executeTakeFirst()
  return row ? { ...row, expires_at: claims.expiresAt } : undefined
}

/** A campaign by slug, whatever its status, with its English title: for organisers' pages. */
export async function campaignForLetters(db: DB, slug: string) {
  const row = await db
    .selectFrom('campaigns')
    .leftJoin('campaign_translations as t', (j) => j.onRef('t.campaign_id', '=', 'campaigns.id').on('t.locale', '=', 'en'))
    .select(['campaigns.id', 'campaigns.slug', 't.title'])
    .where('campaigns.slug', '=', slug)
    .executeTakeFirst()
  return row ? { id: row.id, slug: row.slug, title: row.title ?? row.slug } : null
}

/** The QR code of a verification URL as SVG, base64-encoded for an img data URL. */
export async function qrSvgBase64(url: string): Promise<string> {
  const svg = await (await qrcode()).toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
  return Buffer.from(svg).toString('base64')
}

/**
 * The last version to this addressee that cited a checkpoint, with a proof that `cp` extends it: a
 * new version shows it did not rewrite what the earlier one counted. Null for a first version.
 */
async function earlierVersion(db: DB, campaignId: string, countryCode: string, cp: { size: number } | null | undefined) {
  const before = await db
    .selectFrom('letter_versions')
    .select(['code', 'log_size', 'log_root'])
    .where('campaign_id', '=', campaignId)
    .where('country_code', '=', countryCode)
    .where('log_size', 'is not', null)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (!before || !cp || before.log_size === null || before.log_root === null || Number(before.log_size) > cp.size) return null
  return {
    code: before.code,
    logSize: Number(before.log_size),
    logRoot: before.log_root,
    consistency: (await proveConsistency(db, campaignId, Number(before.log_size), cp.size)).map((h) => h.toString('base64')),
  }
}

/** The PDF of a letter: its QR code to /verify, and the checkpoint it cites with the log's key. */
async function renderWithVerification(
  deps: LetterDeps,
  o: { campaign: { slug: string }; settings: { sender: { name: string } }; snapshot: { checkpoint: { size: number; root: string } | null | undefined } },
  doc: LetterDocument,
  code: string,
  verifyUrl: string,
  createdAt: number,
) {
  const qrPng = await (await qrcode()).toDataURL(verifyUrl, { errorCorrectionLevel: 'M', margin: 1, width: 240 })
  const cited = o.snapshot.checkpoint
  const logKey = cited ? logSigner(deps.config, logOrigin(deps.config.appUrl, o.campaign.slug)).verifierKey : null
  return drawLetterPdf({
    doc,
    code,
    verifyUrl,
    qrPng,
    author: o.settings.sender.name,
    createdAt: new Date(createdAt),
    log: cited && logKey ? { size: cited.size, root: cited.root, key: logKey } : undefined,
  })
}
