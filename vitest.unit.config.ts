import path from 'node:path'
import { defineConfig } from 'vitest/config'

/** The unit tests beside the models and helpers, alone: what `npm run test:mutation` runs for each mutant (ADR 116). */
export default defineConfig({
  resolve: { alias: { '~': path.resolve('app') } },
  test: {
    include: ['app/models/**/*.test.{ts,tsx}', 'app/utils/**/*.test.{ts,tsx}', 'app/infra/**/*.test.{ts,tsx}'],
    environment: 'node',
    pool: 'forks',
    setupFiles: ['tests/support/setup.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
