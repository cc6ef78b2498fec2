// `npm run bench` (and `npm run bench:scale`, with --scale): bundles the TypeScript benchmark (it reuses app modules and the fake Resend) and
// runs it against the production build that `npm run build` just made.
import { build } from 'esbuild'

await build({
  entryPoints: { main: 'bench/main.ts', scale: 'bench/scale.ts', 'bare-server': 'bench/bare-server.ts', 'bare-server-pg': 'bench/bare-server-pg.ts' },
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
await import(process.argv.includes('--scale') ? '../build/bench/scale.js' : '../build/bench/main.js')
