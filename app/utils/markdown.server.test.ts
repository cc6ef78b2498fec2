import { describe, expect, it } from 'vitest'
import { renderMarkdown } from './markdown.server'

describe('campaign Markdown', () => {
  it('formats text', () => {
    expect(renderMarkdown('*a* **b**\n\n1. one')).toContain('<em>a</em> <strong>b</strong>')
  })
  it('never lets markup or script through', () => {
    const html = renderMarkdown('<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))')
    expect(html).not.toMatch(/<script|<img|href="javascript/i)
    expect(html).toContain('&lt;script&gt;')
  })
  it('marks outside links noopener noreferrer', () => {
    expect(renderMarkdown('[Amnesty](https://www.amnesty.org)')).toContain('rel="noopener noreferrer"')
  })
})
