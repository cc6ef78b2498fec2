// Prints what the offline IP-country lookup costs on the sign path: load once, then per lookup.
// Usage: node scripts/bench-geoip.mjs
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const require = createRequire(import.meta.url)
const { Reader } = require('mmdb-lib')
const t0 = performance.now()
const dir = path.dirname(require.resolve('@ip-location-db/geo-whois-asn-country-mmdb/package.json'))
const reader = new Reader(readFileSync(path.join(dir, 'geo-whois-asn-country.mmdb')))
const loadMs = performance.now() - t0
const ips = Array.from({ length: 10_000 }, (_, i) => `${(i % 223) + 1}.${(i * 7) % 256}.${(i * 13) % 256}.${i % 256}`)
for (const ip of ips) reader.get(ip)
const n = 200_000
const t1 = performance.now()
for (let i = 0; i < n; i++) reader.get(ips[i % ips.length])
const perLookupUs = ((performance.now() - t1) * 1000) / n
console.log(`geoip load: ${loadMs.toFixed(0)} ms once; lookup: ${perLookupUs.toFixed(2)} µs each (${n} lookups)`)
