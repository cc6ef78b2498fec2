import { Button } from '@react-email/button'
import { Heading } from '@react-email/heading'
import { Link } from '@react-email/link'
import { Text } from '@react-email/text'
import { translator, type Locale } from '../app/i18n/i18n.server'
import { CONFIRM_LINK_DAYS } from '../app/utils/signature-rules'
import { SignerLayout } from './_components/SignerLayout'

export interface ConfirmSignatureProps {
  locale: Locale
  name: string
  campaignTitle: string
  countryName: string
  confirmUrl: string
  withdrawUrl: string
  unsubscribeUrl?: string | null
  unsubscribeLabel?: 'news' | 'choices'
  retentionDays: number
  /** private link to check, later, that the signature is in the letter to the delegation */
  inclusionUrl?: string | null
  /** the signer's secret for the campaign's public log (hex), from which only they can find their entry */
  logSecret?: string | null
}

export const subject = (p: ConfirmSignatureProps) => translator(p.locale)('email.confirm.subject', { title: p.campaignTitle })

const button = { backgroundColor: '#1d4e89', color: '#ffffff', padding: '12px 20px', borderRadius: '4px', fontWeight: 600 }

export default function ConfirmSignature(p: ConfirmSignatureProps) {
  const t = translator(p.locale)
  return (
    <SignerLayout locale={p.locale} preview={t('email.confirm.preview')} withdrawUrl={p.withdrawUrl} unsubscribeUrl={p.unsubscribeUrl} unsubscribeLabel={p.unsubscribeLabel}>
      <Heading as="h1">{p.campaignTitle}</Heading>
      <Text>{t('email.confirm.greeting', { name: p.name })}</Text>
      <Text>{t('email.confirm.body', { title: p.campaignTitle })}</Text>
      <Button href={p.confirmUrl} style={button}>
        {t('email.confirm.button')}
      </Button>
      <Text>{t('email.confirm.expiry', { days: CONFIRM_LINK_DAYS })}</Text>
      <Text>{t('email.confirm.details', { name: p.name, country: p.countryName })}</Text>
      {p.inclusionUrl ? (
        <Text>
          {t('email.confirm.inclusion')} <Link href={p.inclusionUrl}>{p.inclusionUrl}</Link>
        </Text>
      ) : null}
      {p.logSecret ? (
        <Text>
          {t('email.confirm.secret', { secret: '' })}
          <code style={{ wordBreak: 'break-all' }}>{p.logSecret}</code>
        </Text>
      ) : null}
      <Text>{t('email.confirm.notYou', { days: p.retentionDays })}</Text>
    </SignerLayout>
  )
}

ConfirmSignature.PreviewProps = {
  locale: 'en',
  name: 'Maryam Example',
  campaignTitle: 'Justice for the victims of the 1988 prison massacres',
  countryName: 'Canada',
  confirmUrl: 'http://localhost:3000/s/confirm/preview-token',
  withdrawUrl: 'http://localhost:3000/s/withdraw/preview-token',
  unsubscribeUrl: null,
  retentionDays: 14,
} satisfies ConfirmSignatureProps
