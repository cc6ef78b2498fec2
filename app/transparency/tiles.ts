import { NoteError } from './note'

/**
 * C2SP tlog-tiles (https://c2sp.org/tlog-tiles) paths and entry bundles. Tiles have height 8, so
 * a full tile holds 256 hashes (32 bytes each) and a full entry bundle 256 entries, each a
 * big-endian 16-bit length then its bytes. Paths: `tile/<L>/<N>[.p/<W>]`, `tile/entries/<N>[.p/<W>]`,
 * N written in groups of three digits, every group but the last prefixed with `x`.
 */

export const TILE_HEIGHT = 8
export const TILE_WIDTH = 256

export function encodeTileIndex(n: number): string {
  let s = String(n % 1000).padStart(3, '0')
  let rest = Math.floor(n / 1000)
  while (rest > 0) {
    s = `x${String(rest % 1000).padStart(3, '0')}/${s}`
    rest = Math.floor(rest / 1000)
  }
  return s
}

export function tilePath(level: number | 'entries', n: number, width = TILE_WIDTH): string {
  return `tile/${level}/${encodeTileIndex(n)}${width < TILE_WIDTH ? `.p/${width}` : ''}`
}

export interface TileRequest {
  level: number | 'entries'
  n: number
  width: number
}

/** Parses the part of a URL after `/log/`; null when it is not a tile path in canonical form. */
export function parseTilePath(path: string): TileRequest | null {
  const m = /^tile\/(entries|[0-9]|[1-5][0-9]|6[0-3])\/((?:x[0-9]{3}\/)*)([0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/.exec(path)
  if (!m) return null
  const groups = m[2] ? m[2].split('/').filter(Boolean).map((g) => g.slice(1)) : []
  if (groups.length && groups[0] === '000') return null
  const n = Number([...groups, m[3]].join(''))
  const width = m[4] ? Number(m[4]) : TILE_WIDTH
  if (width > TILE_WIDTH || (m[4] && width === TILE_WIDTH) || !Number.isSafeInteger(n)) return null
  return { level: m[1] === 'entries' ? 'entries' : Number(m[1]), n, width }
}

export function encodeBundle(entries: Buffer[]): Buffer {
  const parts: Buffer[] = []
  for (const e of entries) {
    if (e.length > 0xffff) throw new NoteError('an entry is at most 65535 bytes')
    const len = Buffer.alloc(2)
    len.writeUInt16BE(e.length)
    parts.push(len, e)
  }
  return Buffer.concat(parts)
}

export function decodeBundle(bytes: Buffer): Buffer[] {
  const out: Buffer[] = []
  let i = 0
  while (i < bytes.length) {
    if (i + 2 > bytes.length) throw new NoteError('the entry bundle is cut short')
    const len = bytes.readUInt16BE(i)
    if (i + 2 + len > bytes.length) throw new NoteError('the entry bundle is cut short')
    out.push(bytes.subarray(i + 2, i + 2 + len))
    i += 2 + len
  }
  return out
}
