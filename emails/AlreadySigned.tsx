import { Heading } from '@react-email/heading'
import { Link } from '@react-email/link'
import { Text } from '@react-email/text'
import { translator, type Locale } from '../app/i18n/i18n.server'
import { SignerLayout } from './_components/SignerLayout'

export interface AlreadySignedProps {
  locale: Locale
  campaignTitle: string
  campaignUrl: string
  withdrawUrl: string
  unsubscribeUrl?: string | null
  unsubscribeLabel?: 'news' | 'choices'
}

export const subject = (p: AlreadySignedProps) => translator(p.locale)('email.already.subject', { title: p.campaignTitle })

export default function AlreadySigned(p: AlreadySignedProps) {
  const t = translator(p.locale)
  return (
    <SignerLayout locale={p.locale} preview={t('email.already.preview')} withdrawUrl={p.withdrawUrl} unsubscribeUrl={p.unsubscribeUrl} unsubscribeLabel={p.unsubscribeLabel}>
      <Heading as="h1">
        <Link href={p.campaignUrl}>{p.campaignTitle}</Link>
      </Heading>
      <Text>{t('email.already.body', { title: p.campaignTitle })}</Text>
    </SignerLayout>
  )
}

AlreadySigned.PreviewProps = {
  locale: 'fa',
  campaignTitle: 'دادخواهی برای قربانیان کشتار زندانیان در سال ۱۳۶۷',
  campaignUrl: 'http://localhost:3000/campaigns/justice-for-1988?lang=fa',
  withdrawUrl: 'http://localhost:3000/s/withdraw/preview-token',
  unsubscribeUrl: 'http://localhost:3000/s/unsubscribe/preview-token',
} satisfies AlreadySignedProps
