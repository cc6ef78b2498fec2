import { Body } from '@react-email/body'
import { Container } from '@react-email/container'
import { Head } from '@react-email/head'
import { Heading } from '@react-email/heading'
import { Html } from '@react-email/html'
import { Link } from '@react-email/link'
import { Preview } from '@react-email/preview'
import { Text } from '@react-email/text'
import { letterBody, letterContainer } from './_components/styles'

/** The Secretariat's two working languages, which UN letters are written in (ADR 090). */
export type UnOfficeLetterLanguage = 'en' | 'fr'

export interface UnOfficeLetterProps {
  language: UnOfficeLetterLanguage
  /** the letter's subject line, in its language */
  letterSubject: string
  reference: string
  code: string
  verifyUrl: string
  /** as the directory gives it for this office holder, in the letter's language ("Excellency,") */
  salutation: string
  sender: { name: string; email: string; signerName: string; signerTitle: string }
}

export const subject = (p: UnOfficeLetterProps) => `${p.letterSubject} (${p.reference})`

/**
 * The cover note of a letter to a UN office holder (the letter itself is the PDF): the count is of
 * all the campaign's verified signers, by country, and a reply goes to the sending organisation,
 * which signs it. No private reply link: those are per mission.
 */
const COVER: Record<UnOfficeLetterLanguage, { body: string; verify: string; reply: string; closing: string; colon: string }> = {
  en: {
    body: 'Please find attached a letter on behalf of the people who have signed the petition, giving their number by country of residence.',
    verify: 'The figures can be verified here, with the code',
    reply: 'You may reply to this message, or write to us at',
    closing: 'Please accept the assurances of our highest consideration.',
    colon: ':',
  },
  fr: {
    body: 'Veuillez trouver ci-joint une lettre que nous vous adressons au nom des signataires de la pétition\u202f; elle en indique le nombre par pays de résidence.',
    verify: 'Les chiffres peuvent être vérifiés ici, avec le code',
    reply: 'Vous pouvez répondre à ce message ou nous écrire à l’adresse',
    closing: 'Veuillez agréer l’assurance de notre très haute considération.',
    colon: '\u00a0:',
  },
}


export default function UnOfficeLetter(p: UnOfficeLetterProps) {
  const c = COVER[p.language]
  return (
    <Html lang={p.language} dir="ltr">
      <Head />
      <Preview>{p.letterSubject}</Preview>
      <Body style={letterBody}>
        <Container style={letterContainer}>
          <Heading as="h1">{p.letterSubject}</Heading>
          <Text>{p.salutation}</Text>
          <Text>{c.body}</Text>
          <Text>
            {c.verify} {p.code}
            {c.colon} <Link href={p.verifyUrl}>{p.verifyUrl}</Link>
          </Text>
          <Text>
            {c.reply} <Link href={`mailto:${p.sender.email}`}>{p.sender.email}</Link>.
          </Text>
          <Text>{c.closing}</Text>
          <Text>
            {p.sender.signerName}
            <br />
            {p.sender.signerTitle}
            <br />
            {p.sender.name}
          </Text>
        </Container>
      </Body>
    </Html>
  )
}
