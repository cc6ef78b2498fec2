import { describe, expect, it } from 'vitest'
import { UN_LANGUAGES, UN_STATES, type UnLang } from '~/data/un-states'
import { unState } from '~/utils/countries'
import { FIRST_CAMPAIGN_LETTER_COPY } from './first-campaign-copy'
import { chineseTypography, formatDate, frenchTypography, letterText, pluralCategory, ruGenitive, runningName, type LetterFacts } from './text'

/**
 * The wording as a reader of each language expects it (docs/decisions/075): every sentence that
 * carries a count, for 0, 1, 2, 5, 21 and 1,000, written out in full.
 */

const SENDER = { name: 'Justice Watch', address: ['12 Example Street', 'London N1 1AA'], email: 'letters@justice.example', signerName: 'Maryam Example', signerTitle: 'Director' }
const DEC_1 = Date.UTC(2026, 11, 1)
const NB = '\u00a0'
const NNB = '\u202f'

function facts(country: string, over: Partial<LetterFacts> = {}): LetterFacts {
  const state = unState(country)!
  return {
    state,
    headTitle: state.status === 'observer' ? 'observer' : 'representative',
    city: 'new-york',
    countryCount: 3,
    totalCount: 10,
    countryTotal: 4,
    date: DEC_1,
    reference: 'JUSTICE/GBR/2026/1',
    code: 'ABCD-EFGH-JKMN',
    verifyUrl: 'https://petition.example/verify/ABCD-EFGH-JKMN',
    names: ['Ada Example'],
    sender: SENDER,
    ...over,
  }
}
const letter = (lang: UnLang, country: string, over: Partial<LetterFacts> = {}) => letterText(lang, FIRST_CAMPAIGN_LETTER_COPY[lang], facts(country, over))
/** The paragraph of counts; 'two' of the six counts is the reader's own spelling. */
const counts = (lang: UnLang, over: Partial<LetterFacts>) => letter(lang, 'GB', over).paragraphs[1]

const COUNTS = [0, 1, 2, 5, 21, 1000] as const

// Sentences that state the whole count (totalCount = n).
const TOTAL: Record<UnLang, string[]> = {
  en: [
    'As of 1 December 2026, no one has yet signed it and confirmed their signature by email.',
    'As of 1 December 2026, 1 person has signed it and confirmed their signature by email.',
    'As of 1 December 2026, 2 people have signed it and confirmed their signature by email.',
    'As of 1 December 2026, 5 people have signed it and confirmed their signature by email.',
    'As of 1 December 2026, 21 people have signed it and confirmed their signature by email.',
    'As of 1 December 2026, 1,000 people have signed it and confirmed their signature by email.',
  ],
  fr: [
    `Au 1er${NB}décembre 2026, personne ne l’a encore signée ni n’a confirmé sa signature par courrier électronique.`,
    `Au 1er${NB}décembre 2026, 1 personne l’a signée et a confirmé sa signature par courrier électronique.`,
    `Au 1er${NB}décembre 2026, 2 personnes l’ont signée et ont confirmé leur signature par courrier électronique.`,
    `Au 1er${NB}décembre 2026, 5 personnes l’ont signée et ont confirmé leur signature par courrier électronique.`,
    `Au 1er${NB}décembre 2026, 21 personnes l’ont signée et ont confirmé leur signature par courrier électronique.`,
    `Au 1er${NB}décembre 2026, 1${NNB}000 personnes l’ont signée et ont confirmé leur signature par courrier électronique.`,
  ],
  es: [
    'Al 1 de diciembre de 2026, aún no la ha firmado ninguna persona que haya confirmado su firma por correo electrónico.',
    'Al 1 de diciembre de 2026, la ha firmado 1 persona, que ha confirmado su firma por correo electrónico.',
    'Al 1 de diciembre de 2026, la han firmado 2 personas, que han confirmado su firma por correo electrónico.',
    'Al 1 de diciembre de 2026, la han firmado 5 personas, que han confirmado su firma por correo electrónico.',
    'Al 1 de diciembre de 2026, la han firmado 21 personas, que han confirmado su firma por correo electrónico.',
    'Al 1 de diciembre de 2026, la han firmado 1000 personas, que han confirmado su firma por correo electrónico.',
  ],
  ar: [
    'وحتى 1 كانون الأول/ديسمبر 2026، لم يوقّع أحد بعدُ على العريضة ويؤكّد توقيعه عن طريق البريد الإلكتروني.',
    'وحتى 1 كانون الأول/ديسمبر 2026، وقّع على العريضة شخص واحد أكّد توقيعه عن طريق البريد الإلكتروني.',
    'وحتى 1 كانون الأول/ديسمبر 2026، وقّع على العريضة شخصان أكّدا توقيعهما عن طريق البريد الإلكتروني.',
    'وحتى 1 كانون الأول/ديسمبر 2026، وقّع على العريضة 5 أشخاص أكّدوا توقيعهم عن طريق البريد الإلكتروني.',
    'وحتى 1 كانون الأول/ديسمبر 2026، وقّع على العريضة 21 شخصًا أكّدوا توقيعهم عن طريق البريد الإلكتروني.',
    'وحتى 1 كانون الأول/ديسمبر 2026، وقّع على العريضة 1,000 شخص أكّدوا توقيعهم عن طريق البريد الإلكتروني.',
  ],
  ru: [
    `По состоянию на 1${NB}декабря 2026${NB}года никто еще не подписал ее и не подтвердил свою подпись по электронной почте.`,
    `По состоянию на 1${NB}декабря 2026${NB}года ее подписал и подтвердил свою подпись по электронной почте 1 человек.`,
    `По состоянию на 1${NB}декабря 2026${NB}года ее подписали и подтвердили свою подпись по электронной почте 2 человека.`,
    `По состоянию на 1${NB}декабря 2026${NB}года ее подписали и подтвердили свою подпись по электронной почте 5 человек.`,
    `По состоянию на 1${NB}декабря 2026${NB}года ее подписал и подтвердил свою подпись по электронной почте 21 человек.`,
    `По состоянию на 1${NB}декабря 2026${NB}года ее подписали и подтвердили свою подпись по электронной почте 1${NB}000 человек.`,
  ],
  zh: [
    '截至2026年12月1日，尚无人签署该请愿书并通过电子邮件确认签名。',
    '截至2026年12月1日，已有1人签署该请愿书并通过电子邮件确认签名。',
    '截至2026年12月1日，已有2人签署该请愿书并通过电子邮件确认签名。',
    '截至2026年12月1日，已有5人签署该请愿书并通过电子邮件确认签名。',
    '截至2026年12月1日，已有21人签署该请愿书并通过电子邮件确认签名。',
    '截至2026年12月1日，已有1,000人签署该请愿书并通过电子邮件确认签名。',
  ],
}

// Sentences that state how many live in the mission's country (countryCount = n, totalCount 5000).
const COUNTRY: Record<UnLang, string[]> = {
  en: [
    'None of them has yet given your country as their country of residence; we write so that your Government is informed of their call. This letter therefore carries no annex of names.',
    '1 of them lives in your country.',
    '2 of them live in your country.',
    '5 of them live in your country.',
    '21 of them live in your country.',
    '1,000 of them live in your country.',
  ],
  fr: [
    `Aucun d’entre eux n’a encore indiqué résider dans votre pays${NNB}; nous vous écrivons afin que votre gouvernement soit informé de leur appel. La présente lettre ne comporte donc aucune annexe nominative.`,
    '1 d’entre eux réside dans votre pays.',
    '2 d’entre eux résident dans votre pays.',
    '5 d’entre eux résident dans votre pays.',
    '21 d’entre eux résident dans votre pays.',
    `1${NNB}000 d’entre eux résident dans votre pays.`,
  ],
  es: [
    'Ninguno de ellos ha indicado aún que reside en su país; nos dirigimos a Vuestra Excelencia para que su Gobierno tenga conocimiento de su llamamiento. Por consiguiente, la presente carta no lleva anexa ninguna lista de nombres.',
    '1 de ellos reside en su país.',
    '2 de ellos residen en su país.',
    '5 de ellos residen en su país.',
    '21 de ellos residen en su país.',
    '1000 de ellos residen en su país.',
  ],
  ar: [
    'ولم يذكر أي منهم بعدُ أنه يقيم في بلدكم، ونكتب إليكم لكي تكون حكومتكم على علم بندائهم. ولذلك لا تُرفق بهذه الرسالة قائمة بالأسماء.',
    'ويقيم منهم في بلدكم شخص واحد.',
    'ويقيم منهم في بلدكم شخصان.',
    'ويقيم منهم في بلدكم 5 أشخاص.',
    'ويقيم منهم في بلدكم 21 شخصًا.',
    'ويقيم منهم في بلدكم 1,000 شخص.',
  ],
  ru: [
    'Пока никто из них не указал Вашу страну в качестве страны проживания; мы пишем Вам, чтобы Ваше правительство было осведомлено об их призыве. Поэтому к настоящему письму не прилагается список имен.',
    'Из них 1 человек проживает в Вашей стране.',
    'Из них 2 человека проживают в Вашей стране.',
    'Из них 5 человек проживают в Вашей стране.',
    'Из них 21 человек проживает в Вашей стране.',
    `Из них 1${NB}000 человек проживают в Вашей стране.`,
  ],
  zh: [
    '目前尚无签名者表示居住在贵国；特此致函，以便贵国政府知悉他们的呼吁。因此，本函未附姓名名单。',
    '其中居住在贵国的有1人。',
    '其中居住在贵国的有2人。',
    '其中居住在贵国的有5人。',
    '其中居住在贵国的有21人。',
    '其中居住在贵国的有1,000人。',
  ],
}

// Sentences on the number of countries (countryTotal = n; said only with two signers or more).
const COUNTRIES: Record<UnLang, (string | null)[]> = {
  en: [null, 'They live in 1 country or territory.', 'They live in 2 countries and territories.', 'They live in 5 countries and territories.', 'They live in 21 countries and territories.', 'They live in 1,000 countries and territories.'],
  fr: [null, 'Les signataires résident dans 1 pays ou territoire.', 'Les signataires résident dans 2 pays et territoires.', 'Les signataires résident dans 5 pays et territoires.', 'Les signataires résident dans 21 pays et territoires.', `Les signataires résident dans 1${NNB}000 pays et territoires.`],
  es: [null, 'Los firmantes residen en 1 país o territorio.', 'Los firmantes residen en 2 países y territorios.', 'Los firmantes residen en 5 países y territorios.', 'Los firmantes residen en 21 países y territorios.', 'Los firmantes residen en 1000 países y territorios.'],
  ar: [null, 'ويقيم الموقّعون في بلد أو إقليم واحد.', 'ويقيم الموقّعون في بلدين أو إقليمين.', 'ويقيم الموقّعون في 5 بلدان وأقاليم.', 'ويقيم الموقّعون في 21 بلدًا وإقليمًا.', 'ويقيم الموقّعون في 1,000 بلد وإقليم.'],
  ru: [null, 'Подписавшие проживают в 1 стране или территории.', 'Подписавшие проживают в 2 странах и территориях.', 'Подписавшие проживают в 5 странах и территориях.', 'Подписавшие проживают в 21 стране или территории.', `Подписавшие проживают в 1${NB}000 странах и территориях.`],
  zh: [null, '签名者居住在1个国家或地区。', '签名者居住在2个国家和地区。', '签名者居住在5个国家和地区。', '签名者居住在21个国家和地区。', '签名者居住在1,000个国家和地区。'],
}

// The line on signers of the country who kept their names back (n of them, one name shown).
const OTHERS: Record<UnLang, (string | null)[]> = {
  en: [null, '1 other signatory from your country chose not to have their name transmitted.', '2 other signatories from your country chose not to have their names transmitted.', '5 other signatories from your country chose not to have their names transmitted.', '21 other signatories from your country chose not to have their names transmitted.', '1,000 other signatories from your country chose not to have their names transmitted.'],
  fr: [null, '1 autre signataire de votre pays a choisi de ne pas faire transmettre son nom.', '2 autres signataires de votre pays ont choisi de ne pas faire transmettre leur nom.', '5 autres signataires de votre pays ont choisi de ne pas faire transmettre leur nom.', '21 autres signataires de votre pays ont choisi de ne pas faire transmettre leur nom.', `1${NNB}000 autres signataires de votre pays ont choisi de ne pas faire transmettre leur nom.`],
  es: [null, '1 firmante más de su país decidió no transmitir su nombre.', '2 firmantes más de su país decidieron no transmitir su nombre.', '5 firmantes más de su país decidieron no transmitir su nombre.', '21 firmantes más de su país decidieron no transmitir su nombre.', '1000 firmantes más de su país decidieron no transmitir su nombre.'],
  ar: [null, 'واختار موقّع آخر من بلدكم عدم إحالة اسمه.', 'واختار موقّعان آخران من بلدكم عدم إحالة اسميهما.', 'واختار 5 موقّعين آخرين من بلدكم عدم إحالة أسمائهم.', 'واختار 21 موقّعًا آخر من بلدكم عدم إحالة أسمائهم.', 'واختار 1,000 موقّع آخر من بلدكم عدم إحالة أسمائهم.'],
  ru: [null, 'Еще 1 подписавший из Вашей страны решил не передавать свое имя.', 'Еще 2 подписавших из Вашей страны решили не передавать свои имена.', 'Еще 5 подписавших из Вашей страны решили не передавать свои имена.', 'Еще 21 подписавший из Вашей страны решил не передавать свое имя.', `Еще 1${NB}000 подписавших из Вашей страны решили не передавать свои имена.`],
  zh: [null, '贵国另有1名签名者选择不转交其姓名。', '贵国另有2名签名者选择不转交其姓名。', '贵国另有5名签名者选择不转交其姓名。', '贵国另有21名签名者选择不转交其姓名。', '贵国另有1,000名签名者选择不转交其姓名。'],
}

describe('counts agree in all six languages', () => {
  for (const lang of UN_LANGUAGES) {
    it(`${lang}: the whole count, the count in the country, the countries and those who kept their names back, for 0, 1, 2, 5, 21 and 1,000`, () => {
      COUNTS.forEach((n, i) => {
        expect(counts(lang, { totalCount: n, countryCount: n === 0 ? 0 : 1 }).startsWith(TOTAL[lang][i])).toBe(true)
        expect(counts(lang, { totalCount: 5000, countryCount: n, names: [] }).endsWith(COUNTRY[lang][i])).toBe(true)
        const withCountries = counts(lang, { totalCount: 5000, countryTotal: n })
        if (COUNTRIES[lang][i]) expect(withCountries).toContain(COUNTRIES[lang][i])
        const others = letter(lang, 'GB', { totalCount: 5000, countryCount: n + 1, names: ['Ada Example'] }).othersLine
        expect(others).toBe(OTHERS[lang][i] ?? (n === 0 ? null : others))
      })
    })
  }

  it('uses the plural categories of each language: three in Russian, six in Arabic', () => {
    expect([1, 2, 5, 21, 1000].map((n) => pluralCategory(n, 'ru'))).toEqual(['one', 'few', 'many', 'one', 'many'])
    expect([0, 1, 2, 5, 21, 1000].map((n) => pluralCategory(n, 'ar'))).toEqual(['zero', 'one', 'two', 'few', 'many', 'other'])
  })

  it('says nothing of the number of countries when one person has signed', () => {
    expect(counts('en', { totalCount: 1, countryCount: 1, countryTotal: 1 })).toBe(`${TOTAL.en[1]} 1 of them lives in your country.`)
  })
})

describe('the address block and the names of states', () => {
  it('puts the state in the genitive for every Russian-language mission', () => {
    const expected: Record<string, string> = {
      RU: 'Постоянному представителю Российской Федерации при Организации Объединенных Наций',
      KZ: 'Постоянному представителю Республики Казахстан при Организации Объединенных Наций',
      KG: 'Постоянному представителю Кыргызской Республики при Организации Объединенных Наций',
      BY: 'Постоянному представителю Республики Беларусь при Организации Объединенных Наций',
      TJ: 'Постоянному представителю Республики Таджикистан при Организации Объединенных Наций',
      TM: 'Постоянному представителю Туркменистана при Организации Объединенных Наций',
      UZ: 'Постоянному представителю Республики Узбекистан при Организации Объединенных Наций',
    }
    const russianMissions = UN_STATES.filter((s) => s.correspondenceLanguage === 'ru').map((s) => s.code)
    expect(russianMissions.sort()).toEqual(Object.keys(expected).sort())
    for (const [code, line] of Object.entries(expected)) expect(letter('ru', code).address).toEqual([line, 'Нью-Йорк'])
    expect(letter('ru', 'VA').address[0]).toBe('Постоянному наблюдателю Святого Престола при Организации Объединенных Наций')
    expect(letter('ru', 'RU').referenceLine).toBe('Исх. № JUSTICE/GBR/2026/1')
  })

  it('declines the other states’ names too, should an organiser choose Russian for them', () => {
    const cases: Record<string, string> = {
      GB: 'Соединенного Королевства Великобритании и Северной Ирландии',
      US: 'Соединенных Штатов Америки',
      AE: 'Объединенных Арабских Эмиратов',
      MX: 'Мексиканских Соединенных Штатов',
      KP: 'Корейской Народно-Демократической Республики',
      ZA: 'Южно-Африканской Республики',
      JP: 'Японии',
      UA: 'Украины',
      BA: 'Боснии и Герцеговины',
      AG: 'Антигуа и Барбуды',
      VC: 'Сент-Винсента и Гренадин',
      SB: 'Соломоновых Островов',
      NZ: 'Новой Зеландии',
      SA: 'Королевства Саудовская Аравия',
      IR: 'Исламской Республики Иран',
      PS: 'Государства Палестина',
      TV: 'Тувалу',
    }
    for (const [code, gen] of Object.entries(cases)) expect(ruGenitive(unState(code)!.unName.formal.ru)).toBe(gen)
  })

  it('writes names as running text with their articles, never the list forms', () => {
    expect(runningName(unState('FR')!, 'fr')).toBe('la France')
    expect(runningName(unState('CI')!, 'fr')).toBe('la Côte d’Ivoire')
    expect(runningName(unState('AD')!, 'fr')).toBe('l’Andorre')
    expect(runningName(unState('GB')!, 'en')).toBe('the United Kingdom of Great Britain and Northern Ireland')
    expect(runningName(unState('IR')!, 'en')).toBe('the Islamic Republic of Iran')
    expect(runningName(unState('MX')!, 'es')).toBe('México')
    expect(letter('en', 'GB').annexTitle).toBe('Annex: signatories living in the United Kingdom of Great Britain and Northern Ireland')
    expect(letter('fr', 'FR').annexTitle).toBe(`Annexe${NB}: signataires dont le pays de résidence est la France`)
    expect(letter('fr', 'CI').annexTitle).toBe(`Annexe${NB}: signataires dont le pays de résidence est la Côte d’Ivoire`)
    expect(letter('ru', 'KZ').annexTitle).toBe('Приложение: подписавшие, страна проживания которых — Казахстан')
    for (const s of UN_STATES)
      for (const lang of UN_LANGUAGES) {
        const l = letter(lang, s.code)
        expect([...l.address, l.annexTitle].join(' ')).not.toMatch(/\((the|le|la|l'|les|el|los|las)\)/)
      }
  })

  it('addresses observers as Permanent Observers in every language', () => {
    expect(letter('en', 'PS').address[0]).toBe('The Permanent Observer of the State of Palestine to the United Nations')
    expect(letter('fr', 'VA').address[0]).toBe('L’Observateur permanent du Saint-Siège auprès de l’Organisation des Nations Unies')
    expect(letter('es', 'VA').address[0]).toBe('Observador Permanente de la Santa Sede ante las Naciones Unidas')
    expect(letter('ar', 'PS').address[0]).toBe('سعادة المراقب الدائم لدولة فلسطين لدى الأمم المتحدة')
    expect(letter('ru', 'PS').address[0]).toBe('Постоянному наблюдателю Государства Палестина при Организации Объединенных Наций')
    expect(letter('zh', 'PS').address[0]).toBe('巴勒斯坦国常驻联合国观察员阁下')
  })
})

describe('dates and typography', () => {
  it('writes dates as UN correspondence does in each language', () => {
    expect(formatDate(DEC_1, 'en')).toBe('1 December 2026')
    expect(formatDate(DEC_1, 'fr')).toBe(`1er${NB}décembre 2026`)
    expect(formatDate(Date.UTC(2026, 5, 2), 'fr')).toBe(`2${NB}juin 2026`)
    expect(formatDate(DEC_1, 'es')).toBe('1 de diciembre de 2026')
    expect(formatDate(DEC_1, 'ru')).toBe(`1${NB}декабря 2026${NB}года`)
    expect(formatDate(DEC_1, 'ar')).toBe('1 كانون الأول/ديسمبر 2026')
    expect(formatDate(Date.UTC(2026, 6, 14), 'ar')).toBe('14 تموز/يوليه 2026')
    expect(formatDate(DEC_1, 'zh')).toBe('2026年12月1日')
  })

  it('sets French with no-break spaces before ; : ! ? and inside « », leaving URLs alone', () => {
    expect(frenchTypography('Objet : la « pétition » ; vraiment ? Oui! https://x.example/a?b=c')).toBe(
      `Objet${NB}: la «${NB}pétition${NB}» ${NNB}; vraiment${NNB}? Oui${NNB}! https://x.example/a?b=c`.replace(` ${NNB};`, `${NNB};`),
    )
    const fr = letter('fr', 'FR')
    const all = [fr.subject, fr.referenceLine, ...fr.paragraphs, fr.askIntro, ...fr.askItems, ...fr.afterAsk, fr.annexTitle, fr.annexIntro].join('\n')
    expect(all).not.toMatch(/ [;:!?»]|« /)
    expect(all).toContain(`«${NB}Vérité et justice`)
    expect(fr.afterAsk[1]).toContain('https://petition.example/verify/ABCD-EFGH-JKMN')
  })

  it('sets Chinese with full-width punctuation', () => {
    expect(chineseTypography('签名者(共5人),见附件:谢谢')).toBe('签名者（共5人），见附件：谢谢')
    const zh = letter('zh', 'CN')
    const all = [zh.subject, zh.referenceLine, ...zh.paragraphs, ...zh.afterAsk, zh.annexTitle].join('\n')
    expect(all).not.toMatch(/[\u4e00-\u9fff][,;:()]/)
    expect(zh.referenceLine).toBe('编号：JUSTICE/GBR/2026/1')
  })

  it('uses no gender hedges and speaks for the organisation in the first person plural', () => {
    for (const lang of UN_LANGUAGES) {
      const l = letter(lang, 'GB')
      const all = [...l.paragraphs, ...l.afterAsk, l.closing].join('\n')
      expect(all).not.toMatch(/\((e|a|s|льна|ла)\)|\/a\b/)
      expect(l.signatory).toEqual(['Maryam Example', 'Director', 'Justice Watch'])
      expect(l.sender).toEqual(['Justice Watch', '12 Example Street', 'London N1 1AA', 'letters@justice.example'])
    }
    expect(letter('fr', 'FR').afterAsk[2]).toBe('Nous vous serions reconnaissants de bien vouloir porter la présente lettre à l’attention de votre gouvernement.')
    expect(letter('ru', 'RU').afterAsk[2]).toBe('Будем признательны Вам за доведение настоящего письма до сведения Вашего правительства.')
  })
})

describe('what the count is and how to check it', () => {
  it('says in each language who is counted and where the letter is checked', () => {
    const said: Record<UnLang, [string, string]> = {
      en: ['confirmed their signature through a link sent to their email address', 'gave it as their country of residence'],
      fr: ['confirmé leur signature au moyen d’un lien envoyé à leur adresse électronique', 'l’ont indiqué comme pays de résidence'],
      es: ['confirmaron su firma mediante un enlace enviado a su dirección de correo electrónico', 'lo indicaron como país de residencia'],
      ar: ['أكّدوا توقيعهم عبر رابط أُرسل إلى عنوان بريدهم الإلكتروني', 'أنه بلد إقامته'],
      ru: ['подтвердившие свою подпись по ссылке, направленной на их адрес электронной почты', 'указал ее в качестве страны проживания'],
      zh: ['通过发送至本人电子邮件地址的链接确认签名', '表示居住在贵国'],
    }
    for (const lang of UN_LANGUAGES) {
      const l = letter(lang, 'GB')
      expect(l.afterAsk[0]).toContain(said[lang][0])
      expect(l.afterAsk[0]).toContain(said[lang][1])
      expect(l.afterAsk[1]).toContain('https://petition.example/verify/ABCD-EFGH-JKMN')
      expect(l.afterAsk[1]).toContain('ABCD-EFGH-JKMN')
    }
  })

  it('gives a state with no signer a letter without an annex, saying so', () => {
    for (const lang of UN_LANGUAGES) {
      const l = letter(lang, 'GB', { countryCount: 0, names: [] })
      expect(l.annexTitle).toBeNull()
      expect(l.names).toEqual([])
      expect(l.othersLine).toBeNull()
      expect(l.paragraphs[1].endsWith(COUNTRY[lang][0])).toBe(true)
    }
  })
})
