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

describe('ordered lists typed in any digits', () => {
  const items = (html: string) => (html.match(/<li>/g) ?? []).length
  it.each([
    ['Persian', 'از دولت می‌خواهیم:\n\n۱. سخن بگوید؛\n۲. پشتیبانی کند؛\n۳. پافشاری کند.'],
    ['Arabic-Indic', 'نطالب:\n\n١. أن تتحدث؛\n٢. أن تدعم؛\n٣. أن تصر.'],
    ['ASCII', 'We ask:\n\n1. speak;\n2. support;\n3. insist.'],
  ])('%s digits make one ordered list of three items', (_name, source) => {
    const html = renderMarkdown(source)
    expect(html).toMatch(/<ol>\s*<li>/)
    expect(items(html)).toBe(3)
    expect(html).not.toMatch(/<p>[^<]*[۲٢2]\./)
  })
  it('keeps the start number typed, with either delimiter', () => {
    expect(renderMarkdown('۳) سه\n۴) چهار')).toContain('<ol start="3">')
  })
  it('leaves digits alone elsewhere: in a sentence and in fenced code', () => {
    expect(renderMarkdown('در سال ۱۳۶۷. کشتار')).toContain('<p>در سال ۱۳۶۷. کشتار</p>')
    expect(renderMarkdown('```\n۱. not a list\n```')).toContain('<code>۱. not a list\n</code>')
  })
})
