import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import en from './messages/en'
import { ROOT_MESSAGES } from './i18n.server'

// A page is sent only the messages its loader names (ADR 139). This reads each route's module graph
// (the code that can run in the browser: not *.server files) for the namespaces it names, and checks
// the route's `messagesFor(locale, [...])` lists (and the root's) cover them. Keys handed from a
// server module to the page (a form's error) are in the route's list by hand.
const APP = path.resolve(__dirname, '..')
const NAMESPACES = new Set(Object.keys(en).map((k) => k.split('.')[0]))

function resolve(from: string, spec: string): string | null {
  const base = spec.startsWith('~/') ? path.join(APP, spec.slice(2)) : spec.startsWith('.') ? path.resolve(path.dirname(from), spec) : null
  if (!base) return null
  for (const ext of ['', '.ts', '.tsx', '/index.ts', '/index.tsx']) if (existsSync(base + ext) && statSync(base + ext).isFile()) return base + ext
  return null
}

interface Graph {
  namespaces: Set<string>
  lists: string[][]
  translated: boolean
}

/** `client`: the file can run in the browser (no *.server file on the way to it from the route). */
function walk(file: string, graph: Graph, client = true, seen = new Set<string>()): Graph {
  const key = `${client}:${file}`
  if (seen.has(key)) return graph
  seen.add(key)
  const src = readFileSync(file, 'utf8')
  const here = client && !/\.server\.tsx?$/.test(file)
  if (here) for (const m of src.matchAll(/['`"]([a-zA-Z]+)\.[a-zA-Z]/g)) if (NAMESPACES.has(m[1])) graph.namespaces.add(m[1])
  // A route's list is in its loader or in the use-case its loader calls (server code).
  for (const m of src.matchAll(/messagesFor\([^[)]*(?:\([^)]*\))?\s*,\s*\[([^\]]*)\]/g)) graph.lists.push([...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]))
  for (const m of src.matchAll(/from\s+'([^']+)'/g)) {
    if (here && m[1] === '~/i18n/react') graph.translated = true
    const next = resolve(file, m[1])
    if (next && !next.includes(`${path.sep}i18n${path.sep}`)) walk(next, graph, here, seen)
  }
  return graph
}

const covered = (lists: readonly (readonly string[])[], ns: string) => lists.some((l) => l.includes(ns))

describe('each page is sent the messages it shows (ADR 139)', () => {
  const routes = readdirSync(path.join(APP, 'routes')).filter((f) => f.endsWith('.tsx'))
  it.each(routes)('%s', (route) => {
    const graph = walk(path.join(APP, 'routes', route), { namespaces: new Set(), lists: [], translated: false })
    if (!graph.translated) return
    const root = ROOT_MESSAGES.filter((n) => !n.includes('.'))
    const missing = [...graph.namespaces].filter((ns) => !root.includes(ns as never) && !covered(graph.lists, ns)).sort()
    expect(missing.join(' '), `${route} shows messages its loader does not send`).toBe('')
  })
})
