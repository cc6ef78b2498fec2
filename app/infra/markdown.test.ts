import { describe, expect, it } from 'vitest'
import { renderMarkdown } from './markdown.server'

describe('campaign copy in Markdown', () => {
  it('loads its images lazily', () => {
    expect(renderMarkdown('![A vigil](/images/vigil.jpg)')).toBe('<p><img src="/images/vigil.jpg" alt="A vigil" loading="lazy" decoding="async"></p>\n')
  })

  it('never lets raw HTML through', () => {
    expect(renderMarkdown('<img src=x onerror=alert(1)>')).not.toContain('<img')
  })
})
