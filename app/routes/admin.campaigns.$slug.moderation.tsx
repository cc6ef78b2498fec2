import { parseWithZod } from '@conform-to/zod/v4'
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import {
  applyRule,
  fraudFlags,
  invalidateSignatures,
  listBatches,
  previewRule,
  restoreSignatures,
  RULE_SLICE,
  ruleIsEmpty,
  searchSignatures,
  signatureHistory,
  undoBatch,
  type InvalidationRule,
} from '~/models/moderation.server'
import { audit } from '~/models/organiser.server'
import { organiserCampaign } from '~/use-cases/organiser-campaign.server'
import { countryName, countryOptions } from '~/utils/countries'
import { formatUtc, ruleFromParams, RuleSchema, SearchSchema, toInputValue } from '~/utils/moderation-params'
import { DataTable } from '~/components/admin/data-table'

export const meta = () => [{ title: 'Moderation · Organisers' }, { name: 'robots', content: 'noindex' }]

const load = (request: Request, context: LoaderFunctionArgs['context'], slug: string) => organiserCampaign(request, context, slug, 'organiser')

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { organiser, campaign } = await load(request, context, params.slug!)
  // The heavy reads go to the read connection, off the serving thread (ADR 111); audit rows are written on db.
  const { db, readDb, vault } = context
  const url = new URL(request.url)
  const sp = Object.fromEntries(url.searchParams)
  const search = SearchSchema.safeParse(sp)
  const ruleParsed = RuleSchema.safeParse(sp)

  const q = search.success ? search.data : null
  const query = q
    ? { email: q.email, name: q.name, country: q.country, domain: q.domain, ipHash: q.ip, from: q.from, to: q.to, status: q.status, mismatch: q.mismatch }
    : null
  const searching = query !== null && Object.values(query).some((v) => v !== undefined && v !== false)
  const results = searching ? await searchSignatures(readDb, vault, campaign.id, query!) : null
  if (results) {
    // Every search lists people, whatever its criteria: recorded (which criteria, never their values; ADR 087).
    await audit(db, {
      organiserId: organiser.id,
      action: 'signatures.search',
      target: campaign.id,
      details: { by: Object.entries(query!).filter(([, v]) => v !== undefined && v !== false).map(([k]) => k), found: results.rows.length },
      ipHash: context.clientIpHash,
    })
  }
  const rule: InvalidationRule | null = ruleParsed.success ? ruleFromParams(ruleParsed.data) : null
  const preview = rule && !ruleIsEmpty(rule) ? await previewRule(readDb, vault, campaign.id, rule) : null
  const history = sp.signature ? await signatureHistory(readDb, vault, campaign.id, sp.signature) : null
  if (history) {
    await audit(db, { organiserId: organiser.id, action: 'signature.view', target: sp.signature, details: { campaignId: campaign.id }, ipHash: context.clientIpHash })
  }
  // Read in constant time once they are slow to compute (ADR 141); a first computation is waited for 5 s.
  const [flags, batches] = await Promise.all([
    context.figures.fraud.read(campaign.id, () => fraudFlags(context.figuresDb, vault, campaign.id, context.config.fraud), 5000),
    listBatches(readDb, vault, campaign.id),
  ])

  return json(
    {
      campaign,
      countries: countryOptions('en'),
      errors: [...(search.success ? [] : search.error.issues), ...(ruleParsed.success ? [] : ruleParsed.error.issues)].map((i) => i.message),
      params: sp,
      results: results && {
        complete: results.complete,
        scanned: results.scanned,
        rows: results.rows.map((r) => ({ ...r, countryName: countryName(r.country, 'en') })),
      },
      history,
      rule: rule && !ruleIsEmpty(rule) ? rule : null,
      preview,
      flags: flags?.value ?? null,
      // Shown when the flags are older than this page: the time of the computation they come from.
      flagsAt: flags && !flags.fresh ? flags.at : null,
      thresholds: context.config.fraud,
      batches: batches.map((b) => ({ ...b, rule: JSON.parse(b.rule_json) as InvalidationRule })),
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

const ActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('invalidate'), id: z.array(z.string().uuid()).min(1, 'Select at least one signature.').max(500), reason: z.string().trim().max(500).optional() }),
  z.object({ intent: z.literal('restore'), id: z.array(z.string().uuid()).min(1).max(500), reason: z.string().trim().max(500).optional() }),
  z.object({
    intent: z.literal('apply-rule'),
    expected: z.coerce.number().int().min(0),
    reason: z.string().trim().max(500).optional(),
    ...RuleSchema.shape,
  }),
  z.object({ intent: z.literal('undo-batch'), batch: z.string().uuid() }),
])

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { organiser, campaign } = await load(request, context, params.slug!)
  const { db, vault } = context
  const form = await request.formData()
  const submission = parseWithZod(form, { schema: ActionSchema })
  if (submission.status !== 'success') return json({ error: Object.values(submission.error ?? {}).flat()[0] ?? 'Check the form.' }, { status: 400 })
  const v = submission.value
  const actor = { organiserId: organiser.id, reason: 'reason' in v ? v.reason : null }
  const ipHash = context.clientIpHash
  const back = new URL(request.url)
  const done = (notice: string, n: number) => {
    // What changed shows at the next read, also where the figures are read from their last computation (ADR 141).
    context.figures.fraud.renew(campaign.id)
    context.figures.dashboard.renew(campaign.id)
    back.searchParams.set('notice', notice)
    back.searchParams.set('n', String(n))
    return redirect(`${back.pathname}?${back.searchParams}`, 303)
  }

  if (v.intent === 'invalidate' || v.intent === 'restore') {
    const change = v.intent === 'invalidate' ? await invalidateSignatures(db, campaign.id, v.id, actor) : await restoreSignatures(db, campaign.id, v.id, actor)
    await audit(db, {
      organiserId: organiser.id,
      action: v.intent === 'invalidate' ? 'signatures.invalidate' : 'signatures.restore',
      target: campaign.id,
      details: { signatures: v.id, changed: change.changed, verified: change.verified, reason: actor.reason ?? null },
      ipHash,
    })
    return done(v.intent === 'invalidate' ? 'invalidated' : 'restored', change.changed)
  }
  if (v.intent === 'apply-rule') {
    const rule = ruleFromParams(v)
    const result = await applyRule(db, vault, campaign.id, rule, { ...actor, expected: v.expected }, Date.now(), RULE_SLICE, context.readDb)
    if (result.kind === 'empty-rule') return json({ error: 'A rule needs at least one of: domain, IP hash, country, time window.' }, { status: 400 })
    if (result.kind === 'changed') {
      return json(
        { error: `The rule now matches ${result.preview.total} signatures, not ${v.expected}: nothing was changed. Check the new preview and apply again.` },
        { status: 409 },
      )
    }
    await audit(db, {
      organiserId: organiser.id,
      action: 'signatures.invalidate-rule',
      target: result.batchId,
      details: { campaignId: campaign.id, rule: { ...rule, domain: rule.domain }, changed: result.change.changed, verified: result.change.verified, reason: actor.reason ?? null },
      ipHash,
    })
    return done('rule-applied', result.change.changed)
  }
  const undone = await undoBatch(db, vault, campaign.id, v.batch, { organiserId: organiser.id }, Date.now(), RULE_SLICE, context.readDb)
  if (undone.kind === 'not-found') return json({ error: 'There is no such rule for this campaign.' }, { status: 404 })
  if (undone.kind === 'already-undone') return json({ error: 'That rule was already undone.' }, { status: 409 })
  if (undone.kind === 'still-applying') return json({ error: 'That rule is still being applied: undo it once it has finished.' }, { status: 409 })
  const change = undone.change
  await audit(db, { organiserId: organiser.id, action: 'signatures.undo-rule', target: v.batch, details: { campaignId: campaign.id, restored: change.changed }, ipHash })
  return done('undone', change.changed)
}

const NOTICES: Record<string, (n: number) => string> = {
  invalidated: (n) => `${n} signature${n === 1 ? '' : 's'} invalidated.`,
  restored: (n) => `${n} signature${n === 1 ? '' : 's'} restored.`,
  'rule-applied': (n) => `The rule invalidated ${n} signature${n === 1 ? '' : 's'}.`,
  undone: (n) => `Undone: ${n} signature${n === 1 ? '' : 's'} restored.`,
}

function describeRule(r: InvalidationRule) {
  const parts: string[] = []
  if (r.domain) parts.push(`email domain ${r.domain}`)
  if (r.ipHash) parts.push(`IP hash ${r.ipHash}`)
  if (r.country) parts.push(`country ${r.country}`)
  if (r.from !== undefined) parts.push(`signed from ${formatUtc(r.from)}`)
  if (r.to !== undefined) parts.push(`signed before ${formatUtc(r.to)}`)
  return parts.join(', ')
}

const qs = (o: Record<string, string | number | undefined>) =>
  '?' + new URLSearchParams(Object.entries(o).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)])).toString()

export default function Moderation() {
  const d = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const p = d.params as Record<string, string | undefined>
  const base = `/admin/campaigns/${d.campaign.slug}/moderation`
  const notice = p.notice && NOTICES[p.notice] ? NOTICES[p.notice](Number(p.n ?? 0)) : null
  const { flags, flagsAt } = d
  return (
    <>
      <h1>Moderation: {d.campaign.title}</h1>
      <p>
        <a href={`/admin/campaigns/${d.campaign.slug}/export.csv`}>Export verified signatures (CSV)</a> ·{' '}
        <a href={`/admin/campaigns/${d.campaign.slug}/counts.csv`}>Counts per country (CSV)</a> ·{' '}
        <Link to={`/admin/campaigns/${d.campaign.slug}/updates`}>News to signers</Link>
      </p>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {actionData && 'error' in actionData ? (
        <p className="error" role="alert">
          {actionData.error}
        </p>
      ) : null}
      {d.errors.length ? (
        <p className="error" role="alert">
          {d.errors[0]}
        </p>
      ) : null}

      <section aria-labelledby="flags-heading">
        <h2 id="flags-heading">Signs of fraud</h2>
        <p className="hint">
          None of these proves fraud: families share an IP, diaspora sign from abroad, and many Iranians use a VPN to stay safe. Look at the
          signatures before acting.
        </p>
        {flags === null ? (
          <p className="notice" role="status" data-flags="computing">
            The signs of fraud are being computed over every signature of this campaign. Reload this page in a minute.
          </p>
        ) : (
          <>
            {flagsAt ? <p className="hint">{`As of ${formatUtc(flagsAt)}: at this campaign’s size they are computed again in the background.`}</p> : null}
          <h3>Many verified signatures from one IP within an hour (≥ {d.thresholds.ipPerHour})</h3>
          {flags.ipBursts.length ? (
            <DataTable data-flag="ip-burst" columns={['IP hash', 'Signatures in the hour', 'Hour from', 'Look']}>
              {flags.ipBursts.map((f) => (
                <tr key={f.ipHash}>
                  <td>
                    <code>{f.ipHash}</code>
                  </td>
                  <td>{f.count}</td>
                  <td>{formatUtc(f.hourStart)}</td>
                  <td>
                    <Link to={qs({ ip: f.ipHash })}>Signatures</Link> · <Link to={qs({ r_ip: f.ipHash })}>Preview a rule</Link>
                  </td>
                </tr>
              ))}
            </DataTable>
          ) : (
            <p>None.</p>
          )}
          <h3>Many verified signatures from one email domain within an hour (≥ {d.thresholds.domainPerHour})</h3>
          {flags.domainBursts.length ? (
            <DataTable data-flag="domain-burst" columns={['Domain', 'Signatures in the hour', 'Hour from', 'Look']}>
              {flags.domainBursts.map((f) => (
                <tr key={f.domain}>
                  <td>{f.domain}</td>
                  <td>{f.count}</td>
                  <td>{formatUtc(f.hourStart)}</td>
                  <td>
                    <Link to={qs({ domain: f.domain })}>Signatures</Link> ·{' '}
                    <Link to={qs({ r_domain: f.domain, r_from: toInputValue(f.hourStart), r_to: toInputValue(f.hourStart + 3_600_000) })}>
                      Preview a rule for that hour
                    </Link>
                  </td>
                </tr>
              ))}
            </DataTable>
          ) : (
            <p>None.</p>
          )}
          <h3>Disposable email domains</h3>
          {flags.disposable.length ? (
            <DataTable data-flag="disposable" columns={['Domain', 'Signatures (verified or pending)', 'Look']}>
              {flags.disposable.map((f) => (
                <tr key={f.domain}>
                  <td>{f.domain}</td>
                  <td>{f.count}</td>
                  <td>
                    <Link to={qs({ domain: f.domain })}>Signatures</Link> · <Link to={qs({ r_domain: f.domain })}>Preview a rule</Link>
                  </td>
                </tr>
              ))}
            </DataTable>
          ) : (
            <p>None.</p>
          )}
          <h3>Declared country differs from the IP’s country</h3>
          {flags.countryMismatch.length ? (
            <DataTable data-flag="country-mismatch" columns={['Declared', 'IP country', 'Verified signatures', 'Look']}>
              {flags.countryMismatch.map((f) => (
                <tr key={`${f.declared}-${f.ipCountry}`}>
                  <td>{f.declared}</td>
                  <td>{f.ipCountry}</td>
                  <td>{f.count}</td>
                  <td>
                    <Link to={qs({ country: f.declared, mismatch: 1 })}>Signatures</Link>
                  </td>
                </tr>
              ))}
            </DataTable>
          ) : (
            <p>None.</p>
          )}
          </>
        )}
      </section>

      <section aria-labelledby="search-heading">
        <h2 id="search-heading">Find signatures</h2>
        <Form method="get" className="filters">
          <div className="field">
            <label htmlFor="q-email">Exact email</label>
            <input id="q-email" name="email" type="email" defaultValue={p.email ?? ''} />
          </div>
          <div className="field">
            <label htmlFor="q-name">Name contains</label>
            <input id="q-name" name="name" type="text" defaultValue={p.name ?? ''} />
          </div>
          <RuleFields idPrefix="q" namePrefix="" values={p} countries={d.countries} />
          <div className="field">
            <label htmlFor="q-status">Status</label>
            <select id="q-status" name="status" defaultValue={p.status ?? ''}>
              <option value="">Any</option>
              <option value="verified">Verified</option>
              <option value="pending">Pending</option>
              <option value="invalidated">Invalidated</option>
            </select>
          </div>
          <label className="check">
            <input type="checkbox" name="mismatch" value="1" defaultChecked={p.mismatch === '1'} /> Only where the IP’s country differs
          </label>
          <button type="submit">Search</button>
        </Form>

        {d.results ? (
          <>
            <h3>{`${d.results.rows.length} signature${d.results.rows.length === 1 ? '' : 's'} found`}</h3>
            {!d.results.complete ? (
              <p className="notice">
                Only part of the campaign was searched{d.results.scanned ? ` (${d.results.scanned.toLocaleString('en')} names read)` : ''}: narrow the
                search by country or dates to see every match.
              </p>
            ) : null}
            {d.results.rows.length ? (
              <Form method="post">
                <DataTable id="results" columns={['Select', 'Name', 'Email', 'Country', 'Status', 'Signed', 'Flags', 'History']}>
                  {d.results.rows.map((r) => (
                    <tr key={r.id} data-signature={r.id}>
                      <td>
                        <input type="checkbox" name="id" value={r.id} aria-label={`Select ${r.name}`} />
                      </td>
                      <td>
                        <bdi>{r.name}</bdi>
                      </td>
                      <td>{r.email}</td>
                      <td>{r.countryName}</td>
                      <td>{r.status}</td>
                      <td>{formatUtc(r.createdAt)}</td>
                      <td>
                        {[r.disposable ? 'disposable email' : null, r.ipCountry && r.ipCountry !== r.country ? `IP in ${r.ipCountry}` : null]
                          .filter(Boolean)
                          .join(', ')}
                      </td>
                      <td>
                        <Link to={qs({ ...p, notice: undefined, n: undefined, signature: r.id })}>History</Link>
                      </td>
                    </tr>
                  ))}
                </DataTable>
                <div className="field">
                  <label htmlFor="reason">Reason (kept in the history and audit log)</label>
                  <input id="reason" name="reason" type="text" maxLength={500} />
                </div>
                <button type="submit" name="intent" value="invalidate">
                  Invalidate selected
                </button>{' '}
                <button type="submit" name="intent" value="restore">
                  Restore selected
                </button>
              </Form>
            ) : null}
          </>
        ) : null}
      </section>

      {d.history ? (
        <section aria-labelledby="history-heading">
          <h2 id="history-heading">
            History of <bdi>{d.history.signature.name}</bdi>
          </h2>
          <p>
            {d.history.signature.email} · {d.history.signature.country} · status <strong>{d.history.signature.status}</strong> · language{' '}
            {d.history.signature.locale} · shows name: {d.history.signature.showName ? 'yes' : 'no'} · news: {d.history.signature.newsOptIn ? 'yes' : 'no'}
            {d.history.signature.ipCountry ? ` · IP country ${d.history.signature.ipCountry}` : ''}
          </p>
          <ol className="history">
            {d.history.entries.map((e, i) => (
              <li key={i}>{`${formatUtc(e.at)}: ${e.what}${e.who ? ` by ${e.who}` : ''}${e.detail ? ` (${e.detail})` : ''}`}</li>
            ))}
          </ol>
          <Form method="post">
            <input type="hidden" name="id" value={d.history.signature.id} />
            <div className="field">
              <label htmlFor="history-reason">Reason</label>
              <input id="history-reason" name="reason" type="text" maxLength={500} />
            </div>
            {d.history.signature.status === 'invalidated' ? (
              <button type="submit" name="intent" value="restore">
                Restore this signature
              </button>
            ) : (
              <button type="submit" name="intent" value="invalidate">
                Invalidate this signature
              </button>
            )}
          </Form>
        </section>
      ) : null}

      <section aria-labelledby="rule-heading">
        <h2 id="rule-heading">Invalidate by a rule</h2>
        <p className="hint">See how many signatures a rule matches first; nothing changes until you apply it, and an applied rule can be undone.</p>
        <Form method="get">
          <RuleFields idPrefix="r" namePrefix="r_" values={p} countries={d.countries} />
          <button type="submit">Preview</button>
        </Form>
        {d.rule && d.preview ? (
          <div className="panel" id="rule-preview">
            <p role="status">
              The rule ({describeRule(d.rule)}) matches <strong data-preview-total>{d.preview.total}</strong> signatures:{' '}
              <span data-preview-verified>{d.preview.verified}</span> verified and <span data-preview-pending>{d.preview.pending}</span> pending.
            </p>
            {d.preview.total > 0 ? (
              <Form method="post">
                {(['r_domain', 'r_ip', 'r_country', 'r_from', 'r_to'] as const).map((k) =>
                  p[k] ? <input key={k} type="hidden" name={k} value={p[k]} /> : null,
                )}
                <input type="hidden" name="expected" value={d.preview.total} />
                <div className="field">
                  <label htmlFor="rule-reason">Reason</label>
                  <input id="rule-reason" name="reason" type="text" maxLength={500} />
                </div>
                <button type="submit" name="intent" value="apply-rule">
                  Invalidate these {d.preview.total} signatures
                </button>
              </Form>
            ) : null}
          </div>
        ) : null}

        <h3>Rules applied</h3>
        {d.batches.length ? (
          <DataTable columns={['When', 'Rule', 'Signatures', 'By', 'Undo']}>
            {d.batches.map((b) => (
              <tr key={b.id}>
                <td>{formatUtc(b.created_at)}</td>
                <td>
                  {describeRule(b.rule)}
                  {b.reason ? ` (${b.reason})` : ''}
                </td>
                <td>{b.count}</td>
                <td>{b.organiser ?? '—'}</td>
                <td>
                  {b.state === 'applying' ? (
                    `being applied: ${b.done_count} of ${b.count}`
                  ) : b.state === 'undoing' ? (
                    `being undone: ${b.done_count} restored`
                  ) : b.undone_at ? (
                    `undone ${formatUtc(b.undone_at)}`
                  ) : (
                    <Form method="post">
                      <input type="hidden" name="batch" value={b.id} />
                      <button type="submit" name="intent" value="undo-batch" className="link-button">
                        Undo
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        ) : (
          <p>None yet.</p>
        )}
      </section>
      <p>
        <Link to={base}>Clear the search</Link>
      </p>
    </>
  )
}

/**
 * The criteria a search and an invalidation rule share: country, email domain, IP hash and signing
 * window. The two forms post them under different names (a rule's are r_-prefixed) so both can stand
 * in one URL.
 */
function RuleFields({
  idPrefix,
  namePrefix,
  values,
  countries,
}: {
  idPrefix: string
  namePrefix: '' | 'r_'
  values: Record<string, string | undefined>
  countries: { code: string; name: string }[]
}) {
  const field = (name: string) => ({ id: `${idPrefix}-${name}`, name: `${namePrefix}${name}`, defaultValue: values[`${namePrefix}${name}`] ?? '' })
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-country`}>Country</label>
        <select {...field('country')}>
          <option value="">Any</option>
          {countries.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-domain`}>Email domain</label>
        <input {...field('domain')} type="text" placeholder="example.org" />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-ip`}>IP hash</label>
        <input {...field('ip')} type="text" />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-from`}>Signed from (UTC)</label>
        <input {...field('from')} type="datetime-local" />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-to`}>Signed before (UTC)</label>
        <input {...field('to')} type="datetime-local" />
      </div>
    </>
  )
}
