import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import { z } from 'zod'
import { UN_STATES } from '~/data/un-states'
import type { DB, Mission, MissionOffice } from '~/db.server'
import { unState } from '~/utils/countries'
import { isMissionOffice, MISSION_OFFICES, MissionUpdateSchema, SEEDED_OFFICES, type MissionOfficeName } from '~/utils/mission-schema'

export { MissionUpdateSchema }

/**
 * Creates a New York and a Geneva mission row for every state that lacks one (ADR 091); rows
 * organisers edited are left alone. Both start in the state's correspondence language.
 */
export async function seedMissions(db: DB, now = Date.now()): Promise<number> {
  const existing = new Set((await db.selectFrom('missions').select(['country_code', 'office']).execute()).map((r) => `${r.country_code}/${r.office}`))
  const wanted = UN_STATES.flatMap((s) => SEEDED_OFFICES.map((office) => ({ s, office })))
  const rows = wanted.filter(({ s, office }) => !existing.has(`${s.code}/${office}`)).map(({ s, office }) => ({
    country_code: s.code,
    office,
    status: s.status,
    head_title: s.status === 'observer' ? ('observer' as const) : ('representative' as const),
    language: s.correspondenceLanguage,
    language_confidence: s.correspondenceConfidence,
    postal_address: '',
    emails: '',
    notes: '',
    updated_at: now,
    updated_by: null,
  }))
  // SQLite caps bound parameters per statement: insert in slices.
  for (let i = 0; i < rows.length; i += 50) {
    await db.insertInto('missions').values(rows.slice(i, i + 50)).onConflict((oc) => oc.columns(['country_code', 'office']).doNothing()).execute()
  }
  return rows.length
}

export function listMissions(db: DB): Promise<Mission[]> {
  return db.selectFrom('missions').selectAll().orderBy('country_code').orderBy('office').execute()
}

/** A state's mission at one office; New York unless another is named. */
export function getMission(db: DB, code: string, office: MissionOffice = 'new-york'): Promise<Mission | undefined> {
  return db.selectFrom('missions').selectAll().where('country_code', '=', code).where('office', '=', office).executeTakeFirst()
}

/**
 * Adds a state's mission at an office it has no row for yet (Vienna, Nairobi), starting from its New
 * York row's title and language; returns false if there is already one or the state is unknown.
 */
export async function addMissionOffice(db: DB, code: string, office: MissionOfficeName, organiserId: string | null, now = Date.now()): Promise<boolean> {
  const base = await getMission(db, code)
  if (!base || (await getMission(db, code, office))) return false
  await db
    .insertInto('missions')
    .values({ ...base, office, postal_address: '', emails: '', notes: '', updated_at: now, updated_by: organiserId })
    .onConflict((oc) => oc.columns(['country_code', 'office']).doNothing())
    .execute()
  return true
}

export function missionEmails(mission: Pick<Mission, 'emails'>): string[] {
  return mission.emails
    .split(/[,;\s]+/)
    .map((e) => e.trim())
    .filter(Boolean)
}

export type MissionUpdate = z.infer<typeof MissionUpdateSchema>

export async function updateMission(db: DB, code: string, office: MissionOffice, update: MissionUpdate, organiserId: string | null, now = Date.now()) {
  const before = await getMission(db, code, office)
  if (!before) return null
  await db
    .updateTable('missions')
    .set({
      head_title: update.headTitle,
      language: update.language,
      // Any organiser save is a confirmation of the language, whether it changed or not.
      language_confidence: 'set',
      postal_address: update.postalAddress,
      emails: update.emails,
      notes: update.notes,
      updated_at: now,
      updated_by: organiserId,
    })
    .where('country_code', '=', code)
    .where('office', '=', office)
    .execute()
  return before
}

export const CSV_COLUMNS = ['country_code', 'office', 'name', 'status', 'head_title', 'language', 'language_confidence', 'postal_address', 'emails', 'notes'] as const

/**
 * A spreadsheet opens a cell starting with = + - @ (or a tab or carriage return) as a formula:
 * such a cell is written with a leading apostrophe, which spreadsheets show as text.
 */
export function neutraliseCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

/** The apostrophe our export added is taken off again, so a round trip changes nothing. */
export function restoreCell(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value
}

export function missionsToCsv(missions: Mission[]): string {
  const rows = missions.map((m) => [
    m.country_code,
    m.office,
    unState(m.country_code)?.unName.short.en ?? m.country_code,
    m.status,
    m.head_title,
    m.language,
    m.language_confidence,
    m.postal_address,
    m.emails,
    m.notes,
  ].map((v) => neutraliseCell(String(v))))
  return stringify([[...CSV_COLUMNS], ...rows], { record_delimiter: '\r\n' })
}

export interface CsvProblem {
  line: number
  message: string
}

const ImportRowSchema = MissionUpdateSchema.extend({ countryCode: z.string() })

/**
 * Reads a missions CSV (as exported, columns in any order; name, status and confidence are ignored)
 * and applies it only if every row is valid: a half-applied directory is worse than none. A row
 * names its office; a file exported before offices existed has a `city` column instead, read as the
 * office. A row for an office the state has no mission at yet adds one.
 */
export async function importMissionsCsv(db: DB, csv: string, organiserId: string | null, now = Date.now()): Promise<{ ok: true; updated: number } | { ok: false; problems: CsvProblem[] }> {
  let records: Record<string, string>[]
  try {
    records = parse(csv.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true, relax_column_count: false })
  } catch (error) {
    return { ok: false, problems: [{ line: 0, message: `Not a valid CSV file: ${(error as Error).message.slice(0, 200)}` }] }
  }
  if (records.length === 0) return { ok: false, problems: [{ line: 0, message: 'The file has no rows.' }] }
  const header = Object.keys(records[0])
  const officeColumn = header.includes('office') ? 'office' : 'city'
  const required = ['country_code', 'head_title', 'language', officeColumn]
  const missing = required.filter((c) => !header.includes(c)).map((c) => (c === 'city' ? 'office' : c))
  if (missing.length) return { ok: false, problems: [{ line: 1, message: `Missing columns: ${missing.join(', ')}` }] }

  const problems: CsvProblem[] = []
  const updates: { code: string; office: MissionOfficeName; update: MissionUpdate }[] = []
  const seen = new Set<string>()
  records.forEach((raw, i) => {
    const line = i + 2
    const cell = (name: string) => restoreCell(raw[name] ?? '')
    const code = cell('country_code').toUpperCase()
    if (!unState(code)) return void problems.push({ line, message: `Unknown country code "${code.slice(0, 10)}"` })
    const office = cell(officeColumn).toLowerCase()
    if (!isMissionOffice(office)) return void problems.push({ line, message: `${code} office: must be one of ${MISSION_OFFICES.join(', ')}` })
    if (seen.has(`${code}/${office}`)) return void problems.push({ line, message: `${code} (${office}) appears twice` })
    seen.add(`${code}/${office}`)
    const parsed = ImportRowSchema.safeParse({
      countryCode: code,
      headTitle: cell('head_title'),
      language: cell('language'),
      postalAddress: cell('postal_address'),
      emails: cell('emails'),
      notes: cell('notes'),
    })
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ line, message: `${code} ${issue.path.join('.')}: ${issue.message}` })
      return
    }
    const { countryCode: _, ...update } = parsed.data
    updates.push({ code, office, update })
  })
  if (problems.length) return { ok: false, problems: problems.slice(0, 50) }
  await db.transaction().execute(async (trx) => {
    for (const { code, office, update } of updates) {
      await addMissionOffice(trx, code, office, organiserId, now)
      await updateMission(trx, code, office, update, organiserId, now)
    }
  })
  return { ok: true, updated: updates.length }
}
