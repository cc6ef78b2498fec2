import type { ComponentType } from 'react'
import AlreadySigned, { subject as alreadySignedSubject, type AlreadySignedProps } from './AlreadySigned'
import ConfirmSignature, { subject as confirmSubject, type ConfirmSignatureProps } from './ConfirmSignature'
import MissionLetter, { subject as missionLetterSubject, type MissionLetterProps } from './MissionLetter'
import PasswordReset, { subject as passwordSubject, type PasswordResetProps } from './PasswordReset'
import NewsUpdate, { subject as newsSubject, type NewsUpdateProps } from './NewsUpdate'
import UnOfficeLetter, { subject as unOfficeLetterSubject, type UnOfficeLetterProps } from './UnOfficeLetter'

/** Every email the platform sends, by the name the outbox stores. */
export interface EmailTemplates {
  'confirm-signature': ConfirmSignatureProps
  'already-signed': AlreadySignedProps
  'password-reset': PasswordResetProps
  'news-update': NewsUpdateProps
  'mission-letter': MissionLetterProps
  'un-office-letter': UnOfficeLetterProps
}
export type TemplateName = keyof EmailTemplates

/** Letters' cover emails: they carry a PDF, and their delivery has its own record (ADR 077). */
export const LETTER_TEMPLATES: string[] = ['mission-letter', 'un-office-letter'] satisfies TemplateName[]

interface Entry<P> {
  component: ComponentType<P>
  subject: (props: P) => string
  /**
   * String props that differ per recipient (names, links): the worker renders the template once per
   * language and shape with placeholders for these, then fills them in per message (ADR 097).
   */
  variables?: readonly (keyof P & string)[]
}

export const templates: { [K in TemplateName]: Entry<EmailTemplates[K]> } = {
  'confirm-signature': {
    component: ConfirmSignature,
    subject: confirmSubject,
    variables: ['name', 'countryName', 'confirmUrl', 'withdrawUrl', 'unsubscribeUrl', 'inclusionUrl', 'logSecret'],
  },
  'already-signed': { component: AlreadySigned, subject: alreadySignedSubject, variables: ['campaignUrl', 'withdrawUrl', 'unsubscribeUrl'] },
  'password-reset': { component: PasswordReset, subject: passwordSubject, variables: ['url'] },
  'news-update': { component: NewsUpdate, subject: newsSubject, variables: ['campaignUrl', 'withdrawUrl', 'unsubscribeUrl'] },
  'mission-letter': { component: MissionLetter, subject: missionLetterSubject },
  'un-office-letter': { component: UnOfficeLetter, subject: unOfficeLetterSubject },
}
