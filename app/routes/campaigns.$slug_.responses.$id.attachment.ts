import type { LoaderFunctionArgs } from '@remix-run/node'
import { getCampaign } from '~/models/campaign.server'
import { ATTACHMENT_TYPES, getPublicAttachment } from '~/models/response.server'
import { contentMatchesType, safeDownloadName } from '~/utils/attachment-sniff'

/** A published reply's document, always as a download, never rendered in our origin. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const found = await getCampaign(context.db, params.slug!, 'en')
  const file = found ? await getPublicAttachment(context.db, found.campaign.id, params.id!) : null
  if (!file) throw new Response('Not found', { status: 404 })
  // Served as the type its bytes prove, under a name whose extension says that type; anything
  // else goes out as opaque bytes.
  const proven = file.type in ATTACHMENT_TYPES && contentMatchesType(file.bytes, file.type)
  const ext = proven ? ATTACHMENT_TYPES[file.type] : 'bin'
  const safeName = safeDownloadName(file.name, ext)
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      'Content-Type': proven ? file.type : 'application/octet-stream',
      'Content-Disposition': `attachment; filename="reply.${ext}"; filename*=UTF-8''${encodeURIComponent(safeName)}`,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    },
  })
}
