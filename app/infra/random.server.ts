import { randomFillSync } from 'node:crypto'
import { v7 as uuidv7 } from 'uuid'

const POOL_BYTES = 4096
let pool = Buffer.allocUnsafe(0)
let used = 0

/**
 * Cryptographically secure random bytes, drawn from a pool the system's generator refills 4 KB at
 * a time (as Node does for randomUUID): one call to it for many tokens and IVs, since on some
 * machines each call costs as much as the encryption it feeds. Every byte is handed out once.
 */
export function secureRandomBytes(size: number): Buffer {
  if (size > POOL_BYTES / 4) return randomFillSync(Buffer.allocUnsafe(size))
  if (used + size > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES))
    used = 0
  }
  const out = Buffer.allocUnsafe(size)
  pool.copy(out, 0, used, used + size)
  // Spent bytes are wiped, so a later look at the pool cannot see what was handed out.
  pool.fill(0, used, used + size)
  used += size
  return out
}

let lastMs = -Infinity
let sequence = 0

/**
 * A row id ordered by creation time (UUIDv7, RFC 9562: 48 bits of milliseconds, then a counter
 * that starts at a random value each millisecond, then random bits), for the tables that grow
 * with every sign: their key indexes grow at one end instead of everywhere. Ids made in the same
 * millisecond still sort in the order they were made.
 */
export function timeOrderedId(): string {
  const random = secureRandomBytes(16)
  const now = Date.now()
  if (now > lastMs) {
    lastMs = now
    sequence = random.readUInt32BE(6) >>> 1
  } else {
    sequence = (sequence + 1) | 0
    // The counter ran out within one millisecond: borrow the next one, as the RFC allows.
    if (sequence === 0) lastMs++
  }
  return uuidv7({ random, msecs: lastMs, seq: sequence })
}
