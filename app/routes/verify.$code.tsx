import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useEffect, useState } from 'react'
import type { UnLang } from '~/data/un-states'
import { canonicalJson } from '~/letters/certificate.server'
import { formatDate, formatNumber } from '~/letters/text'
import { VERIFY_LABELS } from '~/letters/verify-labels'
import { getLetterByCode, latestLetters, letterTarget, normaliseCode, signedCertificateOf } from '~/models/letter.server'
import { cosignaturesOf, letterEvidence } from '~/models/transparency-log.server'
import { CHECK_LABELS, type CheckLabels } from '~/transparency/verify-labels'
import { browserCheckData, verifyLetter, type Finding } from '~/transparency/verify.server'
import { unState } from '~/infra/countries.server'

export async function loader({ params, context }: LoaderFunctionArgs) {
  const code = normaliseCode(params.code ?? '')
  const letter = code ? await getLetterByCode(context.db, code) : undefined
  if (!letter) throw new Response('No letter has this verification code.', { status: 404 })
  const campaign = await context.db.selectFrom('campaigns').select(['slug']).where('id', '=', letter.campaign_id).executeTakeFirstOrThrow()
  const copy = await context.db
    .selectFrom('campaign_letter_copy')
    .select(['language', 'title'])
    .where('campaign_id', '=', letter.campaign_id)
    .where('language', 'in', ['en', letter.language])
    .execute()
  const newest = (await latestLetters(context.db, letter.campaign_id)).find((l) => letterTarget(l) === letterTarget(letter))
  const signed = signedCertificateOf(letter)
  // The page shows what the signed certificate says, checked here against the published keys and
  // the public log, never the database's columns (issue 12).
  const text = JSON.stringify(signed)
  const evidence = await letterEvidence(context.db, letter.campaign_id, signed.certificate.log?.size ?? null)
  const legacy = signed.certificate.version === 1
  const result = legacy ? { ok: false, checked: [], problems: [], signedBy: undefined } : verifyLetter(text, evidence.keys, evidence)
  const c = signed.certificate
  // Witnesses' cosignatures of the cited checkpoint, each checked again here.
  const cosignatures = c.log && result.ok ? await cosignaturesOf(context.db, context.config, letter.campaign_id, c.log.size, c.log.checkpoint) : []
  // A letter to a UN office holder names no state (ADR 090).
  const state = unState(c.country) ?? unState(letter.country_code)
  // The labels' own languages (the UN's six), so the states' table stays out of the page's JavaScript.
  const lang = Object.hasOwn(VERIFY_LABELS, c.language) ? (c.language as UnLang) : 'en'
  return json(
    {
      languages: lang === 'en' ? (['en'] as UnLang[]) : (['en', lang] as UnLang[]),
      titles: Object.fromEntries(copy.map((r) => [r.language, r.title])) as Record<string, string>,
      toUn: !state,
      countryNames: (state ? { en: state.unName.short.en, [lang]: state.unName.short[lang] } : { en: VERIFY_LABELS.en.unName, [lang]: VERIFY_LABELS[lang].unName }) as Record<string, string>,
      letter: {
        code: c.code,
        reference: c.reference,
        version: c.letterVersion,
        countryCount: c.countryCount,
        totalCount: c.totalCount,
        countryTotal: c.countryTotal,
        createdAt: Date.parse(c.createdAt),
        merkleRoot: c.merkleRoot,
        logSize: c.log?.size ?? null,
        logRoot: c.log?.root ?? null,
        previousCode: c.log?.previous?.code ?? null,
      },
      legacy,
      cosignatures: cosignatures.map((x) => ({ witness: x.witness, time: new Date(x.time * 1000).toISOString() })),
      ok: result.ok,
      checked: result.checked,
      problems: result.problems,
      signedBy: result.signedBy ?? null,
      latestSize: evidence.latest ? Number(evidence.latest.note.split('\n')[1]) : null,
      signature: signed.signature,
      browser: result.signedBy ? browserCheckData(canonicalJson(c), signed.signature, c.log?.checkpoint ?? null, evidence.keys) : null,
      slug: campaign.slug,
      superseded: newest && newest.id !== letter.id ? { version: newest.version } : null,
    },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

export const meta: MetaFunction = () => [{ title: 'Letter verification' }, { name: 'robots', content: 'noindex' }]

type BrowserState = 'noscript' | 'checking' | 'ok' | 'failed' | 'unsupported'

const fromBase64 = (s: string) => Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0))

/** Checks the Ed25519 signatures again with WebCrypto, from the exact bytes that were signed. */
async function checkInBrowser(data: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>['browser']>, shown: { countryCount: number; code: string }): Promise<BrowserState> {
  if (!globalThis.crypto?.subtle) return 'unsupported'
  let ok = true
  for (const item of data.items) {
    let key: CryptoKey
    try {
      key = await crypto.subtle.importKey('raw', fromBase64(item.publicKey), { name: 'Ed25519' }, false, ['verify'])
    } catch {
      return 'unsupported'
    }
    ok = ok && (await crypto.subtle.verify({ name: 'Ed25519' }, key, fromBase64(item.signature), new TextEncoder().encode(item.message)))
  }
  // The figures on the page must be the ones in the signed bytes.
  const signed = JSON.parse(data.items[0].message) as { countryCount: number; code: string }
  return ok && signed.countryCount === shown.countryCount && signed.code === shown.code ? 'ok' : 'failed'
}

function CheckList({ t, d }: { t: CheckLabels; d: ReturnType<typeof useLoaderData<typeof loader>> }) {
  const fill = (s: string) =>
    s
      .replace('{key}', d.signedBy ?? '')
      .replace('{size}', String(d.letter.logSize ?? ''))
      .replace('{count}', String(d.letter.countryCount))
      .replace('{code}', d.letter.previousCode ?? '')
      .replace('{latest}', String(d.latestSize ?? ''))
  return (
    <>
      <p className={d.ok ? 'success' : 'error'}>{d.ok ? t.ok : t.failed}</p>
      <ul>
        {d.problems.map((p: Finding, i: number) => (
          <li key={`p${i}`} className="error">
            {t.failedCheck.replace('{check}', t.names[p.code])} <span lang="en" dir="ltr">({p.message})</span>
          </li>
        ))}
        {d.checked.map((c: Finding) => (
          <li key={c.code}>
            <bdi>{fill(t.pass[c.code])}</bdi>
          </li>
        ))}
      </ul>
      <p>{t.meaning}</p>
    </>
  )
}

/** What a letter certifies, checked, in English and in the letter's own language. */
export default function Verify() {
  const d = useLoaderData<typeof loader>()
  const [browser, setBrowser] = useState<BrowserState>('noscript')
  useEffect(() => {
    if (!d.browser) return
    setBrowser('checking')
    checkInBrowser(d.browser, d.letter).then(setBrowser, () => setBrowser('failed'))
  }, [d.browser, d.letter])
  return (
    <div className="verify">
      {d.languages.map((lang) => {
        const t = VERIFY_LABELS[lang]
        const checks = CHECK_LABELS[lang]
        const dir = lang === 'ar' ? 'rtl' : 'ltr'
        return (
          <section key={lang} lang={lang} dir={dir} className="panel verify-section">
            <h1>{t.title}</h1>
            <p>{t.intro}</p>
            {d.superseded ? <p className="error">{t.superseded.replace('{version}', String(d.superseded.version))}</p> : null}
            <dl className="facts">
              <dt>{t.campaign}</dt>
              <dd>{d.titles[lang] ?? d.titles.en ?? d.slug}</dd>
              <dt>{d.toUn ? t.addressee : t.country}</dt>
              <dd>{d.countryNames[lang]}</dd>
              <dt>{d.toUn ? t.unCount : t.count}</dt>
              <dd>{formatNumber(d.letter.countryCount, lang)}</dd>
              <dt>{t.total}</dt>
              <dd>
                {t.totalValue
                  .replace('{total}', formatNumber(d.letter.totalCount, lang))
                  .replace('{countries}', formatNumber(d.letter.countryTotal, lang))}
              </dd>
              <dt>{t.date}</dt>
              <dd>{formatDate(d.letter.createdAt, lang)}</dd>
              <dt>{t.reference}</dt>
              <dd dir="ltr">
                {d.letter.reference} (v{d.letter.version}) · {d.letter.code}
              </dd>
            </dl>
            <h2>{checks.heading}</h2>
            {d.legacy ? <p>{checks.legacy}</p> : <CheckList t={checks} d={d} />}
            {d.cosignatures.length ? (
              <p data-cosigned>
                <bdi>{checks.cosigned.replace('{witnesses}', d.cosignatures.map((x) => x.witness.split('+')[0]).join(', '))}</bdi>
              </p>
            ) : null}
            {d.browser ? (
              <p data-browser-check={browser} role="status">
                {checks.browser[browser]}
              </p>
            ) : null}
          </section>
        )
      })}
      <section className="panel" lang="en" dir="ltr">
        <h2>Cryptographic details</h2>
        <dl className="facts mono">
          <dt>Signed by</dt>
          <dd>{d.signedBy ?? '(no published key verifies this certificate)'}</dd>
          <dt>Log checkpoint</dt>
          <dd>{d.letter.logSize !== null ? `${d.letter.logSize} entries, root ${d.letter.logRoot}` : '(none cited)'}</dd>
          <dt>Root of the counted signatures’ keyed leaves (signers’ inclusion links)</dt>
          <dd>{d.letter.merkleRoot}</dd>
          <dt>Signature</dt>
          <dd>{d.signature}</dd>
          {d.cosignatures.map((x) => (
            <div key={x.witness}>
              <dt>Cosigned by</dt>
              <dd>
                {x.witness} at {x.time}
              </dd>
            </div>
          ))}
        </dl>
        <p>
          <a href={`/verify/${d.letter.code}/certificate.json`}>Download the signed certificate</a>; the log is at{' '}
          <a href={`/campaigns/${d.slug}/log/checkpoint`}>/campaigns/{d.slug}/log/</a> (C2SP tlog-tiles), its keys at{' '}
          <a href="/.well-known/petition-log-keys">/.well-known/petition-log-keys</a>. Check offline with{' '}
          <a href="/verifier.html">the offline verifier page</a> or <code>python3 verify_letter.py</code> (docs/certificate.md).
        </p>
      </section>
    </div>
  )
}
