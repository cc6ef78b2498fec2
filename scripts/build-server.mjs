// Bundles the custom server and the command-line tools; npm packages stay external.
import { build } from 'esbuild'
import { writeFileSync } from 'node:fs'

await build({
  entryPoints: { 'server-main': 'server/index.ts', 'cli-main': 'server/cli.ts' },
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

// React (and the libraries built like it) pick their production or development build from
// NODE_ENV the moment they are first imported, and a bundle's imports all run before its code. So
// build/server.js and build/cli.js are two-line launchers that default NODE_ENV to production
// (the configuration's own default) before anything else is loaded; an explicit NODE_ENV wins.
for (const name of ['server', 'cli']) {
  writeFileSync(
    `build/${name}.js`,
    `// Written by scripts/build-server.mjs: NODE_ENV is set before React and the rest load.\nprocess.env.NODE_ENV ||= 'production'\nawait import('./${name}-main.js')\n`,
  )
}
