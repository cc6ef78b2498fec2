import { isIPv4, isIPv6 } from 'node:net'

/**
 * The network a client address stands for, as the key of every limit and fraud flag (ADR 088): an
 * IPv4 address is itself (an IPv4-mapped IPv6 address too); an IPv6 address is its first
 * `prefixLength` bits, since one subscriber is routinely given a whole /64 and can pick any address
 * in it. Anything else (a Unix socket, an empty string) is returned as it is.
 */
export function networkOf(address: string, prefixLength = 64): string {
  const ip = address.split('%')[0]
  if (isIPv4(ip)) return ip
  if (!isIPv6(ip)) return address
  const groups = expandIPv6(ip)
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`
  }
  const bits = Math.max(0, Math.min(128, prefixLength))
  const masked = groups.map((g, i) => {
    const keep = Math.max(0, Math.min(16, bits - i * 16))
    return keep === 0 ? 0 : g & ((0xffff << (16 - keep)) & 0xffff)
  })
  return `${masked.map((g) => g.toString(16)).join(':')}/${bits}`
}

/** The eight 16-bit groups of a valid IPv6 address (with `::` and a trailing IPv4 part expanded). */
function expandIPv6(ip: string): number[] {
  let text = ip.toLowerCase()
  const v4 = text.match(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/)
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number)
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head, tail] = text.split('::')
  const left = head ? head.split(':') : []
  const right = tail === undefined ? [] : tail ? tail.split(':') : []
  const fill = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0')
  return [...left, ...fill, ...right].map((g) => parseInt(g, 16))
}

/**
 * Whether an address is on the public internet: not loopback, private, link-local, shared (CGNAT),
 * multicast, reserved or unspecified. Outgoing requests to a partner's URL reach only these in
 * production (ADR 133), so a webhook cannot be pointed at this host's or its network's services.
 */
export function isPublicAddress(address: string): boolean {
  const ip = address.split('%')[0]
  if (isIPv4(ip)) {
    const [a, b] = ip.split('.').map(Number)
    if (a === 0 || a === 10 || a === 127 || a >= 224) return false
    if (a === 100 && b >= 64 && b <= 127) return false
    if (a === 169 && b === 254) return false
    if (a === 172 && b >= 16 && b <= 31) return false
    if (a === 192 && (b === 168 || (b === 0 && ip.split('.')[2] === '0'))) return false
    if (a === 198 && (b === 18 || b === 19)) return false
    return true
  }
  if (!isIPv6(ip)) return false
  const g = expandIPv6(ip)
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) reach the IPv4 address inside.
  const embedded = `${g[6] >> 8}.${g[6] & 255}.${g[7] >> 8}.${g[7] & 255}`
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return isPublicAddress(embedded)
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return isPublicAddress(embedded)
  if (g.every((x) => x === 0) || (g.slice(0, 7).every((x) => x === 0) && g[7] === 1)) return false
  if ((g[0] & 0xfe00) === 0xfc00 || (g[0] & 0xffc0) === 0xfe80 || (g[0] & 0xff00) === 0xff00) return false
  if (g[0] === 0x2001 && g[1] === 0x0db8) return false
  return true
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * Why a partner's webhook URL is refused, or null: https only, except a local receiver in
 * development and test; no credentials in it; in production no address that is not public.
 */
export function webhookUrlProblem(value: string, env: 'development' | 'production' | 'test'): string | null {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'An address starting with https://.'
  }
  if (url.username || url.password) return 'An address without a user name or password in it.'
  const local = LOCAL_HOSTS.has(url.hostname) || url.hostname.endsWith('.localhost')
  if (env === 'production') {
    if (url.protocol !== 'https:') return 'An address starting with https://.'
    const host = url.hostname.replace(/^\[|\]$/g, '')
    if (local || ((isIPv4(host) || isIPv6(host)) && !isPublicAddress(host))) return 'An address on the public internet.'
    return null
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && local)) return null
  return 'An address starting with https:// (http:// only for localhost outside production).'
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | { address: string; family: number }[], family?: number) => void

/**
 * A DNS lookup for http.request that refuses non-public addresses: checked on the address actually
 * connected to, so a name that resolves to a public address when saved and to 127.0.0.1 when used
 * (DNS rebinding) is refused too.
 */
export function publicOnlyLookup(hostname: string, options: object, callback: LookupCallback) {
  void import('node:dns').then(({ lookup }) =>
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, [])
      const list = addresses as { address: string; family: number }[]
      const bad = list.find((a) => !isPublicAddress(a.address))
      if (bad || list.length === 0) {
        const refused: NodeJS.ErrnoException = new Error('address not public')
        refused.code = 'EADDRNOTPUBLIC'
        return callback(refused, [])
      }
      if ((options as { all?: boolean }).all) return callback(null, list)
      callback(null, list[0].address, list[0].family)
    }),
  )
}
