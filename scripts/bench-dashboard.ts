// Prints how long the dashboard's figures take at scale, and the size of its map.
// Run: npx vite-node --config vitest.config.ts scripts/bench-dashboard.ts [signatures]
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { renderToStaticMarkup } from 'react-dom/server'
import { createElement } from 'react'
import { migrateToLatest, openDatabase } from '../db'
import { moveVerified } from '../app/models/counters.server'
import { dashboardFigures } from '../app/models/dashboard.server'
import { attributionLabels, rememberLabels } from '../app/models/signature.server'
import { createVault } from '../app/infra/vault.server'
import { WorldMap } from '../app/components/admin/world-map'
import { mapOutlines, worldGeometry, worldMapData } from '../app/infra/world-map.server'
import { countryOptions } from '../app/utils/countries'
import { UN_STATES } from '../app/data/un-states'

const total = Number(process.argv[2] ?? 200_000)
const dir = mkdtempSync(path.join(tmpdir(), 'bench-dashboard-'))
const { db } = openDatabase(path.join(dir, 'bench.db'))
await migrateToLatest(db)
const vault = createVault({ encryptionKey: randomBytes(32), hmacKey: randomBytes(32) })
const campaignId = randomUUID()
const now = Date.now()
await db.insertInto('campaigns').values({ id: campaignId, slug: 'bench', status: 'open', default_locale: 'en', goal: 1_000_000, sources_json: '[]', sort_order: 0, created_at: now, updated_at: now }).execute()

const codes = UN_STATES.map((s) => s.code)
const statuses = ['verified', 'verified', 'verified', 'pending', 'invalidated'] as const
const batch = 1000
// Attribution as the app stores it (ADR 089): opaque hashes per signature, each label once, encrypted.
const hashes = (referrer: string | null, source: string | null) => {
  const labels = attributionLabels(vault, referrer, { source })
  return { referrer_hash: labels.referrer?.hash ?? null, utm_hash: labels.utm?.hash ?? null, _labels: [labels.referrer, labels.utm] }
}
for (let i = 0; i < total; i += batch) {
  const rows = Array.from({ length: Math.min(batch, total - i) }, (_, j) => {
    const n = i + j
    const status = statuses[n % statuses.length]
    const at = now - (n % (90 * 24)) * 3_600_000
    return {
      id: randomUUID(), campaign_id: campaignId, status, email_hash: `h${n}`, email_enc: 'x', name_enc: 'x',
      // Skewed like real support: a few countries hold most signers.
      country_code: codes[Math.floor(codes.length * Math.random() ** 3)], locale: 'en', show_name: 0, news_opt_in: 0,
      ip_hash: null, ...hashes(n % 3 ? `site${n % 40}.example` : null, n % 4 ? null : `src${n % 7}`),
      emails_in_window: 1, email_window_started_at: at, created_at: at, updated_at: at, confirmed_at: status === 'verified' ? at : null,
    }
  })
  await db.transaction().execute(async (trx) => {
    for (const r of rows) await rememberLabels(trx, vault, r._labels, now)
    await trx.insertInto('signatures').values(rows.map(({ _labels, ...r }) => r)).execute()
    for (const r of rows) if (r.status === 'verified') await moveVerified(trx, campaignId, r.country_code, 1, now)
  })
}

const time = async (label: string, fn: () => Promise<unknown> | unknown, runs = 5) => {
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await fn()
    samples.push(performance.now() - t)
  }
  samples.sort((a, b) => a - b)
  console.log(`${label}: median ${samples[Math.floor(runs / 2)].toFixed(1)} ms, first ${samples[0].toFixed(1)}–max ${samples.at(-1)!.toFixed(1)} ms`)
}

const t0 = performance.now()
const geometry = worldGeometry()
console.log(`world geometry, first build (110m + 50m centroids): ${(performance.now() - t0).toFixed(1)} ms; ${geometry.shapes.length} outlines, ${geometry.markers.length} dots`)
await time(`dashboardFigures over ${total.toLocaleString('en')} signatures`, () => dashboardFigures(db, vault, campaignId))
const figures = await dashboardFigures(db, vault, campaignId)
const svg = renderToStaticMarkup(createElement(WorldMap, { geometry: worldMapData(), names: countryOptions('en'), countries: figures.countries }))
const { gzipSync } = await import('node:zlib')
console.log(`map SVG: ${(svg.length / 1024).toFixed(1)} KB, ${(gzipSync(svg).length / 1024).toFixed(1)} KB gzipped`)
const { svg: file } = mapOutlines()
console.log(`outlines file (fetched once, kept a year): ${(file.length / 1024).toFixed(1)} KB, ${(gzipSync(file).length / 1024).toFixed(1)} KB gzipped`)
console.log(`figures JSON (each refresh): ${(JSON.stringify(figures).length / 1024).toFixed(1)} KB`)
await db.destroy()
rmSync(dir, { recursive: true, force: true })
