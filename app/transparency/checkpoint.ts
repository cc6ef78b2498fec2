import { HASH_SIZE } from './merkle'
import { decodeBase64Strict, NoteError } from './note'

/**
 * C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the origin, the tree size in decimal and
 * the root hash in base64, one per line. This log writes no extension lines, and its parser
 * refuses any, so a checkpoint has one spelling.
 */

export interface Checkpoint {
  origin: string
  size: number
  root: Buffer
}

export function formatCheckpoint(c: Checkpoint): string {
  return `${c.origin}\n${c.size}\n${c.root.toString('base64')}\n`
}

export function parseCheckpoint(text: string): Checkpoint {
  const lines = text.split('\n')
  if (lines.length !== 4 || lines[3] !== '') throw new NoteError('a checkpoint is three lines: origin, size, root (this log writes no extension line)')
  const [origin, sizeText, rootText] = lines
  if (!origin || /\s/.test(origin.replace(/ /g, '')) || origin.trim() !== origin) throw new NoteError('the checkpoint’s origin is not valid')
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) throw new NoteError('the checkpoint’s tree size is not a decimal integer')
  const size = Number(sizeText)
  if (!Number.isSafeInteger(size)) throw new NoteError('the checkpoint’s tree size is too large')
  const root = decodeBase64Strict(rootText, 'the checkpoint’s root hash')
  if (root.length !== HASH_SIZE) throw new NoteError('the checkpoint’s root hash is not 32 bytes')
  return { origin, size, root }
}
