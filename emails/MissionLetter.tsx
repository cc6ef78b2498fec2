import { Body } from '@react-email/body'
import { Container } from '@react-email/container'
import { Head } from '@react-email/head'
import { Heading } from '@react-email/heading'
import { Hr } from '@react-email/hr'
import { Html } from '@react-email/html'
import { Link } from '@react-email/link'
import { Preview } from '@react-email/preview'
import { Text } from '@react-email/text'
import { letterBody, letterContainer } from './_components/styles'

export type MissionLetterLanguage = 'en' | 'fr' | 'es' | 'ar' | 'ru' | 'zh'

export interface MissionLetterProps {
  language: MissionLetterLanguage
  /** the letter's subject line, in its language */
  letterSubject: string
  reference: string
  code: string
  verifyUrl: string
  /** private link through which this mission, and only it, can reply */
  respondUrl: string
  /** the head of mission's title (messages queued before it existed: representative) */
  headTitle?: 'representative' | 'observer'
  /** the sending organisation and who signs (absent from messages queued before it existed) */
  sender?: { name: string; email: string; signerName: string; signerTitle: string }
}

export const subject = (p: MissionLetterProps) => `${p.letterSubject} (${p.reference})`

interface Cover {
  salutation: string
  body(observer: boolean): string
  verify: string
  reply: string
  closing: string
  /** the colon as the language sets it before a link */
  colon: string
}

/**
 * A short cover note in the letter's language, followed by English; the letter is the PDF. Like the
 * letter (docs/decisions/075), it opens and closes with each language's formulas and is signed by
 * the sending organisation.
 */
const COVER: Record<MissionLetterLanguage, Cover> = {
  en: {
    salutation: 'Excellency,',
    body: (o) => `Please find attached a letter addressed to the Permanent ${o ? 'Observer' : 'Representative'}, with the number of people from your country who have signed the petition.`,
    verify: 'The figures can be verified here, with the code',
    reply: 'Your mission can reply through this private link',
    closing: 'Please accept, Excellency, the assurances of our highest consideration.',
    colon: ':',
  },
  fr: {
    salutation: 'Excellence,',
    body: (o) => `Veuillez trouver ci-joint une lettre adressée ${o ? 'à l’Observateur permanent' : 'au Représentant permanent'}, indiquant le nombre de personnes de votre pays qui ont signé la pétition.`,
    verify: 'Les chiffres peuvent être vérifiés ici, avec le code',
    reply: 'Votre mission peut répondre au moyen de ce lien privé',
    closing: 'Veuillez agréer, Excellence, les assurances de notre très haute considération.',
    colon: '\u00a0:',
  },
  es: {
    salutation: 'Excelencia:',
    body: (o) => `Sírvase encontrar adjunta una carta dirigida al ${o ? 'Observador Permanente' : 'Representante Permanente'}, con el número de personas de su país que han firmado la petición.`,
    verify: 'Las cifras pueden verificarse aquí, con el código',
    reply: 'Su misión puede responder mediante este enlace privado',
    closing: 'Aprovechamos la ocasión para reiterar a Vuestra Excelencia las seguridades de nuestra más alta consideración.',
    colon: ':',
  },
  ar: {
    salutation: 'صاحب السعادة،',
    body: (o) => `تجدون مرفقًا رسالة موجهة إلى ${o ? 'المراقب الدائم' : 'الممثل الدائم'}، تتضمن عدد الأشخاص من بلدكم الذين وقّعوا العريضة.`,
    verify: 'يمكن التحقق من الأرقام هنا، باستخدام الرمز',
    reply: 'يمكن لبعثتكم الرد عبر هذا الرابط الخاص',
    closing: 'وتفضلوا، صاحب السعادة، بقبول أسمى آيات التقدير والاحترام.',
    colon: ':',
  },
  ru: {
    salutation: 'Ваше Превосходительство!',
    body: (o) => `Препровождаем письмо на имя ${o ? 'Постоянного наблюдателя' : 'Постоянного представителя'} с указанием числа лиц из Вашей страны, подписавших петицию.`,
    verify: 'Данные можно проверить здесь, с кодом',
    reply: 'Ваше представительство может ответить по этой личной ссылке',
    closing: 'Примите, Ваше Превосходительство, уверения в нашем самом высоком уважении.',
    colon: ':',
  },
  zh: {
    salutation: '阁下：',
    body: (o) => `随函附上致${o ? '常驻观察员' : '常驻代表'}的信函，其中列明贵国签署请愿书的人数。`,
    verify: '可在此处核实有关数字，核实码',
    reply: '贵代表团可通过以下专用链接答复',
    closing: '顺致最崇高的敬意。',
    colon: '：',
  },
}


function Cover({ lang, p }: { lang: MissionLetterLanguage; p: MissionLetterProps }) {
  const c = COVER[lang]
  const dir = lang === 'ar' ? 'rtl' : 'ltr'
  const colon = c.colon
  return (
    <div lang={lang} dir={dir} style={{ direction: dir, textAlign: dir === 'rtl' ? 'right' : 'left' }}>
      <Text>{c.salutation}</Text>
      <Text>{c.body(p.headTitle === 'observer')}</Text>
      <Text>
        {c.verify} {p.code}
        {colon} <Link href={p.verifyUrl}>{p.verifyUrl}</Link>
      </Text>
      <Text>
        {c.reply}
        {colon} <Link href={p.respondUrl}>{p.respondUrl}</Link>
      </Text>
      <Text>{c.closing}</Text>
      {p.sender ? (
        <Text>
          {p.sender.signerName}
          <br />
          {p.sender.signerTitle}
          <br />
          {p.sender.name}
          <br />
          <Link href={`mailto:${p.sender.email}`}>{p.sender.email}</Link>
        </Text>
      ) : null}
    </div>
  )
}

export default function MissionLetter(p: MissionLetterProps) {
  return (
    <Html lang={p.language} dir={p.language === 'ar' ? 'rtl' : 'ltr'}>
      <Head />
      <Preview>{p.letterSubject}</Preview>
      <Body style={letterBody}>
        <Container style={letterContainer}>
          <Heading as="h1">{p.letterSubject}</Heading>
          <Cover lang={p.language} p={p} />
          {p.language !== 'en' ? (
            <>
              <Hr />
              <Cover lang="en" p={p} />
            </>
          ) : null}
        </Container>
      </Body>
    </Html>
  )
}

MissionLetter.PreviewProps = {
  language: 'fr',
  letterSubject: 'Pétition : Vérité et justice',
  reference: 'JUSTICE-FOR-1988/SEN/2026/1',
  code: 'ABCD-EFGH-JKMN',
  verifyUrl: 'http://localhost:3000/verify/ABCD-EFGH-JKMN',
  respondUrl: 'http://localhost:3000/respond/SN/preview-token',
  headTitle: 'representative',
  sender: { name: 'Justice Watch', email: 'letters@justice.example', signerName: 'Maryam Example', signerTitle: 'Director' },
} satisfies MissionLetterProps
