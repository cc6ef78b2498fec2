import ipaddr from 'ipaddr.js'
import { isIPv4, isIPv6 } from 'node:net'
import { isLoopbackHost, loopbackAllowed, type Environment } from '~/utils/loopback'

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
 * Whether an address is on the public internet: ipaddr.js's `unicast`, so none of the special-use
 * ranges of the IANA registries (loopback, private, link-local, shared, multicast, documentation,
 * 6to4, Teredo, NAT64, site-local and the rest), however the address is written; an IPv4-mapped
 * IPv6 address is judged as the IPv4 address inside, and the deprecated IPv4-compatible form
 * (::a.b.c.d, RFC 4291) is refused outright. Outgoing requests to a partner's URL reach only these
 * (ADR 133), so a webhook cannot be pointed at this host's or its network's services.
 */
export function isPublicAddress(address: string): boolean {
  const parsed = parseAddress(address)
  if (!parsed) return false
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).parts.slice(0, 6).every((p) => p === 0)) return false
  return parsed.range() === 'unicast'
}

/** Whether an address is this host's own (127.0.0.0/8, ::1, or either mapped into the other). */
export function isLoopbackAddress(address: string): boolean {
  return parseAddress(address)?.range() === 'loopback'
}

/** Only what Node itself takes for an address (no octal, hex or shortened IPv4 forms), without its zone. */
function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const ip = address.split('%')[0]
  return isIPv4(ip) || isIPv6(ip) ? ipaddr.process(ip) : null
}

/**
 * Whether an outgoing request may reach an address: a public one; outside production a loopback one
 * too, for a receiver run on this machine in development and in the tests. Never a private network's.
 */
export const mayReach = (address: string, env: Environment) => isPublicAddress(address) || (loopbackAllowed(env) && isLoopbackAddress(address))

/** A URL's hostname when it is an address written as a number (brackets of IPv6 removed), else null: Node looks no number up, so it is checked as it is. */
export function addressLiteral(hostname: string): string | null {
  const host = hostname.replace(/^\[|\]$/g, '')
  return isIPv4(host) || isIPv6(host) ? host : null
}

/**
 * Why a partner's webhook URL is refused, or null: https only, except a local receiver in
 * development and test; no credentials in it; no address given as a number that `mayReach` refuses.
 */
export function webhookUrlProblem(value: string, env: Environment): string | null {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'An address starting with https://.'
  }
  if (url.username || url.password) return 'An address without a user name or password in it.'
  const local = isLoopbackHost(url.hostname)
  const literal = addressLiteral(url.hostname)
  if (!loopbackAllowed(env)) {
    if (url.protocol !== 'https:') return 'An address starting with https://.'
    if (local || (literal && !mayReach(literal, env))) return 'An address on the public internet.'
    return null
  }
  if (literal && !mayReach(literal, env)) return 'An address on the public internet (or this machine’s own, outside production).'
  if (url.protocol === 'https:' || (url.protocol === 'http:' && local)) return null
  return 'An address starting with https:// (http:// only for localhost outside production).'
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | { address: string; family: number }[], family?: number) => void

/**
 * A DNS lookup for http.request that refuses addresses `mayReach` refuses: checked on the address
 * actually connected to, so a name that resolves to a public address when saved and to 127.0.0.1 or
 * 10.0.0.1 when used (DNS rebinding) is refused too.
 */
export function reachableLookup(env: Environment) {
  return (hostname: string, options: object, callback: LookupCallback) => {
    void import('node:dns').then(({ lookup }) =>
      lookup(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) return callback(error, [])
        const list = addresses as { address: string; family: number }[]
        const bad = list.find((a) => !mayReach(a.address, env))
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
}
