import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { isIP } from 'node:net'
import { Reader } from 'mmdb-lib'

/**
 * Country of an IP address from an offline database shipped in an npm package
 * (@ip-location-db/geo-whois-asn-country-mmdb, CC0): nothing leaves the machine. The ~8 MB file is
 * read once, on first use, and every lookup after that is an in-memory tree walk of a few µs.
 * See docs/decisions/041-offline-ip-country.md.
 */
// The ip-location-db files hold { country_code } records, not MaxMind's own layout.
type Record = { country_code?: string }
let reader: Reader<never> | null = null

function open() {
  if (!reader) {
    const require = createRequire(import.meta.url)
    const dir = path.dirname(require.resolve('@ip-location-db/geo-whois-asn-country-mmdb/package.json'))
    reader = new Reader<never>(readFileSync(path.join(dir, 'geo-whois-asn-country.mmdb')))
  }
  return reader
}

/** ISO 3166 alpha-2 code, or null for private, unknown or malformed addresses. Never throws. */
export function countryOfIp(ip: string): string | null {
  const plain = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip
  if (!isIP(plain)) return null
  try {
    const code = (open().get(plain) as Record | null)?.country_code
    return code && /^[A-Z]{2}$/.test(code) ? code : null
  } catch {
    return null
  }
}
