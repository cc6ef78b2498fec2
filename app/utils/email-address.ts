/**
 * The domain of an address, or of a domain typed alone (a moderation search): what follows the last
 * `@`, trimmed, in lower case, without a trailing dot, an internationalised name in its ASCII
 * (punycode) form, and googlemail.com read as gmail.com. The one place the platform works a domain
 * out: the domain hash stored at signing and every search and rule over it use it. The addresses
 * the sign form takes (zod's pattern) are ASCII without a trailing dot, so their domain reads as
 * it did before this function took the other cases.
 */
export function emailDomain(addressOrDomain: string): string {
  const trimmed = addressOrDomain.trim()
  let domain = trimmed.slice(trimmed.lastIndexOf('@') + 1).toLowerCase().replace(/\.+$/, '')
  // eslint-disable-next-line no-control-regex -- the whole ASCII range, NUL included: anything outside it is an IDN
  if (/[^\x00-\x7f]/.test(domain)) {
    // WHATWG URL parsing applies IDNA (UTS 46) the same in Node and the browser.
    try {
      domain = new URL(`http://${domain}`).hostname
    } catch {
      // Not a host name: left as typed, it matches nothing.
    }
  }
  return domain === 'googlemail.com' ? 'gmail.com' : domain
}

/**
 * The canonical form of an email address, for "one signature per person": lower case, `+tags`
 * removed (Gmail, Outlook, iCloud, Fastmail and Proton all deliver a+tag@ to a@), and for Gmail the
 * dots removed too; its domain is emailDomain's. Dots elsewhere may be significant, so they stay.
 */
export function canonicalEmail(address: string): string {
  const trimmed = address.trim().toLowerCase()
  const at = trimmed.lastIndexOf('@')
  if (at < 1) return trimmed
  let local = trimmed.slice(0, at)
  const domain = emailDomain(trimmed)
  const plus = local.indexOf('+')
  if (plus > 0) local = local.slice(0, plus)
  if (domain === 'gmail.com') local = local.replace(/\./g, '')
  return `${local}@${domain}`
}
