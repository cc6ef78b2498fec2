import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { chooseEncoding, hashInline } from './response-cache'

const PH = 'nonceSECRETplaceholder000000000'
const policy = `default-src 'self'; script-src 'self' 'nonce-${PH}'; style-src 'self' 'nonce-${PH}'; frame-ancestors 'none'`
const sha = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`

describe('hashInline (ADR 136)', () => {
  it('allows the app’s own inline scripts and styles by hash, each in its directive, and drops the placeholder', () => {
    const html = `<html><head><style nonce="${PH}">body{color:red}</style></head><body><script nonce="${PH}">window.a=1</script><script nonce="${PH}" type="module">import "/build/x.js"</script><script src="/build/y.js" nonce="${PH}"></script></body></html>`
    const out = hashInline(html, PH, policy)!
    expect(out.html).not.toContain(PH)
    expect(out.html).not.toContain('nonce=')
    expect(out.policy).toBe(`default-src 'self'; script-src 'self' ${sha('window.a=1')} ${sha('import "/build/x.js"')}; style-src 'self' ${sha('body{color:red}')}; frame-ancestors 'none'`)
  })
  it('gives no hash to a script the app did not mark: content cannot allow itself', () => {
    const html = `<body><p>&lt;script&gt;</p><script>alert(1)</script><script nonce="${PH}">ok()</script></body>`
    const out = hashInline(html, PH, policy)!
    expect(out.policy).not.toContain(sha('alert(1)'))
    expect(out.policy).toContain(sha('ok()'))
  })
  it('keeps nothing it could not hash as the browser would, or where the placeholder would leak', () => {
    expect(hashInline(`<script nonce="${PH}">a()\r\nb()</script>`, PH, policy)).toBeNull()
    expect(hashInline(`<meta content="${PH}"><script nonce="${PH}">a()</script>`, PH, policy)).toBeNull()
    expect(hashInline('<p>no scripts</p>', PH, `script-src 'self' 'nonce-${PH}'; img-src 'self' 'nonce-${PH}'`)!.policy).toBe(`script-src 'self'; img-src 'self'`)
    expect(hashInline('<p>no scripts</p>', PH, policy)!.policy).toBe(`default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'`)
  })
})

describe('chooseEncoding', () => {
  it('prefers brotli, then gzip, honouring q=0 and *', () => {
    expect(chooseEncoding('gzip, deflate, br, zstd')).toBe('br')
    expect(chooseEncoding('gzip')).toBe('gzip')
    expect(chooseEncoding('br;q=0, gzip;q=0.5')).toBe('gzip')
    expect(chooseEncoding('BR; q=0.1')).toBe('br')
    expect(chooseEncoding('*')).toBe('br')
    expect(chooseEncoding('*, br;q=0')).toBe('gzip')
    expect(chooseEncoding('identity')).toBeNull()
    expect(chooseEncoding(undefined)).toBeNull()
    expect(chooseEncoding('gzip;q=0, br;q=0')).toBeNull()
  })
})
