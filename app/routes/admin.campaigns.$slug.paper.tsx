import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { localeFromRequest, translator, type MessageKey, type Translate } from '~/i18n/i18n.server'
import { audit } from '~/models/organiser.server'
import { commitPaperBatch, deletePaperBatch, getPaperSettings, listPaperBatches, paperCounts, savePaperSettings } from '~/models/paper-signature.server'
import { organiserCampaign } from '~/use-cases/organiser-campaign.server'
import { countryName } from '~/infra/countries.server'
import { checkPaperRows, readPaperCsv, type PaperCheck, type PaperProblem, type RawPaperRow } from '~/utils/paper-csv.server'
import { PAPER_MAX_BYTES, PAPER_MAX_ROWS, SHEET_ROWS } from '~/utils/paper-limits'

export const meta = () => [{ title: 'Paper signatures · Organisers' }, { name: 'robots', content: 'noindex' }]

/** Rows a preview shows; the count says how many more there are. */
const PREVIEW_ROWS = 500

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign } = await organiserCampaign(request, context, params.slug, 'organiser')
  const [settings, batches, counts] = await Promise.all([getPaperSettings(context.db, campaign.id), listPaperBatches(context.db, campaign.id), paperCounts(context.db, campaign.id)])
  return json(
    {
      campaign: { slug: campaign.slug },
      settings,
      batches,
      total: counts.total,
      byCountry: [...counts.byCountry].map(([code, count]) => ({ code, name: countryName(code, 'en'), count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

/** A problem in the organiser's language (ADR 134): "Line 7: The name is empty." */
function say(t: Translate, p: PaperProblem, unit: 'paper.line' | 'paper.row') {
  const message = t(`paper.problem.${p.code}` as MessageKey, p.params)
  return { line: p.line, text: p.line ? t(unit, { line: p.line, message }) : message }
}

function previewOf(t: Translate, check: PaperCheck, unit: 'paper.line' | 'paper.row') {
  return {
    count: check.rows.length,
    rows: check.rows.slice(0, PREVIEW_ROWS).map((r) => ({ line: r.line, name: r.name, country: r.country, place: r.place, date: new Date(r.collectedAt).toISOString().slice(0, 10) })),
    problems: check.problems.slice(0, 200).map((p) => say(t, p, unit)),
    moreProblems: Math.max(0, check.problems.length - 200),
    duplicates: check.duplicates.slice(0, 200).map((p) => say(t, p, unit)),
    ignored: check.ignored,
  }
}

type Preview = ReturnType<typeof previewOf>
type ActionData =
  | { stage: 'csv'; preview: Preview; payload: string | null; place: string; date: string }
  | { stage: 'sheet'; preview: Preview; values: Record<string, string> }
  | { stage: 'error'; message: string }

const text = (form: FormData, name: string, max = 1000) => {
  const v = form.get(name)
  return typeof v === 'string' ? v.slice(0, max) : ''
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { organiser, campaign } = await organiserCampaign(request, context, params.slug, 'organiser')
  const form = await request.formData().catch(() => null)
  if (!form) return json<ActionData>({ stage: 'error', message: 'The form could not be read.' }, { status: 400 })
  const t = translator(localeFromRequest(request))
  const intent = form.get('intent')
  const back = `/admin/campaigns/${campaign.slug}/paper`

  if (intent === 'settings') {
    const settings = { showOnPage: form.get('showOnPage') === 'on', includeInLetters: form.get('includeInLetters') === 'on' }
    await savePaperSettings(context.db, campaign.id, settings, organiser.id)
    await audit(context.db, { organiserId: organiser.id, action: 'paper.settings', target: campaign.id, details: settings, ipHash: context.clientIpHash })
    return redirect(`${back}?saved=1`)
  }

  if (intent === 'undo') {
    const removed = await deletePaperBatch(context.db, { campaignId: campaign.id, batchId: text(form, 'batchId', 100), organiserId: organiser.id, ipHash: context.clientIpHash })
    if (removed === null) return json<ActionData>({ stage: 'error', message: 'No such batch in this campaign: it may have been undone already.' }, { status: 404 })
    return redirect(`${back}?undone=${removed}`)
  }

  if (intent === 'sheet') {
    const values = Object.fromEntries([...form.entries()].filter((e): e is [string, string] => typeof e[1] === 'string').map(([k, v]) => [k, v.slice(0, 1000)]))
    const raw: RawPaperRow[] = []
    for (let i = 1; i <= SHEET_ROWS; i++) {
      const row = { line: i, name: text(form, `name${i}`), country: text(form, `country${i}`) }
      if (row.name.trim() || row.country.trim()) raw.push(row)
    }
    const check = checkPaperRows(raw, { place: text(form, 'place'), date: text(form, 'date') })
    if (raw.length === 0) check.problems.push({ line: 0, code: 'empty' })
    const duplicatesRefused = check.duplicates.length > 0 && form.get('keepDuplicates') !== 'on'
    if (check.problems.length || duplicatesRefused) return json<ActionData>({ stage: 'sheet', preview: previewOf(t, check, 'paper.row'), values }, { status: 400 })
    const { count } = await commitPaperBatch(context.db, context.vault, { campaignId: campaign.id, source: 'form', rows: check.rows, organiserId: organiser.id, ipHash: context.clientIpHash })
    return redirect(`${back}?added=${count}`)
  }

  if (intent === 'preview' || intent === 'commit') {
    const place = text(form, 'place')
    const date = text(form, 'date')
    let bytes: Uint8Array
    if (intent === 'preview') {
      const file = form.get('file')
      if (!file || typeof file === 'string' || file.size === 0) return json<ActionData>({ stage: 'error', message: 'Choose a CSV file.' }, { status: 400 })
      // Refused before it is read: the limit names itself in the message.
      if (file.size > PAPER_MAX_BYTES) {
        const check: PaperCheck = { rows: [], problems: [{ line: 0, code: 'tooLarge', params: { max: '2 MB' } }], duplicates: [], ignored: [] }
        return json<ActionData>({ stage: 'csv', preview: previewOf(t, check, 'paper.line'), payload: null, place, date }, { status: 413 })
      }
      bytes = new Uint8Array(await file.arrayBuffer())
    } else {
      // The file itself comes back from the preview, so nothing is stored before the organiser commits it.
      bytes = Buffer.from(text(form, 'payload', Math.ceil((PAPER_MAX_BYTES * 4) / 3) + 8), 'base64')
    }
    const check = readPaperCsv(bytes, { place, date })
    const preview = previewOf(t, check, 'paper.line')
    const payload = check.problems.length ? null : Buffer.from(bytes).toString('base64')
    const tooLarge = check.problems.some((p) => p.code === 'tooLarge' || p.code === 'tooManyRows')
    if (intent === 'preview' || check.problems.length) return json<ActionData>({ stage: 'csv', preview, payload, place, date }, { status: check.problems.length ? (tooLarge ? 413 : 400) : 200 })
    if (check.duplicates.length && form.get('keepDuplicates') !== 'on') return json<ActionData>({ stage: 'csv', preview, payload, place, date }, { status: 400 })
    const { count } = await commitPaperBatch(context.db, context.vault, { campaignId: campaign.id, source: 'csv', rows: check.rows, organiserId: organiser.id, ipHash: context.clientIpHash })
    return redirect(`${back}?added=${count}`)
  }
  return json<ActionData>({ stage: 'error', message: 'Unknown action.' }, { status: 400 })
}

function Problems({ preview }: { preview: Preview }) {
  if (preview.problems.length === 0) return null
  return (
    <div className="error-summary" role="alert">
      <p>Nothing was stored. Correct these lines and try again:</p>
      <ul className="paper-problems">
        {preview.problems.map((p, i) => (
          <li key={i} data-line={p.line}>
            <bdi>{p.text}</bdi>
          </li>
        ))}
      </ul>
      {preview.moreProblems ? <p>{`…and ${preview.moreProblems} more.`}</p> : null}
    </div>
  )
}

function Duplicates({ preview }: { preview: Preview }) {
  if (preview.duplicates.length === 0) return null
  return (
    <div className="notice paper-duplicates" role="alert">
      <p>These rows repeat a name and country already in this batch. Remove them if they are the same person, or keep them:</p>
      <ul>
        {preview.duplicates.map((p, i) => (
          <li key={i} data-line={p.line}>
            <bdi>{p.text}</bdi>
          </li>
        ))}
      </ul>
      <p>
        <input type="checkbox" id="keepDuplicates" name="keepDuplicates" />
        <label htmlFor="keepDuplicates">Keep the repeated rows: they are different people</label>
      </p>
    </div>
  )
}

function Rows({ preview }: { preview: Preview }) {
  if (preview.rows.length === 0) return null
  return (
    <>
      <table className="paper-preview">
        <caption>{`${preview.count} signature${preview.count === 1 ? '' : 's'} read${preview.count > preview.rows.length ? `, the first ${preview.rows.length} shown` : ''}`}</caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Name</th>
            <th scope="col">Country</th>
            <th scope="col">Place</th>
            <th scope="col">Date</th>
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((r) => (
            <tr key={r.line}>
              <td>{r.line}</td>
              {/* Names are text, escaped like every React string; bdi keeps a right-to-left name from reordering the row. */}
              <td>
                <bdi>{r.name}</bdi>
              </td>
              <td>{r.country}</td>
              <td>
                <bdi>{r.place ?? ''}</bdi>
              </td>
              <td>{r.date}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

export default function PaperSignatures() {
  const data = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>() as ActionData | undefined
  const [params] = useSearchParams()
  const { slug } = data.campaign
  const sheet = result?.stage === 'sheet' ? result : null
  const csv = result?.stage === 'csv' ? result : null
  return (
    <>
      <p>
        <Link to={`/admin/campaigns/${slug}`}>Dashboard</Link>
      </p>
      <h1>Paper signatures</h1>
      <p>
        Signatures gathered on paper at vigils and events. They are counted apart: never added to the count confirmed by email, the goal, the map, the
        campaign log or a letter’s certificate. No email address is kept for them.
      </p>
      {params.get('added') ? <p className="success" role="status">{`${params.get('added')} paper signatures stored.`}</p> : null}
      {params.get('undone') ? <p className="success" role="status">{`Batch undone: ${params.get('undone')} paper signatures deleted.`}</p> : null}
      {params.get('saved') ? <p className="success" role="status">Settings saved.</p> : null}
      {result?.stage === 'error' ? (
        <p className="error-summary" role="alert">
          {result.message}
        </p>
      ) : null}

      <h2>On paper so far</h2>
      <p data-paper-total={data.total}>{`${data.total} on paper in all.`}</p>
      {data.byCountry.length ? (
        <table>
          <caption>Paper signatures by country</caption>
          <thead>
            <tr>
              <th scope="col">Country</th>
              <th scope="col">On paper</th>
            </tr>
          </thead>
          <tbody>
            {data.byCountry.map((c) => (
              <tr key={c.code} data-country={c.code}>
                <th scope="row">{c.name}</th>
                <td>{c.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <p>
        <a href={`/admin/campaigns/${slug}/paper.csv`} download>
          Export paper signatures (CSV)
        </a>
      </p>

      <h2>Where paper is shown</h2>
      <Form method="post">
        <input type="hidden" name="intent" value="settings" />
        <p>
          <input type="checkbox" id="showOnPage" name="showOnPage" defaultChecked={data.settings.showOnPage} />
          <label htmlFor="showOnPage">Show the paper total on the public campaign page, in a line of its own under the verified count</label>
        </p>
        <p>
          <input type="checkbox" id="includeInLetters" name="includeInLetters" defaultChecked={data.settings.includeInLetters} />
          <label htmlFor="includeInLetters">
            Include paper signatures in letters: each state’s letter states its paper figure in a sentence of its own, as gathered on paper and not
            confirmed by email (no names; the certificate keeps certifying the email-confirmed figures only)
          </label>
        </p>
        <button type="submit">Save</button>
      </Form>

      <h2>Type in one sheet</h2>
      {sheet ? (
        <>
          <Problems preview={sheet.preview} />
        </>
      ) : null}
      <Form method="post" className="paper-sheet">
        <input type="hidden" name="intent" value="sheet" />
        <label htmlFor="sheet-place">City or event (optional)</label>
        <input id="sheet-place" name="place" maxLength={200} defaultValue={sheet?.values.place ?? ''} />
        <label htmlFor="sheet-date">Date signed</label>
        <input id="sheet-date" name="date" type="date" required defaultValue={sheet?.values.date ?? ''} />
        <table>
          <caption>Signers on the sheet (leave unused rows empty)</caption>
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Name</th>
              <th scope="col">Country (ISO code or name)</th>
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: SHEET_ROWS }, (_, k) => k + 1).map((i) => (
              <tr key={i}>
                <td>{i}</td>
                <td>
                  <input name={`name${i}`} aria-label={`Row ${i} name`} maxLength={400} defaultValue={sheet?.values[`name${i}`] ?? ''} />
                </td>
                <td>
                  <input name={`country${i}`} aria-label={`Row ${i} country`} maxLength={100} defaultValue={sheet?.values[`country${i}`] ?? ''} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {sheet ? <Duplicates preview={sheet.preview} /> : null}
        <button type="submit">Store this sheet</button>
      </Form>

      <h2>Import a CSV file</h2>
      <p>
        {`A CSV file in UTF-8, at most 2 MB and ${PAPER_MAX_ROWS.toLocaleString('en')} rows, with a header row: name and country (an ISO code such as IR, or the country’s name in English, Persian, Arabic, French or Spanish), and optionally place (or city, event) and date (YYYY-MM-DD). An email column is read past and not stored. You see every row and every problem before anything is stored; the whole file is stored, or nothing.`}
      </p>
      <Form method="post" encType="multipart/form-data">
        <input type="hidden" name="intent" value="preview" />
        <label htmlFor="csv-file">CSV file</label>
        <input id="csv-file" name="file" type="file" accept=".csv,text/csv" required />
        <label htmlFor="csv-place">City or event, for rows without one (optional)</label>
        <input id="csv-place" name="place" maxLength={200} defaultValue={csv?.place ?? ''} />
        <label htmlFor="csv-date">Date signed, for rows without one</label>
        <input id="csv-date" name="date" type="date" defaultValue={csv?.date ?? ''} />
        <button type="submit">Preview</button>
      </Form>
      {csv ? (
        <section aria-labelledby="preview-heading">
          <h3 id="preview-heading">Preview</h3>
          <Problems preview={csv.preview} />
          {csv.preview.ignored.length ? <p className="hint">{`Not stored: the ${csv.preview.ignored.join(', ')} column.`}</p> : null}
          <Rows preview={csv.preview} />
          {csv.payload ? (
            <Form method="post" encType="multipart/form-data">
              <input type="hidden" name="intent" value="commit" />
              <input type="hidden" name="payload" value={csv.payload} />
              <input type="hidden" name="place" value={csv.place} />
              <input type="hidden" name="date" value={csv.date} />
              <Duplicates preview={csv.preview} />
              <button type="submit">{`Store these ${csv.preview.count} signatures`}</button>
            </Form>
          ) : null}
        </section>
      ) : null}

      <h2>Batches</h2>
      {data.batches.length === 0 ? (
        <p>No paper signature yet.</p>
      ) : (
        <table>
          <caption>Batches, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Entered</th>
              <th scope="col">How</th>
              <th scope="col">Signatures</th>
              <th scope="col">Countries</th>
              <th scope="col">Undo</th>
            </tr>
          </thead>
          <tbody>
            {data.batches.map((b) => (
              <tr key={b.id} data-batch={b.id}>
                <td>{new Date(b.enteredAt).toISOString().slice(0, 16).replace('T', ' ')} UTC</td>
                <td>{b.source === 'csv' ? 'CSV file' : 'Sheet form'}</td>
                <td>{b.count}</td>
                <td>{b.countries.join(', ')}</td>
                <td>
                  <Form method="post">
                    <input type="hidden" name="intent" value="undo" />
                    <input type="hidden" name="batchId" value={b.id} />
                    <button type="submit">Undo this batch</button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
