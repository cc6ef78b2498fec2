import type { UnLang, UnState } from '~/data/un-states'

/** The UN office a mission is accredited to (ADR 091). */
export type LetterOffice = 'new-york' | 'geneva' | 'vienna' | 'nairobi'

/**
 * Per language, how the address block names an office other than Headquarters: the phrase after the
 * state's name (or, in Chinese, after 常驻联合国) and the city line. New York is the plain form.
 */
const OFFICE_WORDS: Record<UnLang, Record<LetterOffice, { to: string; city: string }>> = {
  en: {
    'new-york': { to: 'to the United Nations', city: 'New York' },
    geneva: { to: 'to the United Nations Office at Geneva', city: 'Geneva' },
    vienna: { to: 'to the United Nations Office at Vienna', city: 'Vienna' },
    nairobi: { to: 'to the United Nations Office at Nairobi', city: 'Nairobi' },
  },
  fr: {
    'new-york': { to: 'auprès de l’Organisation des Nations Unies', city: 'New York' },
    geneva: { to: 'auprès de l’Office des Nations Unies à Genève', city: 'Genève' },
    vienna: { to: 'auprès de l’Office des Nations Unies à Vienne', city: 'Vienne' },
    nairobi: { to: 'auprès de l’Office des Nations Unies à Nairobi', city: 'Nairobi' },
  },
  es: {
    'new-york': { to: 'ante las Naciones Unidas', city: 'Nueva York' },
    geneva: { to: 'ante la Oficina de las Naciones Unidas en Ginebra', city: 'Ginebra' },
    vienna: { to: 'ante la Oficina de las Naciones Unidas en Viena', city: 'Viena' },
    nairobi: { to: 'ante la Oficina de las Naciones Unidas en Nairobi', city: 'Nairobi' },
  },
  ar: {
    'new-york': { to: 'لدى الأمم المتحدة', city: 'نيويورك' },
    geneva: { to: 'لدى مكتب الأمم المتحدة في جنيف', city: 'جنيف' },
    vienna: { to: 'لدى مكتب الأمم المتحدة في فيينا', city: 'فيينا' },
    nairobi: { to: 'لدى مكتب الأمم المتحدة في نيروبي', city: 'نيروبي' },
  },
  ru: {
    'new-york': { to: 'при Организации Объединенных Наций', city: 'Нью-Йорк' },
    geneva: { to: 'при Отделении Организации Объединенных Наций в Женеве', city: 'Женева' },
    vienna: { to: 'при Отделении Организации Объединенных Наций в Вене', city: 'Вена' },
    nairobi: { to: 'при Отделении Организации Объединенных Наций в Найроби', city: 'Найроби' },
  },
  zh: {
    'new-york': { to: '', city: '纽约' },
    geneva: { to: '日内瓦办事处', city: '日内瓦' },
    vienna: { to: '维也纳办事处', city: '维也纳' },
    nairobi: { to: '内罗毕办事处', city: '内罗毕' },
  },
}
const officeWords = (lang: UnLang, f: { city: LetterOffice }) => OFFICE_WORDS[lang][f.city] ?? OFFICE_WORDS[lang]['new-york']

/**
 * The wording of letters to permanent missions in the six UN languages (docs/decisions/075 and
 * 020). The letter speaks in the first person plural for the campaign's sending organisation.
 * Every count goes through Intl.PluralRules and a form per category (Arabic has six, Russian three);
 * the state's formal UN name stands in the address block in the case its preposition governs
 * (Russian genitive), and a running-text form with its article elsewhere ("la France", "the United
 * Kingdom of ...", never the list form "France (la)").
 */

export interface LetterCopy {
  /** the petition's title in this language */
  title: string
  /** one paragraph of facts, sober and attributed */
  context: string
  /** the sentence that introduces the ask */
  askIntro: string
  askItems: string[]
  /** who signs, one line per array item: used only for letters made before a sender was required */
  signatory: string
}

/** The organisation that writes, as organisers set it per campaign. */
export interface LetterSender {
  name: string
  /** postal address, one line per array item */
  address: string[]
  email: string
  signerName: string
  signerTitle: string
}

export interface LetterFacts {
  state: UnState
  headTitle: 'representative' | 'observer'
  /** the office the mission is at */
  city: LetterOffice
  countryCount: number
  totalCount: number
  countryTotal: number
  /** when the snapshot was taken, epoch ms */
  date: number
  reference: string
  code: string
  verifyUrl: string
  names: string[]
  sender: LetterSender
}

/** One letter in one language, as plain strings: HTML, PDF and the certified text all come from it. */
export interface LetterText {
  lang: UnLang
  dir: 'ltr' | 'rtl'
  /** the sending organisation's letterhead (absent from letters stored before it existed) */
  sender?: string[]
  address: string[]
  dateLine: string
  referenceLine: string
  subject: string
  salutation: string
  paragraphs: string[]
  /** a letter to a UN office holder: signatories by country of residence, summing to the total (ADR 090) */
  table?: LetterTable
  askIntro: string
  askItems: string[]
  /** what the count is, how to check the letter, and the request to inform the Government */
  afterAsk: string[]
  closing: string
  signatory: string[]
  /** null when the letter has no annex (no signer lives in the country) */
  annexTitle: string | null
  annexIntro: string
  names: string[]
  othersLine: string | null
}

export interface LetterTable {
  head: [string, string]
  rows: [string, string][]
  total: [string, string]
}

/** The letter in the mission's language and, where that is not English, an English copy. */
export interface LetterDocument {
  title: string
  letters: LetterText[]
}

const numberLocale: Record<UnLang, string> = {
  en: 'en-GB',
  fr: 'fr-FR',
  es: 'es-ES',
  // Western digits, as in the UN's Arabic documents.
  ar: 'ar-u-nu-latn',
  ru: 'ru-RU',
  zh: 'zh-CN',
}

const numberFormats = new Map<UnLang, Intl.NumberFormat>()
export function formatNumber(n: number, lang: UnLang): string {
  let f = numberFormats.get(lang)
  if (!f) numberFormats.set(lang, (f = new Intl.NumberFormat(numberLocale[lang])))
  return f.format(n)
}

const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const FR_MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre']
const ES_MONTHS = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre']
const RU_MONTHS_GEN = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря']
/** The UN's Arabic documents give both the Levantine and the Egyptian name of each month. */
const AR_MONTHS = [
  'كانون الثاني/يناير',
  'شباط/فبراير',
  'آذار/مارس',
  'نيسان/أبريل',
  'أيار/مايو',
  'حزيران/يونيه',
  'تموز/يوليه',
  'آب/أغسطس',
  'أيلول/سبتمبر',
  'تشرين الأول/أكتوبر',
  'تشرين الثاني/نوفمبر',
  'كانون الأول/ديسمبر',
]

/** A date as each language writes it in UN correspondence (in UTC, the snapshot's day). */
export function formatDate(ms: number, lang: UnLang): string {
  const d = new Date(ms)
  const day = d.getUTCDate()
  const month = d.getUTCMonth()
  const year = d.getUTCFullYear()
  switch (lang) {
    case 'en':
      return `${day} ${EN_MONTHS[month]} ${year}`
    case 'fr':
      return `${day === 1 ? '1er' : day}\u00a0${FR_MONTHS[month]} ${year}`
    case 'es':
      return `${day} de ${ES_MONTHS[month]} de ${year}`
    case 'ru':
      return `${day}\u00a0${RU_MONTHS_GEN[month]} ${year}\u00a0года`
    case 'ar':
      return `${day} ${AR_MONTHS[month]} ${year}`
    case 'zh':
      return `${year}年${month + 1}月${day}日`
  }
}

// --- Names in running text ------------------------------------------------------------------

/** "de" before a French formal name: de la, de l', du, des. */
export function frOf(name: string): string {
  if (/^le /i.test(name)) return `du ${name.slice(3)}`
  if (/^les /i.test(name)) return `des ${name.slice(4)}`
  if (/^(la |l[’'])/i.test(name)) return `de ${name}`
  return /^[aeiouyhâéèêîïôûÉÈÊ]/i.test(name) ? `d’${name}` : `de ${name}`
}

/** "de" before a Spanish formal name: del for el. */
export function esOf(name: string): string {
  return /^el /i.test(name) ? `del ${name.slice(3)}` : `de ${name}`
}

/** The Arabic preposition li- joined to a name: لل for a name with the article. */
export function arLi(name: string): string {
  return name.startsWith('ال') ? `لل${name.slice(2)}` : `ل${name}`
}

const LIST_ARTICLE = /^(.*) \((the|le|la|l'|l’|les|el|la|los|las)\)$/

/**
 * The state's usual name as running text, article first: UNTERM's list form "France (la)" becomes
 * "la France", "Andorre (l')" "l’Andorre", "United Kingdom of ... (the)" "the United Kingdom of ...".
 * A list form whose bracket holds more than an article ("Iran (Islamic Republic of)") gives way to the
 * formal name, which reads as running text.
 */
export function runningName(state: UnState, lang: UnLang): string {
  const name = runningNameOf(state, lang)
  return lang === 'fr' ? name.replace(/'/g, '’') : name
}

function runningNameOf(state: UnState, lang: UnLang): string {
  const short = state.unName.short[lang]
  const m = LIST_ARTICLE.exec(short)
  if (m) return m[2] === "l'" || m[2] === 'l’' ? `l’${m[1]}` : `${m[2]} ${m[1]}`
  if (/[()（）]/.test(short) || !short) return state.unName.formal[lang]
  return short
}

const RU_HEADS: Record<string, string> = {
  республика: 'Республики',
  федерация: 'Федерации',
  королевство: 'Королевства',
  княжество: 'Княжества',
  государство: 'Государства',
  содружество: 'Содружества',
  союз: 'Союза',
  штаты: 'Штатов',
  острова: 'Островов',
  эмираты: 'Эмиратов',
  герцогство: 'Герцогства',
  престол: 'Престола',
  султанат: 'Султаната',
}
/** Names the rules below would get wrong. */
const RU_GENITIVE_EXCEPTIONS: Record<string, string> = {
  'Сент-Винсент и Гренадины': 'Сент-Винсента и Гренадин',
}

function ruAdjectiveGenitive(w: string): string | null {
  if (/ая$/.test(w)) return w.replace(/ая$/, 'ой')
  if (/[кгх]ий$/.test(w)) return w.replace(/ий$/, 'ого')
  if (/[жшчщн]ий$/.test(w)) return w.replace(/ий$/, 'его')
  if (/(ый|ой)$/.test(w)) return w.replace(/(ый|ой)$/, 'ого')
  if (/ое$/.test(w)) return w.replace(/ое$/, 'ого')
  if (/[кгхжшчщн]ие$/.test(w)) return w.replace(/ие$/, 'их')
  if (/ые$/.test(w)) return w.replace(/ые$/, 'ых')
  if (/овы$/.test(w)) return w.replace(/ы$/, 'ых')
  return null
}

function ruNounGenitive(w: string): string {
  const parts = w.split('-')
  if (parts.length > 1) {
    parts[parts.length - 1] = ruNounGenitive(parts[parts.length - 1])
    return parts.join('-')
  }
  if (/[аеёиоуыэюя]а$/.test(w)) return w // Антигуа, Никарагуа: indeclinable
  if (/ия$/.test(w)) return w.replace(/ия$/, 'ии')
  if (/[кгхжшчщ]а$/.test(w)) return w.replace(/а$/, 'и')
  if (/а$/.test(w)) return w.replace(/а$/, 'ы')
  if (/я$/.test(w)) return w.replace(/я$/, 'и')
  if (/й$/.test(w)) return w.replace(/й$/, 'я')
  if (/ь$/.test(w)) return w.replace(/ь$/, 'и')
  if (/[бвгджзклмнпрстфхцчшщ]$/.test(w)) return `${w}а`
  return w // ending in о, е, и, у, ю, э: indeclinable
}

/**
 * The genitive of a Russian formal state name, as after "Постоянному представителю": the leading
 * adjectives and the head noun decline and the proper name after a head stays in the nominative
 * ("Республики Казахстан", "Кыргызской Республики", "Российской Федерации"); a name without a
 * head declines itself ("Японии", "Туркменистана", "Боснии и Герцеговины").
 */
export function ruGenitive(name: string): string {
  const exception = RU_GENITIVE_EXCEPTIONS[name]
  if (exception) return exception
  const words = name.split(' ')
  const out: string[] = []
  for (let i = 0; i < words.length; i++) {
    const w = words[i]
    if (w === '—' || w === 'и') {
      out.push(w)
      continue
    }
    const parts = w.split('-')
    const lastAdj = ruAdjectiveGenitive(parts[parts.length - 1])
    if (lastAdj && /^[А-ЯЁ]/.test(w) && !RU_HEADS[w.toLowerCase()]) {
      parts[parts.length - 1] = lastAdj
      out.push(parts.join('-'))
      continue
    }
    const head = RU_HEADS[w.toLowerCase()]
    if (head) {
      out.push(w[0] === w[0].toLowerCase() ? head.toLowerCase() : head)
      return [...out, ...words.slice(i + 1)].join(' ')
    }
    out.push(ruNounGenitive(w))
  }
  return out.join(' ')
}

// --- Counts -------------------------------------------------------------------------------

const pluralRules = new Map<UnLang, Intl.PluralRules>()
export function pluralCategory(n: number, lang: UnLang): Intl.LDMLPluralRule {
  let r = pluralRules.get(lang)
  if (!r) pluralRules.set(lang, (r = new Intl.PluralRules(lang)))
  return r.select(n)
}

/** Forms per plural category, with `{n}` for the number; 'zero' here means exactly 0. */
type Forms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }

/** The form of a count for `n` in `lang`; a missing category falls back to 'other'. */
export function plural(n: number, lang: UnLang, forms: Forms): string {
  const form = (n === 0 ? forms.zero : undefined) ?? forms[pluralCategory(n, lang)] ?? forms.other
  return form.replace('{n}', formatNumber(n, lang))
}

// --- Typography -----------------------------------------------------------------------------

/**
 * French typography (Imprimerie nationale): a no-break space before the colon and inside « »,
 * a narrow no-break space before ; ! ?, and the typographic apostrophe.
 */
export function frenchTypography(s: string): string {
  return s
    .replace(/'/g, '’')
    .replace(/[ \u00a0\u202f]+([;!?])/g, '\u202f$1')
    .replace(/(?<=[\p{L}\d»)])([;!?])(?=\s|$)/gu, '\u202f$1')
    .replace(/[ \u00a0\u202f]+:/g, '\u00a0:')
    .replace(/(?<=[\p{L}\d»)]):(?=\s|$)/gu, '\u00a0:')
    .replace(/«[ \u00a0\u202f]*/g, '«\u00a0')
    .replace(/[ \u00a0\u202f]*»/g, '\u00a0»')
}

const FULL_WIDTH: Record<string, string> = { ',': '，', ';': '；', ':': '：', '!': '！', '?': '？', '(': '（', ')': '）' }
/** Chinese text takes full-width punctuation next to Chinese characters. */
export function chineseTypography(s: string): string {
  return s
    .replace(/\s*\(\s*(?=[\u3400-\u9fff])/g, '（')
    .replace(/([\u3400-\u9fff])\s*\)/g, '$1）')
    .replace(/([\u3400-\u9fff”）])\s*([,;:!?)])/g, (_m, a: string, p: string) => `${a}${FULL_WIDTH[p]}`)
}

function typography(s: string, lang: UnLang): string {
  return lang === 'fr' ? frenchTypography(s) : lang === 'zh' ? chineseTypography(s) : s
}

// --- The formulas ----------------------------------------------------------------------------

interface Wording {
  address(f: LetterFacts): string[]
  reference(ref: string): string
  subject(title: string): string
  salutation: string
  opening(title: string): string
  total(f: LetterFacts): string
  /** the number of countries, said only when there are at least two signers */
  countries(n: number): string
  country(n: number): string
  /** in a letter to a state with no signer: why there is no annex */
  noAnnex: string
  explain: string
  verify(f: LetterFacts): string
  attention: string
  closing: string
  annexTitle(f: LetterFacts): string
  annexIntro: string
  noNames: string
  others(n: number): string
}

const isObserver = (f: LetterFacts) => f.headTitle === 'observer'

const WORDING: Record<UnLang, Wording> = {
  en: {
    address: (f) => [
      `The Permanent ${isObserver(f) ? 'Observer' : 'Representative'} of ${f.state.unName.formal.en} ${officeWords('en', f).to}`,
      officeWords('en', f).city,
    ],
    reference: (ref) => `Our reference: ${ref}`,
    subject: (title) => `Petition: ${title}`,
    salutation: 'Excellency,',
    opening: (title) => `We have the honour to write to you on behalf of the signatories of the petition “${title}”.`,
    total: (f) =>
      plural(f.totalCount, 'en', {
        zero: `As of ${formatDate(f.date, 'en')}, no one has yet signed it and confirmed their signature by email.`,
        one: `As of ${formatDate(f.date, 'en')}, {n} person has signed it and confirmed their signature by email.`,
        other: `As of ${formatDate(f.date, 'en')}, {n} people have signed it and confirmed their signature by email.`,
      }),
    countries: (n) => plural(n, 'en', { one: 'They live in {n} country or territory.', other: 'They live in {n} countries and territories.' }),
    country: (n) =>
      plural(n, 'en', {
        zero: 'None of them has yet given your country as their country of residence; we write so that your Government is informed of their call.',
        one: '{n} of them lives in your country.',
        other: '{n} of them live in your country.',
      }),
    noAnnex: 'This letter therefore carries no annex of names.',
    explain:
      'These figures count only people who confirmed their signature through a link sent to their email address; the figure for your country counts those of them who gave it as their country of residence. Unconfirmed and withdrawn signatures are not counted.',
    verify: (f) =>
      `To check this letter, visit ${f.verifyUrl} (verification code ${f.code}): the page shows the figures this letter certifies and publishes a cryptographic commitment to the signatures counted, signed by the platform.`,
    attention: 'We should be grateful if you would bring this letter to the attention of your Government.',
    closing: 'Please accept, Excellency, the assurances of our highest consideration.',
    annexTitle: (f) => `Annex: signatories living in ${runningName(f.state, 'en')}`,
    annexIntro: 'Signatories who agreed to have their names transmitted to your mission:',
    noNames: 'No signatory from your country asked for their name to be transmitted.',
    others: (n) =>
      plural(n, 'en', {
        one: '{n} other signatory from your country chose not to have their name transmitted.',
        other: '{n} other signatories from your country chose not to have their names transmitted.',
      }),
  },
  fr: {
    address: (f) => [
      `${isObserver(f) ? 'L’Observateur permanent' : 'Le Représentant permanent'} ${frOf(f.state.unName.formal.fr)} ${officeWords('fr', f).to}`,
      officeWords('fr', f).city,
    ],
    reference: (ref) => `Notre référence : ${ref}`,
    subject: (title) => `Objet : pétition « ${title} »`,
    salutation: 'Excellence,',
    opening: (title) => `Nous avons l’honneur de vous écrire au nom des signataires de la pétition « ${title} ».`,
    total: (f) =>
      plural(f.totalCount, 'fr', {
        zero: `Au ${formatDate(f.date, 'fr')}, personne ne l’a encore signée ni n’a confirmé sa signature par courrier électronique.`,
        one: `Au ${formatDate(f.date, 'fr')}, {n} personne l’a signée et a confirmé sa signature par courrier électronique.`,
        other: `Au ${formatDate(f.date, 'fr')}, {n} personnes l’ont signée et ont confirmé leur signature par courrier électronique.`,
      }),
    countries: (n) => plural(n, 'fr', { one: 'Les signataires résident dans {n} pays ou territoire.', other: 'Les signataires résident dans {n} pays et territoires.' }),
    country: (n) =>
      plural(n, 'fr', {
        zero: 'Aucun d’entre eux n’a encore indiqué résider dans votre pays ; nous vous écrivons afin que votre gouvernement soit informé de leur appel.',
        one: '{n} d’entre eux réside dans votre pays.',
        other: '{n} d’entre eux résident dans votre pays.',
      }),
    noAnnex: 'La présente lettre ne comporte donc aucune annexe nominative.',
    explain:
      'Ces chiffres ne comptent que les personnes qui ont confirmé leur signature au moyen d’un lien envoyé à leur adresse électronique ; le chiffre relatif à votre pays compte celles d’entre elles qui l’ont indiqué comme pays de résidence. Les signatures non confirmées ou retirées ne sont pas comptées.',
    verify: (f) =>
      `Pour vérifier la présente lettre, il suffit de consulter la page ${f.verifyUrl} (code de vérification ${f.code}) : elle indique les chiffres que la lettre certifie et publie un engagement cryptographique sur l’ensemble des signatures comptées, signé par la plateforme.`,
    attention: 'Nous vous serions reconnaissants de bien vouloir porter la présente lettre à l’attention de votre gouvernement.',
    closing: 'Veuillez agréer, Excellence, les assurances de notre très haute considération.',
    annexTitle: (f) => `Annexe : signataires dont le pays de résidence est ${runningName(f.state, 'fr')}`,
    annexIntro: 'Signataires ayant accepté que leur nom soit transmis à votre mission :',
    noNames: 'Aucun signataire de votre pays n’a demandé que son nom soit transmis.',
    others: (n) =>
      plural(n, 'fr', {
        one: '{n} autre signataire de votre pays a choisi de ne pas faire transmettre son nom.',
        other: '{n} autres signataires de votre pays ont choisi de ne pas faire transmettre leur nom.',
      }),
  },
  es: {
    address: (f) => [
      `${isObserver(f) ? 'Observador Permanente' : 'Representante Permanente'} ${esOf(f.state.unName.formal.es)} ${officeWords('es', f).to}`,
      officeWords('es', f).city,
    ],
    reference: (ref) => `Nuestra referencia: ${ref}`,
    subject: (title) => `Asunto: petición «${title}»`,
    salutation: 'Excelencia:',
    opening: (title) => `Tenemos el honor de dirigirnos a Vuestra Excelencia en nombre de los firmantes de la petición «${title}».`,
    total: (f) =>
      plural(f.totalCount, 'es', {
        zero: `Al ${formatDate(f.date, 'es')}, aún no la ha firmado ninguna persona que haya confirmado su firma por correo electrónico.`,
        one: `Al ${formatDate(f.date, 'es')}, la ha firmado {n} persona, que ha confirmado su firma por correo electrónico.`,
        other: `Al ${formatDate(f.date, 'es')}, la han firmado {n} personas, que han confirmado su firma por correo electrónico.`,
      }),
    countries: (n) => plural(n, 'es', { one: 'Los firmantes residen en {n} país o territorio.', other: 'Los firmantes residen en {n} países y territorios.' }),
    country: (n) =>
      plural(n, 'es', {
        zero: 'Ninguno de ellos ha indicado aún que reside en su país; nos dirigimos a Vuestra Excelencia para que su Gobierno tenga conocimiento de su llamamiento.',
        one: '{n} de ellos reside en su país.',
        other: '{n} de ellos residen en su país.',
      }),
    noAnnex: 'Por consiguiente, la presente carta no lleva anexa ninguna lista de nombres.',
    explain:
      'Estas cifras solo incluyen a las personas que confirmaron su firma mediante un enlace enviado a su dirección de correo electrónico; la cifra correspondiente a su país incluye a quienes, entre ellas, lo indicaron como país de residencia. No se cuentan las firmas sin confirmar ni las retiradas.',
    verify: (f) =>
      `Para verificar la presente carta, puede consultarse la página ${f.verifyUrl} (código de verificación ${f.code}), que indica las cifras que la carta certifica y publica un compromiso criptográfico sobre el conjunto de las firmas contadas, firmado por la plataforma.`,
    attention: 'Le agradeceríamos que tuviera a bien señalar la presente carta a la atención de su Gobierno.',
    closing: 'Aprovechamos la ocasión para reiterar a Vuestra Excelencia las seguridades de nuestra más alta consideración.',
    annexTitle: (f) => `Anexo: firmantes cuyo país de residencia es ${runningName(f.state, 'es')}`,
    annexIntro: 'Firmantes que aceptaron que su nombre se transmitiera a su misión:',
    noNames: 'Ningún firmante de su país pidió que se transmitiera su nombre.',
    others: (n) =>
      plural(n, 'es', {
        one: '{n} firmante más de su país decidió no transmitir su nombre.',
        other: '{n} firmantes más de su país decidieron no transmitir su nombre.',
      }),
  },
  ar: {
    address: (f) => [
      `سعادة ${isObserver(f) ? 'المراقب الدائم' : 'الممثل الدائم'} ${arLi(f.state.unName.formal.ar)} ${officeWords('ar', f).to}`,
      officeWords('ar', f).city,
    ],
    reference: (ref) => `الرقم المرجعي: ${ref}`,
    subject: (title) => `الموضوع: عريضة بعنوان «${title}»`,
    salutation: 'صاحب السعادة،',
    opening: (title) => `يشرفنا أن نكتب إليكم باسم الموقّعين على العريضة المعنونة «${title}».`,
    total: (f) => {
      const d = `وحتى ${formatDate(f.date, 'ar')}،`
      return plural(f.totalCount, 'ar', {
        zero: `${d} لم يوقّع أحد بعدُ على العريضة ويؤكّد توقيعه عن طريق البريد الإلكتروني.`,
        one: `${d} وقّع على العريضة شخص واحد أكّد توقيعه عن طريق البريد الإلكتروني.`,
        two: `${d} وقّع على العريضة شخصان أكّدا توقيعهما عن طريق البريد الإلكتروني.`,
        few: `${d} وقّع على العريضة {n} أشخاص أكّدوا توقيعهم عن طريق البريد الإلكتروني.`,
        many: `${d} وقّع على العريضة {n} شخصًا أكّدوا توقيعهم عن طريق البريد الإلكتروني.`,
        other: `${d} وقّع على العريضة {n} شخص أكّدوا توقيعهم عن طريق البريد الإلكتروني.`,
      })
    },
    countries: (n) =>
      plural(n, 'ar', {
        one: 'ويقيم الموقّعون في بلد أو إقليم واحد.',
        two: 'ويقيم الموقّعون في بلدين أو إقليمين.',
        few: 'ويقيم الموقّعون في {n} بلدان وأقاليم.',
        many: 'ويقيم الموقّعون في {n} بلدًا وإقليمًا.',
        other: 'ويقيم الموقّعون في {n} بلد وإقليم.',
      }),
    country: (n) =>
      plural(n, 'ar', {
        zero: 'ولم يذكر أي منهم بعدُ أنه يقيم في بلدكم، ونكتب إليكم لكي تكون حكومتكم على علم بندائهم.',
        one: 'ويقيم منهم في بلدكم شخص واحد.',
        two: 'ويقيم منهم في بلدكم شخصان.',
        few: 'ويقيم منهم في بلدكم {n} أشخاص.',
        many: 'ويقيم منهم في بلدكم {n} شخصًا.',
        other: 'ويقيم منهم في بلدكم {n} شخص.',
      }),
    noAnnex: 'ولذلك لا تُرفق بهذه الرسالة قائمة بالأسماء.',
    explain:
      'ولا تشمل هذه الأرقام إلا الأشخاص الذين أكّدوا توقيعهم عبر رابط أُرسل إلى عنوان بريدهم الإلكتروني، ويشمل الرقم الخاص ببلدكم من ذكر منهم أنه بلد إقامته. ولا تُحتسب التوقيعات غير المؤكّدة أو المسحوبة.',
    verify: (f) =>
      `وللتحقق من هذه الرسالة، يكفي الاطلاع على الصفحة ${f.verifyUrl} (رمز التحقق ${f.code})، التي تبيّن الأرقام التي تشهد بها الرسالة وتنشر التزامًا تشفيريًا بمجموعة التوقيعات المحتسبة، موقّعًا من المنصة.`,
    attention: 'وسنكون ممتنين لو تفضلتم بإطلاع حكومتكم على هذه الرسالة.',
    closing: 'وتفضلوا، صاحب السعادة، بقبول أسمى آيات التقدير والاحترام.',
    annexTitle: (f) => `المرفق: الموقّعون المقيمون في ${runningName(f.state, 'ar')}`,
    annexIntro: 'الموقّعون الذين وافقوا على إحالة أسمائهم إلى بعثتكم:',
    noNames: 'لم يطلب أي من الموقّعين من بلدكم إحالة اسمه.',
    others: (n) =>
      plural(n, 'ar', {
        one: 'واختار موقّع آخر من بلدكم عدم إحالة اسمه.',
        two: 'واختار موقّعان آخران من بلدكم عدم إحالة اسميهما.',
        few: 'واختار {n} موقّعين آخرين من بلدكم عدم إحالة أسمائهم.',
        many: 'واختار {n} موقّعًا آخر من بلدكم عدم إحالة أسمائهم.',
        other: 'واختار {n} موقّع آخر من بلدكم عدم إحالة أسمائهم.',
      }),
  },
  ru: {
    address: (f) => [
      `${isObserver(f) ? 'Постоянному наблюдателю' : 'Постоянному представителю'} ${ruGenitive(f.state.unName.formal.ru)} ${officeWords('ru', f).to}`,
      officeWords('ru', f).city,
    ],
    reference: (ref) => `Исх. № ${ref}`,
    subject: (title) => `О петиции «${title}»`,
    salutation: 'Ваше Превосходительство!',
    opening: (title) => `Имеем честь обратиться к Вам от имени подписавших петицию «${title}».`,
    total: (f) => {
      const d = `По состоянию на ${formatDate(f.date, 'ru')}`
      return plural(f.totalCount, 'ru', {
        zero: `${d} никто еще не подписал ее и не подтвердил свою подпись по электронной почте.`,
        one: `${d} ее подписал и подтвердил свою подпись по электронной почте {n} человек.`,
        few: `${d} ее подписали и подтвердили свою подпись по электронной почте {n} человека.`,
        other: `${d} ее подписали и подтвердили свою подпись по электронной почте {n} человек.`,
      })
    },
    countries: (n) =>
      plural(n, 'ru', {
        one: 'Подписавшие проживают в {n} стране или территории.',
        other: 'Подписавшие проживают в {n} странах и территориях.',
      }),
    country: (n) =>
      plural(n, 'ru', {
        zero: 'Пока никто из них не указал Вашу страну в качестве страны проживания; мы пишем Вам, чтобы Ваше правительство было осведомлено об их призыве.',
        one: 'Из них {n} человек проживает в Вашей стране.',
        few: 'Из них {n} человека проживают в Вашей стране.',
        other: 'Из них {n} человек проживают в Вашей стране.',
      }),
    noAnnex: 'Поэтому к настоящему письму не прилагается список имен.',
    explain:
      'В эти данные включены только лица, подтвердившие свою подпись по ссылке, направленной на их адрес электронной почты; в данные по Вашей стране включены те из них, кто указал ее в качестве страны проживания. Неподтвержденные и отозванные подписи не учитываются.',
    verify: (f) =>
      `Для проверки настоящего письма достаточно открыть страницу ${f.verifyUrl} (код проверки ${f.code}): на ней указаны удостоверяемые письмом данные и опубликовано подписанное платформой криптографическое обязательство в отношении совокупности учтенных подписей.`,
    attention: 'Будем признательны Вам за доведение настоящего письма до сведения Вашего правительства.',
    closing: 'Примите, Ваше Превосходительство, уверения в нашем самом высоком уважении.',
    annexTitle: (f) => `Приложение: подписавшие, страна проживания которых — ${runningName(f.state, 'ru')}`,
    annexIntro: 'Подписавшие, согласившиеся на передачу своих имен Вашему представительству:',
    noNames: 'Никто из подписавших из Вашей страны не просил передать свое имя.',
    others: (n) =>
      plural(n, 'ru', {
        one: 'Еще {n} подписавший из Вашей страны решил не передавать свое имя.',
        other: 'Еще {n} подписавших из Вашей страны решили не передавать свои имена.',
      }),
  },
  zh: {
    address: (f) => [
      `${f.state.unName.formal.zh}常驻联合国${officeWords('zh', f).to}${isObserver(f) ? '观察员' : '代表'}阁下`,
      officeWords('zh', f).city,
    ],
    reference: (ref) => `编号：${ref}`,
    subject: (title) => `事由：“${title}”请愿`,
    salutation: '阁下：',
    opening: (title) => `我们谨代表“${title}”请愿书的签名者致函阁下。`,
    total: (f) =>
      plural(f.totalCount, 'zh', {
        zero: `截至${formatDate(f.date, 'zh')}，尚无人签署该请愿书并通过电子邮件确认签名。`,
        other: `截至${formatDate(f.date, 'zh')}，已有{n}人签署该请愿书并通过电子邮件确认签名。`,
      }),
    countries: (n) => (n === 1 ? '签名者居住在1个国家或地区。' : plural(n, 'zh', { other: '签名者居住在{n}个国家和地区。' })),
    country: (n) =>
      plural(n, 'zh', {
        zero: '目前尚无签名者表示居住在贵国；特此致函，以便贵国政府知悉他们的呼吁。',
        other: '其中居住在贵国的有{n}人。',
      }),
    noAnnex: '因此，本函未附姓名名单。',
    explain: '上述数字仅包括通过发送至本人电子邮件地址的链接确认签名的人；贵国的数字为其中表示居住在贵国的人数。未经确认或已撤回的签名不计在内。',
    verify: (f) => `如需核实本函，请访问${f.verifyUrl}（核实码：${f.code}）。该网页列明本函所证明的数字，并公布经本平台签署的、对所计签名集合的密码学承诺。`,
    attention: '请将本函转呈贵国政府为荷。',
    closing: '顺致最崇高的敬意。',
    annexTitle: (f) => `附件：居住在${runningName(f.state, 'zh')}的签名者`,
    annexIntro: '同意将其姓名转交贵代表团的签名者：',
    noNames: '贵国签名者中无人要求转交其姓名。',
    others: (n) => plural(n, 'zh', { other: '贵国另有{n}名签名者选择不转交其姓名。' }),
  },
}

/** The letterhead: the sending organisation, its postal address and contact email. */
export const senderLines = (s: LetterSender) => [s.name, ...s.address, s.email].filter((l) => l.trim() !== '')

export function letterText(lang: UnLang, copy: LetterCopy, f: LetterFacts): LetterText {
  const w = WORDING[lang]
  const t = (s: string) => typography(s, lang)
  const hasSigners = f.countryCount > 0
  const counts = [w.total(f)]
  if (f.totalCount > 1) counts.push(w.countries(f.countryTotal))
  if (f.totalCount > 0) counts.push(w.country(f.countryCount))
  if (!hasSigners) counts.push(w.noAnnex)
  const others = f.countryCount - f.names.length
  return {
    lang,
    dir: lang === 'ar' ? 'rtl' : 'ltr',
    sender: senderLines(f.sender),
    address: w.address(f).map(t),
    dateLine: t(formatDate(f.date, lang)),
    referenceLine: t(w.reference(f.reference)),
    subject: t(w.subject(copy.title)),
    salutation: w.salutation,
    paragraphs: [t(w.opening(copy.title)), t(counts.join(lang === 'zh' ? '' : ' ')), t(copy.context)],
    askIntro: t(copy.askIntro),
    askItems: copy.askItems.map(t),
    afterAsk: [t(w.explain), t(w.verify(f)), t(w.attention)],
    closing: t(w.closing),
    signatory: [f.sender.signerName, f.sender.signerTitle, f.sender.name].filter((l) => l.trim() !== ''),
    annexTitle: hasSigners ? t(w.annexTitle(f)) : null,
    annexIntro: hasSigners ? t(f.names.length ? w.annexIntro : w.noNames) : '',
    names: hasSigners ? f.names : [],
    othersLine: hasSigners && others > 0 ? t(w.others(others)) : null,
  }
}

/** A letter's text as one string, the form the certificate's hash is taken over. */
export function canonicalText(doc: LetterDocument): string {
  return doc.letters
    .map((l) =>
      [
        `[${l.lang}]`,
        ...(l.sender ?? []),
        ...l.address,
        l.dateLine,
        l.referenceLine,
        l.subject,
        l.salutation,
        ...l.paragraphs,
        ...(l.table ? [l.table.head, ...l.table.rows, l.table.total].map((r) => r.join('\t')) : []),
        l.askIntro,
        ...l.askItems,
        ...l.afterAsk,
        l.closing,
        ...l.signatory,
        l.annexTitle ?? '',
        l.annexIntro,
        ...l.names,
        l.othersLine ?? '',
      ].join('\n'),
    )
    .join('\n\n')
}
