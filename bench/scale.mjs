// `npm run bench:scale`: bundles bench/scale.ts (it reuses app modules and the fake Resend) and runs
// it against the production build that `npm run build` just made.
import { build } from 'esbuild'

await build({
  entryPoints: { scale: 'bench/scale.ts' },
  outdir: 'build/bench',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  jsx: 'automatic',
  logLevel: 'warning',
  alias: { '~': './app' },
})
await import('../build/bench/scale.js')
