import { createHash } from 'node:crypto'

/**
 * RFC 6962 / RFC 9162 Merkle tree hashing, proofs and their verification (ADR 081). A tree is read
 * through a `HashSource`: the hash of the complete subtree of 2^level leaves starting at leaf
 * index·2^level, which is exactly what a log stores (and what C2SP tlog-tiles serve). Proof
 * generation runs twice over the same pure functions: once to learn which hashes it needs, once
 * with them, so a database answers one query.
 */

export const HASH_SIZE = 32
export type Hash = Buffer
export type HashSource = (level: number, index: number) => Hash

const LEAF_PREFIX = Buffer.from([0x00])
const NODE_PREFIX = Buffer.from([0x01])

export const leafHash = (data: Buffer | Uint8Array): Hash => createHash('sha256').update(LEAF_PREFIX).update(data).digest()
export const nodeHash = (left: Hash, right: Hash): Hash => createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest()
/** The root of the empty tree: SHA-256 of nothing (RFC 9162 §2.1.1). */
export const EMPTY_ROOT = createHash('sha256').digest()

/** log2(n) when n is a power of two, else -1. */
function log2Exact(n: number): number {
  let level = 0
  let k = 1
  while (k < n) {
    k *= 2
    level++
  }
  return k === n ? level : -1
}
const isPow2 = (n: number) => n > 0 && log2Exact(n) >= 0
/** The largest power of two smaller than n (n ≥ 2). */
function split(n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

/** MTH(D[lo:hi]). */
export function subtreeHash(read: HashSource, lo: number, hi: number): Hash {
  const n = hi - lo
  if (n <= 0) throw new Error('empty subtree')
  const level = log2Exact(n)
  if (level >= 0) return read(level, lo / n)
  const k = split(n)
  return nodeHash(subtreeHash(read, lo, lo + k), subtreeHash(read, lo + k, hi))
}

export function treeHash(read: HashSource, size: number): Hash {
  return size === 0 ? EMPTY_ROOT : subtreeHash(read, 0, size)
}

/** PATH(m, D[lo:hi]) of RFC 6962 §2.1.1: the audit path of leaf m, from the leaf up. */
function path(read: HashSource, m: number, lo: number, hi: number): Hash[] {
  const n = hi - lo
  if (n === 1) return []
  const k = split(n)
  if (m < k) return [...path(read, m, lo, lo + k), subtreeHash(read, lo + k, hi)]
  return [...path(read, m - k, lo + k, hi), subtreeHash(read, lo, lo + k)]
}

export function inclusionProof(read: HashSource, index: number, size: number): Hash[] {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size)) throw new Error('index out of range')
  return path(read, index, 0, size)
}

/** SUBPROOF(m, D[lo:hi], b) of RFC 6962 §2.1.2. */
function subproof(read: HashSource, m: number, lo: number, hi: number, complete: boolean): Hash[] {
  const n = hi - lo
  if (m === n) return complete ? [] : [subtreeHash(read, lo, hi)]
  const k = split(n)
  if (m <= k) return [...subproof(read, m, lo, lo + k, complete), subtreeHash(read, lo + k, hi)]
  return [...subproof(read, m - k, lo + k, hi, false), subtreeHash(read, lo, lo + k)]
}

export function consistencyProof(read: HashSource, size1: number, size2: number): Hash[] {
  if (!(Number.isSafeInteger(size1) && Number.isSafeInteger(size2) && size1 >= 0 && size1 <= size2)) throw new Error('sizes out of range')
  if (size1 === 0 || size1 === size2) return []
  return subproof(read, size1, 0, size2, true)
}

/**
 * Runs `fn` against a source that records what it asks for, fetches those hashes in one go, then
 * runs `fn` again with them. `fetch` returns the hashes in the order of the keys it is given.
 */
export async function withHashes<T>(fn: (read: HashSource) => T, fetch: (keys: { level: number; index: number }[]) => Promise<Hash[]>): Promise<T> {
  const wanted = new Map<string, { level: number; index: number }>()
  fn((level, index) => {
    wanted.set(`${level}/${index}`, { level, index })
    return EMPTY_ROOT
  })
  const keys = [...wanted.values()]
  const hashes = keys.length ? await fetch(keys) : []
  if (hashes.length !== keys.length) throw new Error('missing hashes')
  const got = new Map(keys.map((k, i) => [`${k.level}/${k.index}`, hashes[i]]))
  return fn((level, index) => {
    const h = got.get(`${level}/${index}`)
    if (!h) throw new Error(`hash ${level}/${index} not available`)
    return h
  })
}

/** An in-memory tree over leaf hashes, for tests and verifiers that hold every leaf. */
export function memorySource(leafHashes: Hash[]): HashSource {
  const levels: Hash[][] = [leafHashes]
  return (level, index) => {
    while (levels.length <= level) {
      const below = levels[levels.length - 1]
      const next: Hash[] = []
      for (let i = 0; i + 1 < below.length; i += 2) next.push(nodeHash(below[i], below[i + 1]))
      levels.push(next)
    }
    const h = levels[level][index]
    if (!h) throw new Error(`no complete subtree ${level}/${index}`)
    return h
  }
}

const same = (a: Buffer, b: Buffer) => a.length === b.length && a.equals(b)

/** RFC 9162 §2.1.3.2: does `proof` show leaf `hash` at `index` in the tree of `size` with `root`? */
export function verifyInclusion(index: number, size: number, hash: Hash, proof: Hash[], root: Hash): boolean {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size)) || index < 0 || index >= size) return false
  if (hash.length !== HASH_SIZE || proof.some((p) => p.length !== HASH_SIZE)) return false
  let fn = index
  let sn = size - 1
  let r = hash
  for (const p of proof) {
    if (sn === 0) return false
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r)
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2)
          sn = Math.floor(sn / 2)
        }
      }
    } else r = nodeHash(r, p)
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  return sn === 0 && same(r, root)
}

/** RFC 9162 §2.1.4.2: does `proof` show the tree (size1, root1) is a prefix of (size2, root2)? */
export function verifyConsistency(size1: number, size2: number, proof: Hash[], root1: Hash, root2: Hash): boolean {
  if (!(Number.isSafeInteger(size1) && Number.isSafeInteger(size2)) || size1 < 0 || size1 > size2) return false
  if (proof.some((p) => p.length !== HASH_SIZE)) return false
  if (size1 === size2) return proof.length === 0 && same(root1, root2)
  if (size1 === 0) return proof.length === 0
  if (proof.length === 0) return false
  const path = isPow2(size1) ? [root1, ...proof] : proof
  let fn = size1 - 1
  let sn = size2 - 1
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  let fr = path[0]
  let sr = path[0]
  for (const c of path.slice(1)) {
    if (sn === 0) return false
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr)
      sr = nodeHash(c, sr)
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2)
          sn = Math.floor(sn / 2)
        }
      }
    } else sr = nodeHash(sr, c)
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  return sn === 0 && same(fr, root1) && same(sr, root2)
}
