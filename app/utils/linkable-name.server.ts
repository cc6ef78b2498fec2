import { parse } from 'tldts'

// Dots a mail client or IDNA reads as a full stop: the ideographic, fullwidth and halfwidth ones.
const OTHER_DOTS = /[\u3002\uFF0E\uFF61\u2024\uFE52]/g
// Runs of letters, digits and hyphens joined by dots: what could be read as a host name.
const DOTTED = /[\p{L}\p{N}\p{M}_-]+(?:\.[\p{L}\p{N}\p{M}_-]+)+/gu

/**
 * Whether a name carries text a mail client would turn into a link (`secure-login.support`,
 * `evil。com`, `1.2.3.4`): a dotted run that ends in a suffix of the Public Suffix List's ICANN
 * section (through `tldts`, ADR 089), or an IP address. "J. R. Tolkien" and "Jane.Smith" pass.
 * Names go into emails and letters, where a link could lead a signer or a mission astray.
 */
export function linkableInName(name: string): boolean {
  const text = name.normalize('NFKC').replace(OTHER_DOTS, '.')
  for (const [candidate] of text.matchAll(DOTTED)) {
    const found = parse(candidate.replace(/^[._-]+|[._-]+$/g, ''))
    if (found.isIp || (found.isIcann && found.domain)) return true
  }
  return false
}
