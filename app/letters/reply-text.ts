import type { UnLang, UnState } from '~/data/un-states'
import { arLi, chineseTypography, esOf, frenchTypography, frOf, ruGenitive } from './text'

/**
 * The mission's reply page in the language of the letter it received (docs/decisions/077), in the
 * same register as the letter. Texts with a count or a size take it as an argument.
 */
export interface ReplyText {
  title(petition: string): string
  intro(state: UnState, observer: boolean): string
  body: string
  document(mb: number): string
  publish: string
  submit: string
  thanks: string
  thanksPublic: string
  thanksPrivate: string
  tooLarge(mb: number): string
  quota: string
  bodyRequired: string
  docType: string
  docMismatch: string
  unreadable: string
}

const TEXT: Record<UnLang, ReplyText> = {
  en: {
    title: (t) => `Reply to the petition “${t}”`,
    intro: (s, o) =>
      `This private page is for the ${o ? 'Permanent Observer Mission' : 'permanent mission'} of ${s.unName.formal.en} only. Your reply goes to the organisers of the petition. It will be published on the campaign’s page of replies only if you tick the box below and the organisers then approve it.`,
    body: 'Your reply',
    document: (mb) => `A document (optional: PDF, Word, OpenDocument, PNG, JPEG or text, up to ${mb} MB)`,
    publish: 'The organisers may publish this reply on the campaign’s page of replies',
    submit: 'Send the reply',
    thanks: 'Thank you: your reply has been received.',
    thanksPublic: 'You allowed its publication: it will appear on the campaign’s page of replies once the organisers have approved it.',
    thanksPrivate: 'It will not be published.',
    tooLarge: (mb) => `The document is larger than ${mb} MB. Please attach a smaller file.`,
    quota: 'This link has received as much as it can take. Please write to the organisers at the address given in the letter.',
    bodyRequired: 'Please write your reply.',
    docType: 'Please attach a PDF, Word, OpenDocument, PNG, JPEG or text file.',
    docMismatch: 'The document’s content does not match its type. Please attach the file again.',
    unreadable: 'Your reply could not be read as it arrived. Nothing was recorded: please send it again.',
  },
  fr: {
    title: (t) => `Réponse à la pétition « ${t} »`,
    intro: (s, o) =>
      `Cette page privée est réservée à la ${o ? 'mission permanente d’observation' : 'mission permanente'} ${frOf(s.unName.formal.fr)}. Votre réponse est transmise aux organisateurs de la pétition. Elle ne sera publiée sur la page des réponses de la campagne que si vous cochez la case ci-dessous et que les organisateurs l’approuvent ensuite.`,
    body: 'Votre réponse',
    document: (mb) => `Un document (facultatif : PDF, Word, OpenDocument, PNG, JPEG ou texte, ${mb} Mo au plus)`,
    publish: 'Les organisateurs peuvent publier cette réponse sur la page des réponses de la campagne',
    submit: 'Envoyer la réponse',
    thanks: 'Merci : votre réponse a bien été reçue.',
    thanksPublic: 'Vous en avez autorisé la publication : elle figurera sur la page des réponses de la campagne dès que les organisateurs l’auront approuvée.',
    thanksPrivate: 'Elle ne sera pas publiée.',
    tooLarge: (mb) => `Le document dépasse ${mb} Mo. Veuillez joindre un fichier plus léger.`,
    quota: 'Ce lien a reçu tout ce qu’il peut accepter. Veuillez écrire aux organisateurs à l’adresse indiquée dans la lettre.',
    bodyRequired: 'Veuillez rédiger votre réponse.',
    docType: 'Veuillez joindre un fichier PDF, Word, OpenDocument, PNG, JPEG ou texte.',
    docMismatch: 'Le contenu du document ne correspond pas à son type. Veuillez joindre le fichier à nouveau.',
    unreadable: 'Votre réponse n’a pas pu être lue telle qu’elle est parvenue. Rien n’a été enregistré\xa0: veuillez l’envoyer à nouveau.',
  },
  es: {
    title: (t) => `Respuesta a la petición «${t}»`,
    intro: (s, o) =>
      `Esta página privada está reservada a la ${o ? 'Misión Permanente de Observación' : 'misión permanente'} ${esOf(s.unName.formal.es)}. Su respuesta se transmite a los organizadores de la petición. Solo se publicará en la página de respuestas de la campaña si marca la casilla que figura a continuación y los organizadores la aprueban después.`,
    body: 'Su respuesta',
    document: (mb) => `Un documento (opcional: PDF, Word, OpenDocument, PNG, JPEG o texto, de hasta ${mb} MB)`,
    publish: 'Los organizadores pueden publicar esta respuesta en la página de respuestas de la campaña',
    submit: 'Enviar la respuesta',
    thanks: 'Gracias: hemos recibido su respuesta.',
    thanksPublic: 'Ha autorizado su publicación: figurará en la página de respuestas de la campaña cuando los organizadores la hayan aprobado.',
    thanksPrivate: 'No se publicará.',
    tooLarge: (mb) => `El documento supera los ${mb} MB. Adjunte un archivo más pequeño.`,
    quota: 'Este enlace ya ha recibido todo lo que puede aceptar. Escriba a los organizadores a la dirección que figura en la carta.',
    bodyRequired: 'Escriba su respuesta.',
    docType: 'Adjunte un archivo PDF, Word, OpenDocument, PNG, JPEG o de texto.',
    docMismatch: 'El contenido del documento no corresponde a su tipo. Vuelva a adjuntar el archivo.',
    unreadable: 'No se pudo leer su respuesta tal como llegó. No se ha registrado nada: le rogamos que la envíe de nuevo.',
  },
  ar: {
    title: (t) => `الرد على العريضة المعنونة «${t}»`,
    intro: (s, o) =>
      `هذه الصفحة الخاصة مخصصة ${o ? 'لبعثة المراقبة الدائمة' : 'للبعثة الدائمة'} ${arLi(s.unName.formal.ar)} وحدها. ويُحال ردكم إلى منظمي العريضة، ولن يُنشر على صفحة الردود الخاصة بالحملة إلا إذا وضعتم علامة في المربع أدناه ثم وافق عليه المنظمون.`,
    body: 'ردكم',
    document: (mb) => `وثيقة (اختيارية: PDF أو Word أو OpenDocument أو PNG أو JPEG أو نص، بحد أقصى ${mb} ميغابايت)`,
    publish: 'يجوز للمنظمين نشر هذا الرد على صفحة الردود الخاصة بالحملة',
    submit: 'إرسال الرد',
    thanks: 'شكرًا لكم: لقد وردنا ردكم.',
    thanksPublic: 'لقد أذنتم بنشره، وسيظهر على صفحة الردود الخاصة بالحملة بعد أن يوافق عليه المنظمون.',
    thanksPrivate: 'ولن يُنشر.',
    tooLarge: (mb) => `يتجاوز حجم الوثيقة ${mb} ميغابايت. يرجى إرفاق ملف أصغر.`,
    quota: 'تلقى هذا الرابط الحد الأقصى لما يمكنه قبوله. يرجى الكتابة إلى المنظمين على العنوان المذكور في الرسالة.',
    bodyRequired: 'يرجى كتابة ردكم.',
    docType: 'يرجى إرفاق ملف بصيغة PDF أو Word أو OpenDocument أو PNG أو JPEG أو ملف نصي.',
    docMismatch: 'لا يتطابق محتوى الوثيقة مع نوعها. يرجى إرفاق الملف مرة أخرى.',
    unreadable: 'تعذرت قراءة ردكم كما وصل، ولم يُسجَّل أي شيء. يرجى إرساله مرة أخرى.',
  },
  ru: {
    title: (t) => `Ответ на петицию «${t}»`,
    intro: (s, o) =>
      `Эта закрытая страница предназначена только для ${o ? 'Постоянного представительства наблюдателя' : 'Постоянного представительства'} ${ruGenitive(s.unName.formal.ru)}. Ваш ответ передается организаторам петиции. Он будет опубликован на странице ответов кампании, только если Вы отметите поле ниже и организаторы затем его одобрят.`,
    body: 'Ваш ответ',
    document: (mb) => `Документ (необязательно: PDF, Word, OpenDocument, PNG, JPEG или текст, не более ${mb} МБ)`,
    publish: 'Организаторы могут опубликовать этот ответ на странице ответов кампании',
    submit: 'Отправить ответ',
    thanks: 'Благодарим Вас: Ваш ответ получен.',
    thanksPublic: 'Вы разрешили его опубликовать: он появится на странице ответов кампании после одобрения организаторами.',
    thanksPrivate: 'Он не будет опубликован.',
    tooLarge: (mb) => `Размер документа превышает ${mb} МБ. Просьба приложить файл меньшего размера.`,
    quota: 'По этой ссылке уже получен максимально допустимый объем. Просьба написать организаторам по адресу, указанному в письме.',
    bodyRequired: 'Просьба написать ответ.',
    docType: 'Просьба приложить файл в формате PDF, Word, OpenDocument, PNG, JPEG или текстовый файл.',
    docMismatch: 'Содержимое документа не соответствует его типу. Просьба приложить файл еще раз.',
    unreadable: 'Ваш ответ не удалось прочитать в полученном виде. Ничего не сохранено: просьба отправить его еще раз.',
  },
  zh: {
    title: (t) => `答复“${t}”请愿`,
    intro: (s, o) =>
      `本专用页面仅供${s.unName.formal.zh}${o ? '常驻观察员代表团' : '常驻代表团'}使用。贵方的答复将转交请愿组织者。只有在贵方勾选下方选项、且组织者随后予以批准的情况下，答复才会在本次活动的答复页面上公布。`,
    body: '答复内容',
    document: (mb) => `文件（可选：PDF、Word、OpenDocument、PNG、JPEG或文本文件，不超过${mb} MB）`,
    publish: '组织者可在本次活动的答复页面上公布此答复',
    submit: '发送答复',
    thanks: '谢谢：我们已收到贵方的答复。',
    thanksPublic: '贵方已同意公布：经组织者批准后，答复将在本次活动的答复页面上显示。',
    thanksPrivate: '答复不会公布。',
    tooLarge: (mb) => `文件超过${mb} MB，请附上较小的文件。`,
    quota: '此链接已达到可接收的上限，请按信函所列地址致函组织者。',
    bodyRequired: '请填写答复内容。',
    docType: '请附上PDF、Word、OpenDocument、PNG、JPEG或文本文件。',
    docMismatch: '文件内容与其类型不符，请重新附上文件。',
    unreadable: '所收到的答复无法读取，未作任何记录。请重新发送。',
  },
}

/** The reply page's texts in `lang`, with that language's typography. */
export function replyText(lang: UnLang): ReplyText {
  const t = TEXT[lang]
  if (lang !== 'fr' && lang !== 'zh') return t
  const fix = lang === 'fr' ? frenchTypography : chineseTypography
  return Object.fromEntries(
    Object.entries(t).map(([k, v]) => [k, typeof v === 'function' ? (...args: never[]) => fix((v as (...a: never[]) => string)(...args)) : fix(v as string)]),
  ) as unknown as ReplyText
}
