// Bundles the custom server and the command-line tools; npm packages stay external.
// `--watch` (npm run dev) rebuilds them whenever a file they import changes.
import { build, context } from 'esbuild'
import { writeFileSync } from 'node:fs'

const options = {
  entryPoints: { 'server-main': 'server/index.ts', 'cli-main': 'server/cli.ts', 'pdf-worker': 'app/letters/pdf-worker.ts' },
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
}
if (process.argv.includes('--watch')) await (await context({ ...options, logLevel: 'info' })).watch()
else await build(options)

// build/server.js and build/cli.js are small launchers that prepare the process before anything
// else is loaded (a bundle's imports all run before its code):
// - React (and the libraries built like it) pick their production or development build from
//   NODE_ENV the moment they are first imported: it defaults to production, the configuration's
//   own default; an explicit NODE_ENV wins.
// - V8 lets its old generation grow to several times what is live before collecting it; under a
//   stream of signs that is garbage promoted from short-lived requests, and the process grew past
//   250 MB. A growth factor of 1.3 holds it near 200 MB at no cost in throughput (docs/performance.md).
const launcher = (main) => `// Written by scripts/build-server.mjs: see there.
import { setFlagsFromString } from 'node:v8'
process.env.NODE_ENV ||= 'production'
setFlagsFromString('--heap-growing-percent=30')
await import('./${main}')
`
for (const name of ['server', 'cli']) writeFileSync(`build/${name}.js`, launcher(`${name}-main.js`))
