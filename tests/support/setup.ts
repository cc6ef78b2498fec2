import { afterEach, beforeEach, vi } from 'vitest'

// An unexpected console.error during a test is a failure.
let errors: unknown[][] = []
beforeEach(() => {
  errors = []
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    errors.push(args)
  })
})
afterEach(() => {
  vi.restoreAllMocks()
  if (errors.length > 0) {
    const first = errors[0].map(String).join(' ')
    errors = []
    throw new Error(`console.error was called during the test: ${first}`)
  }
})
