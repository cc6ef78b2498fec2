import { confirmSignature, signCampaign, withdrawSignature } from '../../app/models/signature.server'
import { saveLetterSettings } from '../../app/models/letter-settings.server'
import { linksIn } from './fake-resend'
import type { TestServer } from './server'

/** A campaign form as the organisers' page posts it, with English copy. */
export function campaignForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    slug: `test-${Math.random().toString(36).slice(2, 8)}`,
    status: 'open',
    defaultLocale: 'en',
    goal: '1000',
    countryGoals: '',
    'copy.en.title': 'Free the test prisoners',
    'copy.en.summary': 'A campaign made by a test.',
    'copy.en.story': 'The **story** of the test.',
    'copy.en.ask': 'We ask for *tests*.',
    ...overrides,
  }
}

export async function campaignBySlug(server: TestServer, slug: string) {
  return server.db.selectFrom('campaigns').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow()
}

/** The token from the link of a kind ('confirm', 'withdraw') in the latest email to `email`. */
async function tokenFromEmail(server: TestServer, email: string, kind: string) {
  const mails = await server.resend.waitFor((all) => all.some((m) => m.to.includes(email)))
  const mail = mails.filter((m) => m.to.includes(email)).at(-1)!
  const link = linksIn(mail.html).find((l) => l.includes(`/s/${kind}/`))!
  return new URL(link).pathname.split('/').at(-1)!
}

export interface SeedSigner {
  email: string
  country: string
  name?: string
  confirm?: boolean
  withdraw?: boolean
  referrer?: string | null
  utm?: { source?: string; medium?: string; campaign?: string }
}

/** Signs through the model (as the public page does) and confirms through the emailed token. */
export async function seedSignature(server: TestServer, slug: string, s: SeedSigner) {
  const campaign = await campaignBySlug(server, slug)
  await signCampaign(
    { db: server.db, vault: server.vault, appUrl: server.config.appUrl, retentionDays: 14 },
    {
      campaign,
      title: slug,
      input: { name: s.name ?? 'Test Signer', email: s.email, country: s.country, showName: false, newsOptIn: false },
      locale: 'en',
      ipHash: null,
      referrer: s.referrer ?? null,
      utm: s.utm,
    },
  )
  server.worker.wake()
  if (s.confirm === false) return
  const outcome = await confirmSignature(server.db, await tokenFromEmail(server, s.email, 'confirm'))
  if (outcome.kind !== 'confirmed') throw new Error(`could not confirm: ${outcome.kind}`)
  if (s.withdraw) await withdrawSignature(server.db, server.vault, await tokenFromEmail(server, s.email, 'withdraw'))
}

/** The sending organisation letters need before any can be made (ADR 076), set as an organiser would. */
export async function setLetterSender(server: TestServer, slug: string, writeWithoutSigners = true) {
  const campaign = await campaignBySlug(server, slug)
  await saveLetterSettings(
    server.db,
    campaign.id,
    { senderName: 'Justice Watch', senderAddress: '12 Example Street\nLondon N1 1AA\nUnited Kingdom', senderEmail: 'letters@justice.example', signerName: 'Maryam Example', signerTitle: 'Director', writeWithoutSigners },
    null,
  )
}
