import { Body } from '@react-email/body'
import { Container } from '@react-email/container'
import { Head } from '@react-email/head'
import { Hr } from '@react-email/hr'
import { Html } from '@react-email/html'
import { Link } from '@react-email/link'
import { Preview } from '@react-email/preview'
import { Section } from '@react-email/section'
import { Text } from '@react-email/text'
import type { ReactNode } from 'react'
import { localeDir, translator, type Locale } from '../../app/i18n/i18n.server'

export interface SignerFooterProps {
  locale: Locale
  withdrawUrl: string
  unsubscribeUrl?: string | null
  /** 'choices' where the link also stops a partner's emails (ADR 131): it opens a page of choices, not only news. */
  unsubscribeLabel?: 'news' | 'choices'
}

const body = { backgroundColor: '#f5f5f2', fontFamily: 'system-ui, -apple-system, "Segoe UI", Tahoma, sans-serif', margin: 0 }
const container = { backgroundColor: '#ffffff', margin: '24px auto', padding: '24px', maxWidth: '560px', borderRadius: '6px' }
const small = { color: '#555555', fontSize: '13px', lineHeight: '20px' }

/** The frame every email to a signer shares: language and direction, and the withdraw link. */
export function SignerLayout({
  locale,
  preview,
  withdrawUrl,
  unsubscribeUrl,
  unsubscribeLabel = 'news',
  children,
}: SignerFooterProps & { preview: string; children: ReactNode }) {
  const t = translator(locale)
  const dir = localeDir(locale)
  return (
    <Html lang={locale} dir={dir}>
      <Head />
      <Preview>{preview}</Preview>
      <Body style={body}>
        <Container style={{ ...container, direction: dir, textAlign: dir === 'rtl' ? 'right' : 'left' }}>
          {children}
          <Hr />
          <Section>
            <Text style={small}>{t('email.footer.why', { site: t('site.name') })}</Text>
            <Text style={small}>
              <Link href={withdrawUrl}>{t('email.footer.withdraw')}</Link>
              {unsubscribeUrl ? (
                <>
                  {' · '}
                  <Link href={unsubscribeUrl}>{t(unsubscribeLabel === 'choices' ? 'email.footer.emailChoices' : 'email.footer.unsubscribe')}</Link>
                </>
              ) : null}
            </Text>
          </Section>
        </Container>
      </Body>
    </Html>
  )
}
