import type { UnLang, UnState } from '~/data/un-states'

/**
 * The wording of letters to permanent missions in the six UN languages. Formulas follow the UN
 * Correspondence Manual and the usage of each language's UN editorial service. The body refers to
 * "your country" rather than the state's name, so no language needs its name declined (Russian,
 * Arabic); the state's formal UN name stands in the address block.
 */

export interface LetterCopy {
  /** the petition's title in this language */
  title: string
  /** one paragraph of facts, sober and attributed */
  context: string
  /** the sentence that introduces the ask */
  askIntro: string
  askItems: string[]
  /** who signs, one line per array item */
  signatory: string
}

export interface LetterFacts {
  state: UnState
  headTitle: 'representative' | 'observer'
  city: 'new-york' | 'geneva'
  countryCount: number
  totalCount: number
  countryTotal: number
  /** when the snapshot was taken, epoch ms */
  date: number
  reference: string
  code: string
  verifyUrl: string
  names: string[]
}

/** One letter in one language, as plain strings: HTML, PDF and the certified text all come from it. */
export interface LetterText {
  lang: UnLang
  dir: 'ltr' | 'rtl'
  address: string[]
  dateLine: string
  referenceLine: string
  subject: string
  salutation: string
  paragraphs: string[]
  askIntro: string
  askItems: string[]
  /** the verification paragraph and the request to inform the Government */
  afterAsk: string[]
  closing: string
  signatory: string[]
  annexTitle: string
  annexIntro: string
  names: string[]
  othersLine: string | null
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

export const formatNumber = (n: number, lang: UnLang) => new Intl.NumberFormat(numberLocale[lang]).format(n)

export function formatDate(ms: number, lang: UnLang): string {
  return new Intl.DateTimeFormat(numberLocale[lang], { dateStyle: 'long', timeZone: 'UTC' }).format(ms)
}

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

const ruPlural = new Intl.PluralRules('ru')
function ruPeople(n: number) {
  const form = ruPlural.select(n)
  return form === 'one' ? 'человек' : form === 'few' ? 'человека' : 'человек'
}

const frPlural = new Intl.PluralRules('fr')
const esPlural = new Intl.PluralRules('es')
const enPlural = new Intl.PluralRules('en')

interface Wording {
  address(f: LetterFacts): string[]
  subject(title: string): string
  salutation: string
  opening(f: LetterFacts, title: string): string
  countries(f: LetterFacts): string
  verify(f: LetterFacts): string
  attention: string
  closing: string
  annexTitle(f: LetterFacts): string
  annexIntro(f: LetterFacts): string
  noNames: string
  others(n: number): string
}

const N = (n: number, lang: UnLang) => formatNumber(n, lang)

const WORDING: Record<UnLang, Wording> = {
  en: {
    address: (f) => [
      `The Permanent ${f.headTitle === 'observer' ? 'Observer' : 'Representative'} of ${f.state.unName.formal.en} to the United Nations${f.city === 'geneva' ? ' Office at Geneva' : ''}`,
      f.city === 'geneva' ? 'Geneva' : 'New York',
    ],
    subject: (title) => `Petition: ${title}`,
    salutation: 'Excellency,',
    opening: (f, title) =>
      `I have the honour to write to you on behalf of the ${N(f.totalCount, 'en')} ${enPlural.select(f.totalCount) === 'one' ? 'person' : 'people'} who, as of ${formatDate(f.date, 'en')}, have signed the petition “${title}” and confirmed their signature by email.`,
    countries: (f) =>
      f.countryCount > 0
        ? `The signatories live in ${N(f.countryTotal, 'en')} ${f.countryTotal === 1 ? 'country or territory' : 'countries and territories'}; ${N(f.countryCount, 'en')} of them live in your country.`
        : `The signatories live in ${N(f.countryTotal, 'en')} ${f.countryTotal === 1 ? 'country or territory' : 'countries and territories'}; none has yet given your country as their place of residence, and I write so that your Government is informed of their call.`,
    verify: (f) =>
      `The figures in this letter can be verified at ${f.verifyUrl} (verification code ${f.code}), where a cryptographic commitment to the set of signatures counted is published, signed by the platform.`,
    attention: 'I should be grateful if you would bring this letter to the attention of your Government.',
    closing: 'Please accept, Excellency, the assurances of my highest consideration.',
    annexTitle: (f) => `Annex: signatories living in ${f.state.unName.short.en.replace(/ \((the)\)$/, '')}`,
    annexIntro: () => 'Signatories who agreed to have their names transmitted to your mission:',
    noNames: 'No signatory from your country asked for their name to be transmitted.',
    others: (n) => `${N(n, 'en')} other ${n === 1 ? 'signatory' : 'signatories'} from your country chose not to have their names transmitted.`,
  },
  fr: {
    address: (f) => [
      `${f.headTitle === 'observer' ? 'L’Observateur permanent' : 'Le Représentant permanent'} ${frOf(f.state.unName.formal.fr)} ${f.city === 'geneva' ? 'auprès de l’Office des Nations Unies à Genève' : 'auprès de l’Organisation des Nations Unies'}`,
      f.city === 'geneva' ? 'Genève' : 'New York',
    ],
    subject: (title) => `Pétition : ${title}`,
    salutation: 'Excellence,',
    opening: (f, title) =>
      `J’ai l’honneur de vous écrire au nom des ${N(f.totalCount, 'fr')} ${frPlural.select(f.totalCount) === 'one' ? 'personne' : 'personnes'} qui, au ${formatDate(f.date, 'fr')}, ont signé la pétition « ${title} » et confirmé leur signature par courrier électronique.`,
    countries: (f) =>
      f.countryCount > 0
        ? `Les signataires résident dans ${N(f.countryTotal, 'fr')} pays et territoires ; ${N(f.countryCount, 'fr')} d’entre eux résident dans votre pays.`
        : `Les signataires résident dans ${N(f.countryTotal, 'fr')} pays et territoires ; aucun n’a encore indiqué résider dans votre pays, et je vous écris afin que votre gouvernement soit informé de leur appel.`,
    verify: (f) =>
      `Les chiffres indiqués dans la présente lettre peuvent être vérifiés à l’adresse ${f.verifyUrl} (code de vérification ${f.code}), où est publié un engagement cryptographique sur l’ensemble des signatures comptées, signé par la plateforme.`,
    attention: 'Je vous serais reconnaissant(e) de bien vouloir porter la présente lettre à l’attention de votre gouvernement.',
    closing: 'Veuillez agréer, Excellence, les assurances de ma très haute considération.',
    annexTitle: (f) => `Annexe : signataires résidant dans le pays suivant : ${f.state.unName.short.fr}`,
    annexIntro: () => 'Signataires ayant accepté que leur nom soit transmis à votre mission :',
    noNames: 'Aucun signataire de votre pays n’a demandé que son nom soit transmis.',
    others: (n) => `${N(n, 'fr')} ${frPlural.select(n) === 'one' ? 'autre signataire de votre pays a choisi' : 'autres signataires de votre pays ont choisi'} de ne pas faire transmettre leur nom.`,
  },
  es: {
    address: (f) => [
      `${f.headTitle === 'observer' ? 'Observador Permanente' : 'Representante Permanente'} ${esOf(f.state.unName.formal.es)} ${f.city === 'geneva' ? 'ante la Oficina de las Naciones Unidas en Ginebra' : 'ante las Naciones Unidas'}`,
      f.city === 'geneva' ? 'Ginebra' : 'Nueva York',
    ],
    subject: (title) => `Petición: ${title}`,
    salutation: 'Excelencia:',
    opening: (f, title) =>
      `Tengo el honor de dirigirme a usted en nombre de las ${N(f.totalCount, 'es')} ${esPlural.select(f.totalCount) === 'one' ? 'persona' : 'personas'} que, al ${formatDate(f.date, 'es')}, han firmado la petición «${title}» y han confirmado su firma por correo electrónico.`,
    countries: (f) =>
      f.countryCount > 0
        ? `Los firmantes residen en ${N(f.countryTotal, 'es')} países y territorios; ${N(f.countryCount, 'es')} de ellos residen en su país.`
        : `Los firmantes residen en ${N(f.countryTotal, 'es')} países y territorios; ninguno ha indicado aún que reside en su país, y le escribo para que su Gobierno tenga conocimiento de su llamamiento.`,
    verify: (f) =>
      `Las cifras que figuran en la presente carta pueden verificarse en ${f.verifyUrl} (código de verificación ${f.code}), donde se publica un compromiso criptográfico sobre el conjunto de las firmas contadas, firmado por la plataforma.`,
    attention: 'Le agradecería que tuviera a bien señalar la presente carta a la atención de su Gobierno.',
    closing: 'Aprovecho la ocasión para reiterar a Vuestra Excelencia las seguridades de mi más alta consideración.',
    annexTitle: (f) => `Anexo: firmantes que residen en el país siguiente: ${f.state.unName.short.es}`,
    annexIntro: () => 'Firmantes que aceptaron que su nombre se transmitiera a su misión:',
    noNames: 'Ningún firmante de su país pidió que se transmitiera su nombre.',
    others: (n) => `${N(n, 'es')} ${esPlural.select(n) === 'one' ? 'firmante más de su país decidió' : 'firmantes más de su país decidieron'} no transmitir su nombre.`,
  },
  ar: {
    address: (f) => [
      `سعادة ${f.headTitle === 'observer' ? 'المراقب الدائم' : 'الممثل الدائم'} ${arLi(f.state.unName.formal.ar)} ${f.city === 'geneva' ? 'لدى مكتب الأمم المتحدة في جنيف' : 'لدى الأمم المتحدة'}`,
      f.city === 'geneva' ? 'جنيف' : 'نيويورك',
    ],
    subject: (title) => `الموضوع: عريضة بعنوان «${title}»`,
    salutation: 'صاحب السعادة،',
    opening: (f, title) =>
      `يشرفني أن أكتب إليكم باسم الأشخاص الذين وقّعوا العريضة المعنونة «${title}» وأكّدوا توقيعهم عن طريق البريد الإلكتروني، والذين بلغ عددهم ${N(f.totalCount, 'ar')} حتى ${formatDate(f.date, 'ar')}.`,
    countries: (f) =>
      f.countryCount > 0
        ? `ويقيم الموقّعون في بلدان وأقاليم يبلغ عددها ${N(f.countryTotal, 'ar')}، ويبلغ عدد المقيمين منهم في بلدكم ${N(f.countryCount, 'ar')}.`
        : `ويقيم الموقّعون في بلدان وأقاليم يبلغ عددها ${N(f.countryTotal, 'ar')}، ولم يذكر أي منهم بعدُ أنه يقيم في بلدكم، وأكتب إليكم لكي تكون حكومتكم على علم بندائهم.`,
    verify: (f) =>
      `ويمكن التحقق من الأرقام الواردة في هذه الرسالة على العنوان ${f.verifyUrl} (رمز التحقق ${f.code})، حيث يُنشر التزام تشفيري بمجموعة التوقيعات المحتسبة، موقّع من المنصة.`,
    attention: 'وسأكون ممتنًا لو تفضلتم بإطلاع حكومتكم على هذه الرسالة.',
    closing: 'وتفضلوا، صاحب السعادة، بقبول أسمى آيات التقدير والاحترام.',
    annexTitle: (f) => `المرفق: الموقّعون المقيمون في ${f.state.unName.short.ar}`,
    annexIntro: () => 'الموقّعون الذين وافقوا على إحالة أسمائهم إلى بعثتكم:',
    noNames: 'لم يطلب أي من الموقّعين من بلدكم إحالة اسمه.',
    others: (n) => `عدد الموقّعين الآخرين من بلدكم الذين اختاروا عدم إحالة أسمائهم: ${N(n, 'ar')}.`,
  },
  ru: {
    address: (f) => [
      f.headTitle === 'observer' ? 'Постоянному наблюдателю' : 'Постоянному представителю',
      f.state.unName.formal.ru,
      f.city === 'geneva' ? 'при Отделении Организации Объединенных Наций в Женеве' : 'при Организации Объединенных Наций',
      f.city === 'geneva' ? 'Женева' : 'Нью-Йорк',
    ],
    subject: (title) => `Петиция «${title}»`,
    salutation: 'Ваше Превосходительство!',
    opening: (f, title) =>
      `Имею честь обратиться к Вам от имени ${N(f.totalCount, 'ru')} ${ruPlural.select(f.totalCount) === 'one' ? 'человека' : 'человек'}, которые по состоянию на ${formatDate(f.date, 'ru')} подписали петицию «${title}» и подтвердили свою подпись по электронной почте.`,
    countries: (f) =>
      f.countryCount > 0
        ? `Число стран и территорий, в которых проживают подписавшие, составляет ${N(f.countryTotal, 'ru')}; в Вашей стране проживает ${N(f.countryCount, 'ru')} ${ruPeople(f.countryCount)} из их числа.`
        : `Число стран и территорий, в которых проживают подписавшие, составляет ${N(f.countryTotal, 'ru')}; пока никто из них не указал Вашу страну в качестве страны проживания, и я пишу Вам, чтобы Ваше правительство было осведомлено об их призыве.`,
    verify: (f) =>
      `Приведенные в настоящем письме данные можно проверить по адресу ${f.verifyUrl} (код проверки ${f.code}), где опубликовано подписанное платформой криптографическое обязательство в отношении совокупности учтенных подписей.`,
    attention: 'Буду признателен(льна) Вам за доведение настоящего письма до сведения Вашего правительства.',
    closing: 'Примите, Ваше Превосходительство, уверения в моем самом высоком уважении.',
    annexTitle: (f) => `Приложение: подписавшие, проживающие в стране: ${f.state.unName.short.ru}`,
    annexIntro: () => 'Подписавшие, согласившиеся на передачу своего имени Вашему представительству:',
    noNames: 'Никто из подписавших в Вашей стране не просил передать свое имя.',
    others: (n) => `Число других подписавших из Вашей страны, решивших не передавать свое имя: ${N(n, 'ru')}.`,
  },
  zh: {
    address: (f) => [
      `${f.state.unName.formal.zh}常驻联合国${f.city === 'geneva' ? '日内瓦办事处' : ''}${f.headTitle === 'observer' ? '观察员' : '代表'}阁下`,
      f.city === 'geneva' ? '日内瓦' : '纽约',
    ],
    subject: (title) => `事由：“${title}”请愿`,
    salutation: '阁下：',
    opening: (f, title) =>
      `谨代表截至${formatDate(f.date, 'zh')}已签署“${title}”请愿书并通过电子邮件确认签名的${N(f.totalCount, 'zh')}人致函阁下。`,
    countries: (f) =>
      f.countryCount > 0
        ? `签名者居住在${N(f.countryTotal, 'zh')}个国家和地区，其中居住在贵国的有${N(f.countryCount, 'zh')}人。`
        : `签名者居住在${N(f.countryTotal, 'zh')}个国家和地区，目前尚无签名者表示居住在贵国；特此致函，以便贵国政府知悉他们的呼吁。`,
    verify: (f) =>
      `本函所列数字可在${f.verifyUrl}核实（核实码${f.code}）。该网页公布了经本平台签署的、对所计签名集合的密码学承诺。`,
    attention: '请将本函转呈贵国政府为荷。',
    closing: '顺致最崇高的敬意。',
    annexTitle: (f) => `附件：居住在${f.state.unName.short.zh}的签名者`,
    annexIntro: () => '同意将其姓名转交贵代表团的签名者：',
    noNames: '贵国签名者中无人要求转交其姓名。',
    others: (n) => `贵国另有${N(n, 'zh')}名签名者选择不转交其姓名。`,
  },
}

export function letterText(lang: UnLang, copy: LetterCopy, f: LetterFacts): LetterText {
  const w = WORDING[lang]
  const dateLine = formatDate(f.date, lang)
  const refLabel: Record<UnLang, string> = { en: 'Reference', fr: 'Référence', es: 'Referencia', ar: 'المرجع', ru: 'Ссылка', zh: '编号' }
  return {
    lang,
    dir: lang === 'ar' ? 'rtl' : 'ltr',
    address: w.address(f),
    dateLine,
    referenceLine: `${refLabel[lang]}${lang === 'fr' ? ' : ' : lang === 'zh' ? '：' : ': '}${f.reference}`,
    subject: w.subject(copy.title),
    salutation: w.salutation,
    paragraphs: [w.opening(f, copy.title), w.countries(f), copy.context],
    askIntro: copy.askIntro,
    askItems: copy.askItems,
    afterAsk: [w.verify(f), w.attention],
    closing: w.closing,
    signatory: copy.signatory.split('\n'),
    annexTitle: w.annexTitle(f),
    annexIntro: f.names.length ? w.annexIntro(f) : w.noNames,
    names: f.names,
    othersLine: f.countryCount - f.names.length > 0 ? w.others(f.countryCount - f.names.length) : null,
  }
}

/** A letter's text as one string, the form the certificate's hash is taken over. */
export function canonicalText(doc: LetterDocument): string {
  return doc.letters
    .map((l) =>
      [
        `[${l.lang}]`,
        ...l.address,
        l.dateLine,
        l.referenceLine,
        l.subject,
        l.salutation,
        ...l.paragraphs,
        l.askIntro,
        ...l.askItems,
        ...l.afterAsk,
        l.closing,
        ...l.signatory,
        l.annexTitle,
        l.annexIntro,
        ...l.names,
        l.othersLine ?? '',
      ].join('\n'),
    )
    .join('\n\n')
}
