import { mapOutlines } from '~/infra/world-map.server'

/**
 * The world map's outlines (ADR 139), one SVG of paths the pages' maps <use> by id. Its version is in
 * the pages' address for it: that one is kept by caches for a year; any other (a page cached a moment
 * before a new build) gets the current outlines, briefly cached.
 */
export function loader({ request }: { request: Request }) {
  const { svg, version } = mapOutlines()
  const current = new URL(request.url).searchParams.get('v') === version
  return new Response(svg, {
    headers: {
      'Content-Type': 'image/svg+xml; charset=utf-8',
      'Cache-Control': current ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cross-Origin-Resource-Policy': 'same-origin',
    },
  })
}
