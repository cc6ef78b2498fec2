import { Body } from '@react-email/body'
import { Container } from '@react-email/container'
import { Head } from '@react-email/head'
import { Heading } from '@react-email/heading'
import { Hr } from '@react-email/hr'
import { Html } from '@react-email/html'
import { Link } from '@react-email/link'
import { Preview } from '@react-email/preview'
import { Text } from '@react-email/text'

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
}

export const subject = (p: MissionLetterProps) => `${p.letterSubject} (${p.reference})`

/** A short cover note in the letter's language, followed by English; the letter is the PDF. */
const COVER: Record<MissionLetterLanguage, { body: string; verify: string; reply: string }> = {
  en: {
    body: 'Please find attached a letter addressed to the Permanent Representative, with the number of people from your country who have signed the petition.',
    verify: 'The figures can be verified here, with the code',
    reply: 'Your mission can reply through this private link',
  },
  fr: {
    body: 'Veuillez trouver ci-joint une lettre adressée au Représentant permanent, indiquant le nombre de personnes de votre pays qui ont signé la pétition.',
    verify: 'Les chiffres peuvent être vérifiés ici, avec le code',
    reply: 'Votre mission peut répondre au moyen de ce lien privé',
  },
  es: {
    body: 'Sírvase encontrar adjunta una carta dirigida al Representante Permanente, con el número de personas de su país que han firmado la petición.',
    verify: 'Las cifras pueden verificarse aquí, con el código',
    reply: 'Su misión puede responder mediante este enlace privado',
  },
  ar: {
    body: 'تجدون مرفقًا رسالة موجهة إلى الممثل الدائم، تتضمن عدد الأشخاص من بلدكم الذين وقّعوا العريضة.',
    verify: 'يمكن التحقق من الأرقام هنا، باستخدام الرمز',
    reply: 'يمكن لبعثتكم الرد عبر هذا الرابط الخاص',
  },
  ru: {
    body: 'Препровождаем письмо на имя Постоянного представителя с указанием числа лиц из Вашей страны, подписавших петицию.',
    verify: 'Данные можно проверить здесь, с кодом',
    reply: 'Ваше представительство может ответить по этой личной ссылке',
  },
  zh: {
    body: '随函附上致常驻代表的信函，其中列明贵国签署请愿书的人数。',
    verify: '可在此处核实有关数字，核实码',
    reply: '贵代表团可通过以下专用链接答复',
  },
}

const body = { backgroundColor: '#f5f5f2', fontFamily: 'system-ui, -apple-system, "Segoe UI", Tahoma, sans-serif' }
const container = { backgroundColor: '#ffffff', margin: '24px auto', padding: '24px', maxWidth: '560px', borderRadius: '6px' }

function Cover({ lang, p }: { lang: MissionLetterLanguage; p: MissionLetterProps }) {
  const c = COVER[lang]
  const dir = lang === 'ar' ? 'rtl' : 'ltr'
  return (
    <div lang={lang} dir={dir} style={{ direction: dir, textAlign: dir === 'rtl' ? 'right' : 'left' }}>
      <Text>{c.body}</Text>
      <Text>
        {c.verify} {p.code}: <Link href={p.verifyUrl}>{p.verifyUrl}</Link>
      </Text>
      <Text>
        {c.reply}: <Link href={p.respondUrl}>{p.respondUrl}</Link>
      </Text>
    </div>
  )
}

export default function MissionLetter(p: MissionLetterProps) {
  return (
    <Html lang={p.language} dir={p.language === 'ar' ? 'rtl' : 'ltr'}>
      <Head />
      <Preview>{p.letterSubject}</Preview>
      <Body style={body}>
        <Container style={container}>
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
} satisfies MissionLetterProps
