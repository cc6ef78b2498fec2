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
