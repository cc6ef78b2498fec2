import type { UnLang } from '~/data/un-states'
import { chineseTypography, frenchTypography, plural, type LetterText } from './text'

/**
 * The sentence a state's letter adds when its campaign includes paper signatures (ADR 134): how many
 * people giving the state as their country signed on paper, said apart from the certified figures,
 * as gathered by the organisers and never confirmed by email. No name of a paper signer is sent.
 */
const PAPER: Record<UnLang, (n: number) => string> = {
  en: (n) =>
    plural(n, 'en', {
      one: 'In addition, {n} person who gave your country as their country of residence signed the petition on paper at a vigil or public event.',
      other: 'In addition, {n} people who gave your country as their country of residence signed the petition on paper at vigils and public events.',
    }) +
    ' These paper signatures were collected and entered by the organisers; they have not been confirmed by email, are not included in the figures above and are not covered by the certificate of this letter.',
  fr: (n) =>
    plural(n, 'fr', {
      one: 'En outre, {n} personne ayant indiqué votre pays comme pays de résidence a signé la pétition sur papier lors d’une veillée ou d’une manifestation publique.',
      other: 'En outre, {n} personnes ayant indiqué votre pays comme pays de résidence ont signé la pétition sur papier lors de veillées et de manifestations publiques.',
    }) +
    ' Ces signatures sur papier ont été recueillies et saisies par les organisateurs ; elles n’ont pas été confirmées par courrier électronique, ne sont pas comprises dans les chiffres ci-dessus et ne sont pas couvertes par le certificat de la présente lettre.',
  es: (n) =>
    plural(n, 'es', {
      one: 'Además, {n} persona que indicó su país como país de residencia firmó la petición en papel en una vigilia o un acto público.',
      other: 'Además, {n} personas que indicaron su país como país de residencia firmaron la petición en papel en vigilias y actos públicos.',
    }) +
    ' Estas firmas en papel fueron recogidas e introducidas por los organizadores; no han sido confirmadas por correo electrónico, no están incluidas en las cifras anteriores y no están amparadas por el certificado de la presente carta.',
  ar: (n) =>
    plural(n, 'ar', {
      one: 'وعلاوة على ذلك، وقّع على نسخة ورقية من العريضة، في وقفة أو فعالية عامة، شخص واحد ذكر أن بلدكم هو بلد إقامته.',
      two: 'وعلاوة على ذلك، وقّع على نسخ ورقية من العريضة، في وقفات وفعاليات عامة، شخصان ذكرا أن بلدكم هو بلد إقامتهما.',
      few: 'وعلاوة على ذلك، وقّع على نسخ ورقية من العريضة، في وقفات وفعاليات عامة، {n} أشخاص ذكروا أن بلدكم هو بلد إقامتهم.',
      many: 'وعلاوة على ذلك، وقّع على نسخ ورقية من العريضة، في وقفات وفعاليات عامة، {n} شخصًا ذكروا أن بلدكم هو بلد إقامتهم.',
      other: 'وعلاوة على ذلك، وقّع على نسخ ورقية من العريضة، في وقفات وفعاليات عامة، {n} شخص ذكروا أن بلدكم هو بلد إقامتهم.',
    }) +
    ' وقد جمع المنظمون هذه التوقيعات الورقية وأدخلوها، ولم تُؤكَّد عن طريق البريد الإلكتروني، وهي غير مشمولة في الأرقام الواردة أعلاه ولا في شهادة هذه الرسالة.',
  ru: (n) =>
    plural(n, 'ru', {
      one: 'Кроме того, {n} человек, указавший Вашу страну в качестве страны проживания, подписал петицию на бумаге во время акции или публичного мероприятия.',
      few: 'Кроме того, {n} человека, указавшие Вашу страну в качестве страны проживания, подписали петицию на бумаге во время акций и публичных мероприятий.',
      other: 'Кроме того, {n} человек, указавших Вашу страну в качестве страны проживания, подписали петицию на бумаге во время акций и публичных мероприятий.',
    }) +
    ' Эти подписи на бумаге были собраны и внесены организаторами; они не подтверждены по электронной почте, не включены в приведенные выше данные и не охватываются сертификатом настоящего письма.',
  zh: (n) =>
    plural(n, 'zh', { other: '此外，另有{n}名表示居住在贵国的人士在守夜活动和公开活动中以纸质形式签署了该请愿书。' }) +
    '这些纸质签名由组织者收集并录入，未经电子邮件确认，不计入上述数字，也不在本函证书的证明范围之内。',
}

export function paperSentence(lang: UnLang, n: number): string {
  const s = PAPER[lang](n)
  return lang === 'fr' ? frenchTypography(s) : lang === 'zh' ? chineseTypography(s) : s
}

/** The letter with the paper sentence after the one saying what the certified figures count; unchanged for none. */
export function withPaperFigure(letter: LetterText, paperCount: number | null | undefined): LetterText {
  if (!paperCount) return letter
  const [explain, ...rest] = letter.afterAsk
  return { ...letter, afterAsk: [explain, paperSentence(letter.lang, paperCount), ...rest] }
}
