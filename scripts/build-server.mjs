// Bundles the custom server and the command-line tools; npm packages stay external.
import { build } from 'esbuild'

await build({
  entryPoints: { server: 'server/index.ts', cli: 'server/cli.ts' },
  outdir: 'build',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  jsx: 'automatic',
  sourcemap: true,
  logLevel: 'warning',
  alias: { '~': './app' },
})
