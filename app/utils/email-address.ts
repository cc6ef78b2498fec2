/**
 * The canonical form of an email address, for "one signature per person": lower case, `+tags`
 * removed (Gmail, Outlook, iCloud, Fastmail and Proton all deliver a+tag@ to a@), and for Gmail the
 * dots removed too, with googlemail.com read as gmail.com. Dots elsewhere may be significant, so
 * they stay.
 */
export function canonicalEmail(address: string): string {
  const trimmed = address.trim().toLowerCase()
  const at = trimmed.lastIndexOf('@')
  if (at < 1) return trimmed
  let local = trimmed.slice(0, at)
  let domain = trimmed.slice(at + 1)
  if (domain === 'googlemail.com') domain = 'gmail.com'
  const plus = local.indexOf('+')
  if (plus > 0) local = local.slice(0, plus)
  if (domain === 'gmail.com') local = local.replace(/\./g, '')
  return `${local}@${domain}`
}

/** The domain of an address, lower case, with googlemail.com read as gmail.com (as canonicalEmail does). */
export function emailDomain(address: string): string {
  const canonical = canonicalEmail(address)
  return canonical.slice(canonical.lastIndexOf('@') + 1)
}
