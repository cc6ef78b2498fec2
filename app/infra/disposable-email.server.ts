import { createRequire } from 'node:module'

// mailchecker (MIT, updated with new throwaway providers every few weeks) ships its list as a Set
// of some 50,000 domains: read the first time it is needed (organisers' fraud review), not at start.
const require = createRequire(import.meta.url)
let domains: Set<string> | null = null
const list = (): Set<string> => (domains ??= (require('mailchecker') as { blacklist(): Set<string> }).blacklist())

/** True for a throwaway-mail domain or any subdomain of one. */
export function isDisposableDomain(domain: string): boolean {
  const known = list()
  let d = domain.trim().toLowerCase()
  for (;;) {
    if (known.has(d)) return true
    const dot = d.indexOf('.')
    if (dot < 0) return false
    d = d.slice(dot + 1)
  }
}
