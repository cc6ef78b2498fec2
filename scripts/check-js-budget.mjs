// Sums the gzip size of every JavaScript module the campaign page loads (the Remix manifest, the
// client entry, the root and campaign routes and their shared chunks) and fails the build above the
// budget. See docs/decisions/053-javascript-budget.md.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'

/** Kilobytes (1024 bytes) of gzipped JavaScript the campaign page may load. */
export const CAMPAIGN_JS_BUDGET_KB = 120
const ROUTES = ['root', 'routes/campaigns.$slug']

const build = await import(pathToFileURL(path.resolve('build/index.js')).href)
const { assets } = build
const urls = new Set([assets.url, assets.entry.module, ...assets.entry.imports])
for (const id of ROUTES) {
  const route = assets.routes[id]
  if (!route) throw new Error(`check-js-budget: no route ${id} in the manifest`)
  urls.add(route.module)
  for (const u of route.imports ?? []) urls.add(u)
}

const publicDir = path.resolve('public')
const rows = [...urls].map((url) => {
  const bytes = readFileSync(path.join(publicDir, url))
  return { url, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length }
})
const total = rows.reduce((sum, r) => sum + r.gzip, 0)
const kb = (n) => (n / 1024).toFixed(1)

if (process.argv.includes('--verbose')) {
  for (const r of rows.sort((a, b) => b.gzip - a.gzip)) console.log(`${kb(r.gzip).padStart(7)} kB gz ${kb(r.raw).padStart(8)} kB  ${r.url}`)
}
const line = `Campaign page JavaScript: ${kb(total)} kB gzipped in ${rows.length} files (budget ${CAMPAIGN_JS_BUDGET_KB} kB)`
if (total > CAMPAIGN_JS_BUDGET_KB * 1024) {
  console.error(`${line}: OVER BUDGET. Run \`node scripts/check-js-budget.mjs --verbose\` to see each file.`)
  process.exit(1)
}
console.log(line)
