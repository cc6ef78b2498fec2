import { describe, expect, it } from 'vitest'
import { EMBED_ORIGINS_MAX, embedSnippet, frameAncestors, normaliseOrigin, parseOriginList, storedOrigins } from './embed'

describe('embed origins (ADR 132)', () => {
  it('are normalised as browsers write them: lower case, no default port, no trailing slash', () => {
    expect(normaliseOrigin('HTTPS://Partner.Example/')).toEqual({ origin: 'https://partner.example' })
    expect(normaliseOrigin(' https://partner.example:443 ')).toEqual({ origin: 'https://partner.example' })
    expect(normaliseOrigin('https://partner.example:8443')).toEqual({ origin: 'https://partner.example:8443' })
    expect(normaliseOrigin('https://bücher.example')).toEqual({ origin: 'https://xn--bcher-kva.example' })
  })

  it('take https only, http only on the loopback', () => {
    expect(normaliseOrigin('http://partner.example')).toEqual({ problem: 'not-https' })
    // This machine's own names only outside production (loopback), where a partner tries the snippet out.
    expect(normaliseOrigin('http://localhost:4000', true)).toEqual({ origin: 'http://localhost:4000' })
    expect(normaliseOrigin('http://127.0.0.1:4000', true)).toEqual({ origin: 'http://127.0.0.1:4000' })
    for (const local of ['http://localhost:4000', 'https://localhost', 'http://127.0.0.1:4000', 'http://[::1]:8080', 'https://app.localhost'])
      expect(normaliseOrigin(local), local).toEqual({ problem: 'loopback' })
    for (const bad of ['partner.example', 'ftp://partner.example', 'javascript:alert(1)', 'data:text/html,x', '*', 'https://*.partner.example', "https://a.example;'unsafe-inline'", 'https://user:pw@partner.example']) {
      expect(normaliseOrigin(bad), bad).toEqual({ problem: 'not-an-origin' })
    }
  })

  it('are sites, not pages', () => {
    for (const page of ['https://partner.example/campaigns', 'https://partner.example/?x=1', 'https://partner.example/#top', 'https://partner.example?']) {
      expect(normaliseOrigin(page), page).toEqual({ problem: 'has-path' })
    }
  })

  it('come one per line, deduplicated, at most the maximum, with every refused line named', () => {
    expect(parseOriginList('https://a.example\nHTTPS://A.EXAMPLE/, https://b.example  http://c.example\nnope')).toEqual({
      origins: ['https://a.example', 'https://b.example'],
      problems: [
        { input: 'http://c.example', problem: 'not-https' },
        { input: 'nope', problem: 'not-an-origin' },
      ],
    })
    const many = Array.from({ length: EMBED_ORIGINS_MAX + 1 }, (_, i) => `https://p${i}.example`).join('\n')
    expect(parseOriginList(many).problems).toEqual([{ input: String(EMBED_ORIGINS_MAX + 1), problem: 'too-many' }])
    expect(parseOriginList(many.split('\n').slice(1).join('\n')).problems).toEqual([])
  })

  it('reach the header only when well formed, whatever the column holds', () => {
    expect(storedOrigins('["https://a.example","https://b.example/x","http://c.example","https://a.example",7]')).toEqual(['https://a.example'])
    expect(storedOrigins('not json')).toEqual([])
    expect(storedOrigins(null)).toEqual([])
    // Saved while trying the form out, then deployed: production drops it from the header.
    expect(storedOrigins('["https://a.example","http://localhost:4000"]')).toEqual(['https://a.example'])
    expect(storedOrigins('["https://a.example","http://localhost:4000"]', true)).toEqual(['https://a.example', 'http://localhost:4000'])
    expect(frameAncestors([])).toBe("'none'")
    expect(frameAncestors(['https://a.example', 'http://localhost:4000'])).toBe('https://a.example http://localhost:4000')
  })

  it('make a snippet with a title, lazy loading, a default height, the sandbox and our origin checked', () => {
    const snippet = embedSnippet('https://petition.example/', 'justice-for-1988', 'Justice "now" <1988>', { via: 'abcdefghijkl', lang: 'fa' })
    expect(snippet).toContain('src="https://petition.example/embed/campaigns/justice-for-1988?lang=fa&amp;via=abcdefghijkl"')
    expect(snippet).toContain('title="Justice &quot;now&quot; &lt;1988>"')
    expect(snippet).toMatch(/loading="lazy"[^>]*height="\d+"[^>]*sandbox="allow-forms allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"/)
    expect(snippet).not.toContain('allow-top-navigation')
    expect(snippet).toContain("e.origin===o&&e.source===f.contentWindow")
    expect(snippet).toContain("'https://petition.example')")
  })
})
