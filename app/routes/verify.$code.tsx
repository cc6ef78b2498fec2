import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { UN_LANGUAGES, type UnLang } from '~/data/un-states'
import { formatDate, formatNumber } from '~/letters/text'
import { VERIFY_LABELS } from '~/letters/verify-labels'
import { getLetterByCode, latestLetters, normaliseCode, platformSigningKey, signedCertificateOf } from '~/models/letter.server'
import { unState } from '~/utils/countries'

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
  const newest = (await latestLetters(context.db, letter.campaign_id)).find((l) => l.country_code === letter.country_code)
  const signed = signedCertificateOf(letter)
  const state = unState(letter.country_code)!
  const lang = (UN_LANGUAGES as readonly string[]).includes(letter.language) ? (letter.language as UnLang) : 'en'
  return json({
    languages: lang === 'en' ? (['en'] as UnLang[]) : (['en', lang] as UnLang[]),
    titles: Object.fromEntries(copy.map((c) => [c.language, c.title])) as Record<string, string>,
    countryNames: { en: state.unName.short.en, [lang]: state.unName.short[lang] } as Record<string, string>,
    letter: {
      code: letter.code,
      reference: letter.reference,
      version: letter.version,
      countryCount: letter.country_count,
      totalCount: letter.total_count,
      countryTotal: letter.country_total,
      createdAt: letter.created_at,
      merkleRoot: letter.merkle_root,
    },
    signature: signed.signature,
    keyId: platformSigningKey(context.config).keyId,
    slug: campaign.slug,
    superseded: newest && newest.id !== letter.id ? { version: newest.version } : null,
  })
}

export const meta: MetaFunction = () => [{ title: 'Letter verification' }, { name: 'robots', content: 'noindex' }]

/** What a letter certifies, in English and in the letter's own language. */
export default function Verify() {
  const d = useLoaderData<typeof loader>()
  return (
    <div className="verify">
      {d.languages.map((lang) => {
        const t = VERIFY_LABELS[lang]
        const dir = lang === 'ar' ? 'rtl' : 'ltr'
        return (
          <section key={lang} lang={lang} dir={dir} className="panel verify-section">
            <h1>{t.title}</h1>
            <p>{t.intro}</p>
            {d.superseded ? <p className="error">{t.superseded.replace('{version}', String(d.superseded.version))}</p> : null}
            <dl className="facts">
              <dt>{t.campaign}</dt>
              <dd>{d.titles[lang] ?? d.titles.en ?? d.slug}</dd>
              <dt>{t.country}</dt>
              <dd>{d.countryNames[lang]}</dd>
              <dt>{t.count}</dt>
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
          </section>
        )
      })}
      <section className="panel" lang="en" dir="ltr">
        <h2>Cryptographic commitment</h2>
        <p>
          Merkle root over the keyed hashes of the {d.letter.countryCount} counted signatures, signed with the platform’s Ed25519 key (key id{' '}
          <code>{d.keyId}</code>, published at <a href="/.well-known/petition-signing-key">/.well-known/petition-signing-key</a>).
        </p>
        <dl className="facts mono">
          <dt>Merkle root</dt>
          <dd>{d.letter.merkleRoot}</dd>
          <dt>Signature</dt>
          <dd>{d.signature}</dd>
        </dl>
        <p>
          <a href={`/verify/${d.letter.code}/certificate.json`}>Download the signed certificate</a>, then check it offline:{' '}
          <code>npm run verify-letter -- letter.pdf --cert certificate.json --key petition-signing-key.pem</code>
        </p>
      </section>
    </div>
  )
}
