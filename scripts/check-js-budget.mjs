// Sums the gzip size of every JavaScript module each public page loads (the Remix manifest, the
// client entry, the page's route and the routes above it, and their shared chunks) and fails the
// build when a page is over its budget. See docs/decisions/053-javascript-budget.md and 119.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'

/** Kilobytes (1024 bytes) of gzipped JavaScript the campaign page may load. */
export const CAMPAIGN_JS_BUDGET_KB = 120
/** Any other public page: what they load today (about 90 to 104 kB) with a little room (ADR 119). */
export const PAGE_JS_BUDGET_KB = 110
/** Pages with a budget of their own. */
export const PAGE_BUDGETS_KB = {
  'routes/campaigns.$slug': CAMPAIGN_JS_BUDGET_KB,
  // The embeddable form carries the campaign page's sign form and nothing else (ADR 132).
  'routes/embed.campaigns.$slug': CAMPAIGN_JS_BUDGET_KB,
  // A mission's reply form, opened by a few hundred people: the form library and the states' names in six languages.
  'routes/respond.$country.$token': 230,
}
/** Not public pages: the organisers' and the dev mailbox (loopback only). */
const NOT_PUBLIC = /^routes\/(admin|dev\.)/

const build = await import(pathToFileURL(path.resolve('build/index.js')).href)
const { assets } = build
const publicDir = path.resolve('public')
const sizes = new Map()
const gzipOf = (url) => {
  if (!sizes.has(url)) {
    const bytes = readFileSync(path.join(publicDir, url))
    sizes.set(url, { url, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length })
  }
  return sizes.get(url)
}

/** Every file a page's first load fetches: manifest, entry, the route and every route above it, their imports. */
function filesOf(id) {
  const urls = new Set([assets.url, assets.entry.module, ...assets.entry.imports])
  for (let route = assets.routes[id]; route; route = route.parentId ? assets.routes[route.parentId] : undefined) {
    urls.add(route.module)
    for (const u of route.imports ?? []) urls.add(u)
  }
  return [...urls].map(gzipOf)
}

for (const id of Object.keys(PAGE_BUDGETS_KB)) if (!assets.routes[id]) throw new Error(`check-js-budget: no route ${id} in the manifest`)
// A page is a route that renders (a default export); resource routes load no JavaScript.
const pages = Object.keys(build.routes).filter((id) => id !== 'root' && !NOT_PUBLIC.test(id) && build.routes[id].module.default)
const kb = (n) => (n / 1024).toFixed(1)
const verbose = process.argv.includes('--verbose')
const over = []
for (const id of pages) {
  const files = filesOf(id)
  const total = files.reduce((sum, r) => sum + r.gzip, 0)
  const budget = PAGE_BUDGETS_KB[id] ?? PAGE_JS_BUDGET_KB
  if (total > budget * 1024) over.push(`  ${id}: ${kb(total)} kB gzipped in ${files.length} files, budget ${budget} kB`)
  if (verbose) {
    console.log(`${id}: ${kb(total)} kB (budget ${budget} kB)`)
    for (const r of files.sort((a, b) => b.gzip - a.gzip)) console.log(`${kb(r.gzip).padStart(9)} kB gz ${kb(r.raw).padStart(8)} kB  ${r.url}`)
  }
}
const campaign = filesOf('routes/campaigns.$slug').reduce((sum, r) => sum + r.gzip, 0)
if (over.length) {
  console.error(`JavaScript OVER BUDGET on ${over.length} public page(s):\n${over.join('\n')}`)
  console.error('Run `node scripts/check-js-budget.mjs --verbose` to see each file; a module imported for its loader belongs in a .server module.')
  process.exit(1)
}
console.log(`Campaign page JavaScript: ${kb(campaign)} kB gzipped (budget ${CAMPAIGN_JS_BUDGET_KB} kB); ${pages.length} public pages within their budgets`)
