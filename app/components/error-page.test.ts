import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { expect, it } from 'vitest'

// A page route with an action needs an error boundary of its own (or its layout's, admin.tsx): with
// only the root's, a failed action renders the error page without the root's messages (ADR 099).
it('gives every page route with an action an error boundary below the root', () => {
  const dir = path.resolve('app/routes')
  const missing = readdirSync(dir)
    .filter((f) => f.endsWith('.tsx'))
    .filter((f) => /export (async )?(function|const) action\b/.test(readFileSync(path.join(dir, f), 'utf8')))
    .filter((f) => !f.startsWith('admin.') || f === 'admin.tsx')
    .filter((f) => !/export \{ ErrorBoundary \}|export function ErrorBoundary/.test(readFileSync(path.join(dir, f), 'utf8')))
  expect(missing).toEqual([])
  // The organisers' layout answers a missing role itself (ADR 109) and every other failure with the general page.
  const admin = readFileSync(path.join(dir, 'admin.tsx'), 'utf8')
  expect(admin).toMatch(/export function ErrorBoundary/)
  expect(admin).toMatch(/import \{ ErrorBoundary as GeneralError \} from '~\/components\/error-page'/)
  expect(admin).toMatch(/return <GeneralError \/>/)
})
