import { Heading } from '@react-email/heading'
import { Link } from '@react-email/link'
import { Section } from '@react-email/section'
import { Text } from '@react-email/text'
import type { Locale } from '../app/i18n/i18n.server'
import { SignerLayout } from './_components/SignerLayout'

/**
 * News from a campaign's organisers to the signers who asked for it. The outbox row carries only
 * the signer's links; the worker adds the subject and the body (Markdown rendered without raw HTML)
 * from the update itself when it renders the message.
 */
export interface NewsUpdateProps {
  locale: Locale
  updateId: string
  campaignTitle: string
  campaignUrl: string
  subject: string
  bodyHtml: string
  withdrawUrl: string
  unsubscribeUrl?: string | null
  /** A test send to an organiser's own address: says so above the message. */
  test?: boolean
}

export const subject = (p: NewsUpdateProps) => p.subject

const testBanner = { border: '2px solid #b35c00', background: '#fff4e5', padding: '8px 12px', borderRadius: '4px', fontWeight: 700 }

export default function NewsUpdate(p: NewsUpdateProps) {
  return (
    <SignerLayout locale={p.locale} preview={p.subject} withdrawUrl={p.withdrawUrl} unsubscribeUrl={p.unsubscribeUrl}>
      {p.test ? (
        <Text lang="en" dir="ltr" style={testBanner}>
          Test send: only you received this message. No signer has been sent anything, and its links lead nowhere.
        </Text>
      ) : null}
      <Heading as="h1">{p.subject}</Heading>
      <Section>
        <div dangerouslySetInnerHTML={{ __html: p.bodyHtml }} />
      </Section>
      <Link href={p.campaignUrl}>{p.campaignTitle}</Link>
    </SignerLayout>
  )
}

NewsUpdate.PreviewProps = {
  locale: 'en',
  updateId: 'preview',
  campaignTitle: 'Truth and justice for the victims of Iran’s 1988 prison massacres',
  campaignUrl: 'http://localhost:3000/campaigns/justice-for-1988?lang=en',
  subject: 'Our letters reached 120 UN missions',
  bodyHtml: '<p>Thank you: your signatures went to <strong>120</strong> permanent missions this week.</p>',
  withdrawUrl: 'http://localhost:3000/s/withdraw/preview-token',
  unsubscribeUrl: 'http://localhost:3000/s/unsubscribe/preview-token',
} satisfies NewsUpdateProps
