import { describe, expect, it } from 'vitest'
import { safeRedirect } from './auth.server'

// Every way a path can leave the site once a browser reads it: protocol-relative, backslashes (read as
// slashes), tabs and newlines (dropped), percent-encoded forms of each, schemes, and dot segments that
// collapse into `//host` once the path is normalised.
const LEAVES = [
  '//other.example',
  '//other.example/admin',
  '///other.example',
  '/\\other.example',
  '/\\/other.example',
  '\\\\other.example',
  '/%2F/other.example',
  '/%2f%2fother.example',
  '/%5Cother.example',
  '/%5c%5cother.example',
  '/\t/other.example',
  '/\n/other.example',
  '/%09/other.example',
  '/%0A/other.example',
  '/%0d/other.example',
  '/%00/admin',
  '/..//other.example',
  '/.//other.example',
  '/admin/..//other.example',
  '/%2e%2e//other.example',
  '/%2E//other.example',
  'https://other.example',
  'http:other.example',
  'javascript:alert(1)',
  'other.example',
  '%2F%2Fother.example',
  '',
  '/%E0%A4%A', // malformed escape
  `/${'a'.repeat(2048)}`,
]

describe('safeRedirect', () => {
  it.each(LEAVES)('sends %j to the fallback', (to) => {
    expect(safeRedirect(to)).toBe('/admin')
    expect(safeRedirect(to, '/elsewhere')).toBe('/elsewhere')
  })

  it('refuses anything but a string', () => {
    expect(safeRedirect(null)).toBe('/admin')
    expect(safeRedirect(undefined)).toBe('/admin')
    expect(safeRedirect(new File([], 'x'))).toBe('/admin')
  })

  it.each([
    ['/admin', '/admin'],
    ['/admin/campaigns/justice-for-1988?tab=letters#top', '/admin/campaigns/justice-for-1988?tab=letters#top'],
    ['/admin/a/../b', '/admin/b'],
    ['/admin?next=//other.example', '/admin?next=//other.example'],
    ['/admin#//other.example', '/admin#//other.example'],
  ])('keeps the path on this site: %j → %j', (to, want) => {
    expect(safeRedirect(to)).toBe(want)
  })

  it('never returns anything a browser could read as another host', () => {
    for (const to of LEAVES) {
      const out = safeRedirect(to)
      expect(new URL(out, 'https://petition.example').origin).toBe('https://petition.example')
      expect(out).not.toMatch(/^[/\\]{2}|^[a-z]+:/i)
    }
  })
})
