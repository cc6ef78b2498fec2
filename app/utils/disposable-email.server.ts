import mailchecker from 'mailchecker'

// mailchecker (MIT, updated with new throwaway providers every few weeks) ships its list as a Set.
const domains: Set<string> = mailchecker.blacklist()

/** True for a throwaway-mail domain or any subdomain of one. */
export function isDisposableDomain(domain: string): boolean {
  let d = domain.trim().toLowerCase()
  for (;;) {
    if (domains.has(d)) return true
    const dot = d.indexOf('.')
    if (dot < 0) return false
    d = d.slice(dot + 1)
  }
}
