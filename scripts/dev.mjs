// npm run dev: one build, then three watchers until Ctrl-C. Remix's classic compiler rebuilds the
// app (`remix watch`: build/index.js and public/build), esbuild rebuilds the server and the tools
// (scripts/build-server.mjs --watch: build/server-main.js, build/cli-main.js), and Node restarts
// the server whenever a file in build/ changes. The JavaScript budget is not checked here: a
// development build is not minified (npm run build checks it).
import { spawn, spawnSync } from 'node:child_process'

const run = (command, args) => spawnSync(command, args, { stdio: 'inherit' }).status === 0
if (!run('npx', ['remix', 'build']) || !run('node', ['scripts/build-server.mjs'])) process.exit(1)

const children = [
  spawn('npx', ['remix', 'watch'], { stdio: 'inherit' }),
  spawn('node', ['scripts/build-server.mjs', '--watch'], { stdio: 'inherit' }),
  // remix watch builds in development mode (jsxDEV), which React provides only under NODE_ENV=development.
  spawn('node', ['--watch-path=build', '--watch-preserve-output', 'build/server.js'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'development' } }),
]
let stopping = false
const stop = (code) => {
  if (stopping) return
  stopping = true
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM')
  process.exitCode = code
}
process.on('SIGINT', () => stop(0))
process.on('SIGTERM', () => stop(0))
// A watcher that dies (a broken config, not a compile error, which they report and survive) stops the rest.
for (const child of children) child.on('exit', (code) => stop(code ?? 1))
