import { Body } from '@react-email/body'
import { Button } from '@react-email/button'
import { Container } from '@react-email/container'
import { Head } from '@react-email/head'
import { Heading } from '@react-email/heading'
import { Html } from '@react-email/html'
import { Preview } from '@react-email/preview'
import { Text } from '@react-email/text'

export interface PasswordResetProps {
  url: string
  /** 'set-password' for a new organiser, 'reset-password' for a forgotten one */
  purpose: 'set-password' | 'reset-password'
}

export const subject = (p: PasswordResetProps) =>
  p.purpose === 'set-password' ? 'You are invited to organise a campaign' : 'Reset your organiser password'

const body = { backgroundColor: '#f5f5f2', fontFamily: 'system-ui, -apple-system, "Segoe UI", sans-serif' }
const container = { backgroundColor: '#ffffff', margin: '24px auto', padding: '24px', maxWidth: '560px', borderRadius: '6px' }
const button = { backgroundColor: '#1d4e89', color: '#ffffff', padding: '12px 20px', borderRadius: '4px', fontWeight: 600 }

/** Organisers' emails are in English, like the organisers' pages. */
export default function PasswordReset({ url, purpose }: PasswordResetProps) {
  return (
    <Html lang="en" dir="ltr">
      <Head />
      <Preview>{subject({ url, purpose })}</Preview>
      <Body style={body}>
        <Container style={container}>
          <Heading as="h1">{subject({ url, purpose })}</Heading>
          <Text>
            {purpose === 'set-password'
              ? 'An admin has given you an organiser account. Choose your password with the button below.'
              : 'Someone asked to reset the password of the organiser account at this address. If it was you, choose a new password below.'}
          </Text>
          <Button href={url} style={button}>
            Choose a password
          </Button>
          <Text>The link works once, for 24 hours. If you did not expect this message, ignore it: nothing changes.</Text>
        </Container>
      </Body>
    </Html>
  )
}

PasswordReset.PreviewProps = { url: 'http://localhost:3000/admin/password/preview-token', purpose: 'reset-password' } satisfies PasswordResetProps
