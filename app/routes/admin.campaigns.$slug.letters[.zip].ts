import type { LoaderFunctionArgs } from '@remix-run/node'
import { Readable } from 'node:stream'
import { campaignForLetters, getLetterPdf, latestLetters, letterFileName, recipientCertificateOf } from '~/models/letter.server'
import { audit } from '~/models/organiser.server'
import { organiserCampaign } from '~/use-cases/organiser-campaign.server'

/**
 * The newest letter of every state as one zip, streamed: each PDF is read from the database as
 * the archive reaches it, so memory stays at one letter whatever the campaign's size.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  // Letters name people: viewers see counts only (ADR 087).
  const { organiser, campaign } = await organiserCampaign(request, context, params.slug, 'organiser', campaignForLetters)
  const letters = await latestLetters(context.db, campaign.id)
  if (letters.length === 0) throw new Response('No letter has been generated yet.', { status: 404 })
  await audit(context.db, { organiserId: organiser.id, action: 'letters.download-zip', target: campaign.slug, details: { letters: letters.length }, ipHash: context.clientIpHash })
  // Loaded on the first download rather than at start.
  const { ZipArchive } = await import('archiver')
  // PDFs are already compressed: storing them saves CPU for nothing lost.
  const zip = new ZipArchive({ zlib: { level: 6 } })
  void (async () => {
    try {
      for (const letter of letters) {
        const pdf = await getLetterPdf(context.db, context.vault, letter.id)
        if (pdf) zip.append(pdf, { name: `${letterFileName(letter)}.pdf`, store: true })
        zip.append(JSON.stringify(recipientCertificateOf(context.config, letter), null, 2), { name: `${letterFileName(letter)}.certificate.json` })
      }
      zip.append(
        'Each PDF has its certificate beside it: the recipient\'s copy, with the salt (recipientSalt) that checks the PDF.\nGive a mission its own files only; the salt must not be published. Check one offline with:\n  npm run verify-letter -- letter.pdf --key petition-signing-key.pem\n(the public key is at /.well-known/petition-signing-key?format=pem)\n',
        { name: 'README.txt' },
      )
      await zip.finalize()
    } catch (error) {
      zip.destroy(error as Error)
    }
  })()
  return new Response(Readable.toWeb(zip) as ReadableStream, {
    headers: {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="letters-${campaign.slug}.zip"`,
      'Cache-Control': 'no-store',
    },
  })
}
