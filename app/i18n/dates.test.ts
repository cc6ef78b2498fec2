import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatDate } from './core'
import { LOCALES } from './locales'

const DAY = Date.UTC(2026, 11, 2, 23, 30)

describe('one date format per language', () => {
  it.each([
    ['en', '2 December 2026'],
    ['fr', '2 décembre 2026'],
    ['es', '2 de diciembre de 2026'],
    ['fa', '۱۱ آذر ۱۴۰۵ (۲ دسامبر ۲۰۲۶)'],
    ['ar', '2 ديسمبر 2026'],
  ])('%s writes a day as %s, in UTC', (locale, expected) => {
    expect(formatDate(locale, DAY)).toBe(expected)
  })

  it('covers every interface language', () => {
    for (const locale of LOCALES) expect(formatDate(locale, DAY)).toMatch(/2026|۲۰۲۶/)
  })

  it('is the only way public pages and emails write a date (admin pages write UTC timestamps)', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    const offenders = [...files('app/routes'), ...files('app/components'), ...files('emails')]
      .filter((f) => /\.tsx?$/.test(f) && !/\.test\./.test(f) && !/(^|\/)admin[./]/.test(f))
      .filter((f) => /DateTimeFormat|toLocaleDateString|toLocaleTimeString|dateStyle/.test(readFileSync(f, 'utf8')))
    expect(offenders).toEqual([])
  })
})
