import { verifierPageHtml } from '~/transparency/verifier-page'

const html = verifierPageHtml()

/**
 * The offline verifier as one file, given as a download: it is opened from the reader's own disk,
 * with no network at all (its inline script would not run under this site's policy anyway).
 */
export async function loader() {
  return new Response(html, {
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Disposition': 'attachment; filename="petition-letter-verifier.html"',
      'Cache-Control': 'public, max-age=3600',
    },
  })
}
