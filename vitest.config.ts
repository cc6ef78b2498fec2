import path from 'node:path'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { alias: { '~': path.resolve('app') } },
  test: {
    include: ['app/**/*.test.{ts,tsx}', 'server/**/*.test.ts', 'db/**/*.test.ts', 'emails/**/*.test.{ts,tsx}', 'tests/http/**/*.test.ts', 'tests/resilience/**/*.test.ts', 'tests/hostile/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    setupFiles: ['tests/support/setup.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
