import type { DB } from '~/db.server'
import { organiserName } from '~/models/organiser.server'
import type { Vault } from '~/infra/vault.server'

export interface AuditRow {
  id: string
  at: number
  who: string
  action: string
  target: string | null
  details: Record<string, unknown>
}

/**
 * One page of the audit log, newest first, with organisers and campaigns named. Targets are
 * stored as ids ("organiser:<id>", "campaign:<id>", or a bare organiser id from the CLI) so a
 * renamed campaign or organiser still reads right.
 */
export async function listAudit(db: DB, vault: Vault, { page, perPage }: { page: number; perPage: number }) {
  const [rows, total] = await Promise.all([
    db
      .selectFrom('audit_log')
      .leftJoin('organisers', 'organisers.id', 'audit_log.organiser_id')
      .select([
        'audit_log.id',
        'audit_log.created_at',
        'audit_log.action',
        'audit_log.target',
        'audit_log.details_json',
        'audit_log.organiser_id',
        'organisers.name',
        'organisers.name_enc',
        'organisers.email_enc',
      ])
      .orderBy('audit_log.created_at', 'desc')
      .orderBy('audit_log.id', 'desc')
      .limit(perPage)
      .offset((page - 1) * perPage)
      .execute(),
    db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])

  const ids = rows.map((r) => r.target?.replace(/^(organiser|campaign):/, '')).filter((x): x is string => !!x)
  const [organisers, campaigns] = ids.length
    ? await Promise.all([
        db.selectFrom('organisers').select(['id', 'name', 'name_enc', 'email_enc']).where('id', 'in', ids).execute(),
        db.selectFrom('campaigns').select(['id', 'slug']).where('id', 'in', ids).execute(),
      ])
    : [[], []]
  const person = (o: { name: string | null; name_enc: string | null }, emailEnc: string) => {
    const email = vault.decrypt(emailEnc)
    const name = organiserName(vault, o)
    return name ? `${name} <${email}>` : email
  }
  const names = new Map<string, string>([
    ...organisers.map((o) => [o.id, `organiser ${person(o, o.email_enc)}`] as [string, string]),
    ...campaigns.map((c) => [c.id, `campaign ${c.slug}`] as [string, string]),
  ])

  const entries: AuditRow[] = rows.map((r) => {
    const targetId = r.target?.replace(/^(organiser|campaign):/, '') ?? null
    return {
      id: r.id,
      at: r.created_at,
      who: r.email_enc ? person({ name: r.name, name_enc: r.name_enc }, r.email_enc) : r.organiser_id ? 'a deleted organiser' : 'the command line',
      action: r.action,
      target: targetId ? (names.get(targetId) ?? r.target) : null,
      details: JSON.parse(r.details_json) as Record<string, unknown>,
    }
  })
  return { entries, total: Number(total.n), pages: Math.max(1, Math.ceil(Number(total.n) / perPage)) }
}
