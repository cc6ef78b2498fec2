/**
 * A per-connection memo with a maximum age, for public figures that may lag a few seconds.
 * Keyed by the connection object so each test database keeps its own entries; concurrent readers
 * share one pending read. `keep` says which results may stay: keys that come from a request (a
 * slug) must not let unknown ones pile up.
 */
export function ttlCache<T>() {
  const store = new WeakMap<object, Map<string, { at: number; value: Promise<T> }>>()
  return function get(owner: object, key: string, maxAgeMs: number, read: () => Promise<T>, keep?: (value: T) => boolean): Promise<T> {
    if (maxAgeMs <= 0) return read()
    let entries = store.get(owner)
    if (!entries) store.set(owner, (entries = new Map()))
    // Monotonic: a wall clock stepped back must not freeze a figure for the length of the step.
    const now = performance.now()
    const hit = entries.get(key)
    if (hit && now - hit.at < maxAgeMs) return hit.value
    const value = read()
    entries.set(key, { at: now, value })
    const drop = () => entries.get(key)?.value === value && entries.delete(key)
    value.then((v) => keep && !keep(v) && drop(), drop)
    return value
  }
}
