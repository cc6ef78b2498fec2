import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { localeFromRequest, messagesFor } from '~/i18n/i18n.server'
import { useI18n } from '~/i18n/react'
import { checkInclusion } from '~/models/letter.server'
import { inspectToken, signerConsents } from '~/models/signature.server'
import type { SignerLogStatus } from '~/models/transparency-log.server'
import { countryName } from '~/infra/countries.server'
import { formatDate } from '~/i18n/core'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = localeFromRequest(request)
  const result = await checkInclusion(context, params.token ?? '')
  const headers = { 'Cache-Control': 'no-store' }
  const i18n = messagesFor(locale, ['inclusion', 'unsubscribe'])
  if (result.kind === 'invalid') return json({ kind: 'invalid' as const, i18n }, { status: 404, headers })
  // Which emails the signer agreed to (ADR 131): shown, never changed, here; the emails' own link changes them.
  const link = await inspectToken(context.db, context.vault, params.token ?? '', 'inclusion')
  const consents = link.state === 'valid' ? await signerConsents(context.db, link.signatureId) : null
  const country = countryName(result.country, locale)
  const log = result.log
  if (result.kind === 'no-letter') return json({ kind: 'no-letter' as const, country, log, consents, i18n }, { headers })
  const letter = { code: result.letter.code, count: result.letter.country_count, date: result.letter.created_at, root: result.letter.merkle_root }
  if (result.kind === 'not-included') return json({ kind: 'not-included' as const, country, letter, log, consents, i18n }, { headers })
  return json({ kind: 'included' as const, country, letter, leaf: result.leaf, proof: result.proof, log, consents, i18n }, { headers })
}

/** The signer's own entry in the campaign's public log, proved against the checkpoints that matter. */
function LogEntry({ log }: { log: SignerLogStatus }) {
  const { t } = useI18n()
  return (
    <section aria-labelledby="log-heading">
      <h2 id="log-heading">{t('inclusion.log.heading')}</h2>
      <dl className="facts mono" dir="ltr">
        <dt>{t('inclusion.log.secret')}</dt>
        <dd data-log-secret>{log.secret}</dd>
      </dl>
      {!log.entry ? <p>{t('inclusion.log.pending')}</p> : null}
      {log.entry ? (
        <>
          <p>{t('inclusion.log.entry', { index: log.entry.index })}</p>
          {log.latest ? <p className="success">{t('inclusion.log.latest', { size: log.latest.size })}</p> : null}
          {log.letter && log.letter.proof ? <p className="success">{t('inclusion.log.letter', { code: log.letter.code, size: log.letter.size })}</p> : null}
          {log.letter && !log.letter.proof ? <p>{t('inclusion.log.afterLetter', { code: log.letter.code })}</p> : null}
          {log.removal ? (
            <p className="error">
              {t('inclusion.log.removed', { index: log.removal.index, kind: t(log.removal.kind === 'withdraw' ? 'inclusion.log.withdrawn' : 'inclusion.log.invalidated') })}
            </p>
          ) : null}
          <p>{t('inclusion.log.how')}</p>
          <dl className="facts mono" dir="ltr">
            <dt>entry {log.entry.index}</dt>
            <dd data-log-entry>{log.entry.data}</dd>
            {log.latest ? (
              <>
                <dt>{t('inclusion.log.proof')}: {log.latest.size}</dt>
                <dd>
                  <ol>
                    {log.latest.proof.map((h, i) => (
                      <li key={i}>{h}</li>
                    ))}
                  </ol>
                  root {log.latest.root}
                </dd>
              </>
            ) : null}
            {log.letter?.proof ? (
              <>
                <dt>
                  {t('inclusion.log.proof')}: {log.letter.size} ({log.letter.code})
                </dt>
                <dd>
                  <ol>
                    {log.letter.proof.map((h, i) => (
                      <li key={i}>{h}</li>
                    ))}
                  </ol>
                  root {log.letter.root}
                </dd>
              </>
            ) : null}
          </dl>
        </>
      ) : null}
    </section>
  )
}

/** The emails the signer agreed to, the partner by name (ADR 131). */
function Consents({ consents }: { consents: { news: boolean; partner: string | null } }) {
  const { t, tx } = useI18n()
  return (
    <section aria-labelledby="consents-heading">
      <h2 id="consents-heading">{t('inclusion.consents.heading')}</h2>
      <ul>
        {consents.news ? <li>{t('unsubscribe.consentNews')}</li> : null}
        {consents.partner ? <li>{tx('unsubscribe.consentPartner', { partner: <bdi>{consents.partner}</bdi> })}</li> : null}
        {!consents.news && !consents.partner ? <li>{t('inclusion.consents.none')}</li> : null}
      </ul>
      <p className="hint">{t('inclusion.consents.how')}</p>
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Inclusion check' }, { name: 'robots', content: 'noindex' }]

/** A signer's private check that their own signature is in their country's letter. */
export default function Inclusion() {
  const d = useLoaderData<typeof loader>()
  const { t, locale } = useI18n()
  const date = 'letter' in d ? formatDate(locale, d.letter.date) : ''
  return (
    <div className="panel">
      <h1>{t('inclusion.title')}</h1>
      {d.kind === 'invalid' ? <p>{t('inclusion.invalid')}</p> : null}
      {d.kind === 'no-letter' ? <p>{t('inclusion.noLetter', { country: d.country })}</p> : null}
      {d.kind === 'not-included' ? (
        <p>{t('inclusion.notIncluded', { count: d.letter.count, code: d.letter.code, country: d.country, date })}</p>
      ) : null}
      {d.kind === 'included' ? (
        <>
          <p className="success">{t('inclusion.included', { count: d.letter.count, code: d.letter.code, country: d.country, date })}</p>
          <p>{t('inclusion.how')}</p>
          <dl className="facts mono" dir="ltr">
            <dt>{t('inclusion.leaf')}</dt>
            <dd>{d.leaf}</dd>
            <dt>{t('inclusion.path')}</dt>
            <dd>
              <ol>
                {d.proof.map((step, i) => (
                  <li key={i}>
                    {step.side}: {step.hash}
                  </li>
                ))}
              </ol>
            </dd>
            <dt>{t('inclusion.root')}</dt>
            <dd>{d.letter.root}</dd>
          </dl>
          <p>
            <a href={`/verify/${d.letter.code}`}>{t('inclusion.certificate')}</a>
          </p>
        </>
      ) : null}
      {'log' in d ? <LogEntry log={d.log} /> : null}
      {'consents' in d && d.consents ? <Consents consents={d.consents} /> : null}
    </div>
  )
}
