import type { UnLang } from '~/data/un-states'
import { ELSEWHERE, unState } from '~/utils/countries'
import { formatDate, formatNumber, frenchTypography, plural, senderLines, type LetterCopy, type LetterSender, type LetterText } from './text'

/**
 * The letter to a UN office holder (ADR 090): the total of confirmed signatures and a table of them
 * by country of residence, never a name. Written in the Secretariat's two working languages.
 */
export const UN_LETTER_LANGUAGES = ['en', 'fr'] as const
export type UnLetterLang = (typeof UN_LETTER_LANGUAGES)[number]

export interface UnAddresseeFacts {
  office: string
  formOfAddress: string
  personName: string
  salutation: string
  /** the postal address, one line per item */
  address: string[]
}

export interface UnLetterFacts {
  addressee: UnAddresseeFacts
  /** signatories per country of residence (ISO code, or ZZ for elsewhere) */
  byCountry: { code: string; count: number }[]
  totalCount: number
  countryTotal: number
  date: number
  reference: string
  code: string
  verifyUrl: string
  sender: LetterSender
}

const ELSEWHERE_NAME: Record<UnLetterLang, string> = { en: 'Elsewhere (not a UN member or observer state)', fr: 'Ailleurs (hors États Membres et observateurs)' }

/** The table's rows, most signatories first, then by name; they sum to the total. */
export function unTableRows(f: Pick<UnLetterFacts, 'byCountry'>, lang: UnLetterLang): [string, string][] {
  const name = (code: string) => (code === ELSEWHERE ? ELSEWHERE_NAME[lang] : (unState(code)?.unName.short[lang] ?? code))
  const collator = new Intl.Collator(lang)
  return f.byCountry
    .filter((r) => r.count > 0)
    .map((r) => ({ name: name(r.code), count: r.count, last: r.code === ELSEWHERE }))
    .sort((a, b) => Number(a.last) - Number(b.last) || b.count - a.count || collator.compare(a.name, b.name))
    .map((r) => [r.name, formatNumber(r.count, lang as UnLang)])
}

const WORDING = {
  en: {
    reference: (ref: string) => `Our reference: ${ref}`,
    subject: (title: string) => `Petition: ${title}`,
    opening: (title: string) => `We have the honour to write to you on behalf of the signatories of the petition “${title}”, which calls on the United Nations and its Member States.`,
    total: (f: UnLetterFacts) =>
      plural(f.totalCount, 'en', {
        zero: `As of ${formatDate(f.date, 'en')}, no one has yet signed it and confirmed their signature by email.`,
        one: `As of ${formatDate(f.date, 'en')}, {n} person has signed it and confirmed their signature by email.`,
        other: `As of ${formatDate(f.date, 'en')}, {n} people have signed it and confirmed their signature by email.`,
      }),
    countries: (n: number) => plural(n, 'en', { one: 'They live in {n} country or territory; the table below gives their number by country of residence.', other: 'They live in {n} countries and territories; the table below gives their number by country of residence.' }),
    head: ['Country of residence', 'Signatories'] as [string, string],
    totalRow: 'Total',
    explain:
      'These figures count only people who confirmed their signature through a link sent to their email address, by the country of residence they gave. Unconfirmed and withdrawn signatures are not counted. This letter carries no names: a letter to each State’s permanent mission carries the names of those of its residents who agreed to have them transmitted.',
    verify: (f: UnLetterFacts) =>
      `To check this letter, visit ${f.verifyUrl} (verification code ${f.code}): the page shows the figures this letter certifies and publishes a cryptographic commitment to the signatures counted, signed by the platform.`,
    closing: 'Please accept the assurances of our highest consideration.',
  },
  fr: {
    reference: (ref: string) => `Notre référence : ${ref}`,
    subject: (title: string) => `Objet : pétition « ${title} »`,
    opening: (title: string) => `Nous avons l’honneur de vous écrire au nom des signataires de la pétition « ${title} », qui s’adresse à l’Organisation des Nations Unies et à ses États Membres.`,
    total: (f: UnLetterFacts) =>
      plural(f.totalCount, 'fr', {
        zero: `Au ${formatDate(f.date, 'fr')}, personne ne l’a encore signée ni n’a confirmé sa signature par courrier électronique.`,
        one: `Au ${formatDate(f.date, 'fr')}, {n} personne l’a signée et a confirmé sa signature par courrier électronique.`,
        other: `Au ${formatDate(f.date, 'fr')}, {n} personnes l’ont signée et ont confirmé leur signature par courrier électronique.`,
      }),
    countries: (n: number) =>
      plural(n, 'fr', {
        one: 'Les signataires résident dans {n} pays ou territoire ; le tableau ci-dessous en donne le nombre par pays de résidence.',
        other: 'Les signataires résident dans {n} pays et territoires ; le tableau ci-dessous en donne le nombre par pays de résidence.',
      }),
    head: ['Pays de résidence', 'Signataires'] as [string, string],
    totalRow: 'Total',
    explain:
      'Ces chiffres ne comptent que les personnes qui ont confirmé leur signature au moyen d’un lien envoyé à leur adresse électronique, selon le pays de résidence qu’elles ont indiqué. Les signatures non confirmées ou retirées ne sont pas comptées. La présente lettre ne comporte aucun nom : la lettre adressée à la mission permanente de chaque État comporte les noms de ceux de ses résidents qui ont accepté qu’ils soient transmis.',
    verify: (f: UnLetterFacts) =>
      `Pour vérifier la présente lettre, il suffit de consulter la page ${f.verifyUrl} (code de vérification ${f.code}) : elle indique les chiffres que la lettre certifie et publie un engagement cryptographique sur l’ensemble des signatures comptées, signé par la plateforme.`,
    closing: 'Nous vous prions d’agréer l’assurance de notre très haute considération.',
  },
} satisfies Record<UnLetterLang, unknown>

export function unLetterText(lang: UnLetterLang, copy: LetterCopy, f: UnLetterFacts): LetterText {
  const w = WORDING[lang]
  const t = (s: string) => (lang === 'fr' ? frenchTypography(s) : s)
  const a = f.addressee
  const counts = [w.total(f)]
  if (f.totalCount > 0) counts.push(w.countries(f.countryTotal))
  const rows = unTableRows(f, lang)
  return {
    lang,
    dir: 'ltr',
    sender: senderLines(f.sender),
    address: [[a.formOfAddress, a.personName].filter((s) => s.trim()).join(' '), a.office, ...a.address].filter((l) => l.trim() !== '').map(t),
    dateLine: t(formatDate(f.date, lang)),
    referenceLine: t(w.reference(f.reference)),
    subject: t(w.subject(copy.title)),
    salutation: a.salutation,
    paragraphs: [t(w.opening(copy.title)), t(counts.join(' ')), t(copy.context)],
    table: f.totalCount > 0 ? { head: w.head, rows, total: [w.totalRow, formatNumber(f.totalCount, lang)] } : undefined,
    askIntro: t(copy.askIntro),
    askItems: copy.askItems.map(t),
    afterAsk: [t(w.explain), t(w.verify(f))],
    closing: t(w.closing),
    signatory: [f.sender.signerName, f.sender.signerTitle, f.sender.name].filter((l) => l.trim() !== ''),
    annexTitle: null,
    annexIntro: '',
    names: [],
    othersLine: null,
  }
}
