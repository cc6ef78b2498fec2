import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { renderLetterPdf, type PdfInput } from './pdf.server'

/**
 * Letters are drawn on a worker thread of their own (#10, ADR 138): react-pdf lays out and writes a
 * part of a letter synchronously, and on the serving thread a letter with a long annex, or the 195
 * letters of a job, held up every reader of the public site for seconds at a time. The worker is
 * started with the first letter, draws the letters sent to it (a job sends one at a time), and is kept
 * (idle, not holding the process open) for the next; a worker that dies fails the letters it held, and the
 * next letter starts a new one.
 *
 * The worker is the bundle next to the server's (build/pdf-worker.js). Run from the sources (unit
 * tests, which have no bundle) letters are drawn in the calling thread, by the same function.
 */
const WORKER_FILE = fileURLToPath(new URL('./pdf-worker.js', import.meta.url))

type Pending = { resolve: (pdf: Buffer) => void; reject: (error: Error) => void }
let worker: Worker | null = null
let nextId = 0
const pending = new Map<number, Pending>()

function failAll(error: Error) {
  for (const p of pending.values()) p.reject(error)
  pending.clear()
}

function startWorker(): Worker {
  const w = new Worker(WORKER_FILE)
  w.on('message', (message: { id: number; pdf?: Uint8Array; error?: string }) => {
    const p = pending.get(message.id)
    if (!p) return
    pending.delete(message.id)
    if (message.error !== undefined || !message.pdf) p.reject(new Error(message.error ?? 'the PDF worker answered nothing'))
    else p.resolve(Buffer.from(message.pdf.buffer, message.pdf.byteOffset, message.pdf.byteLength))
    if (pending.size === 0) w.unref()
  })
  w.on('error', (error) => {
    if (worker === w) worker = null
    failAll(error)
  })
  w.on('exit', (code) => {
    if (worker === w) worker = null
    failAll(new Error(`the PDF worker stopped (exit code ${code})`))
  })
  w.unref()
  return w
}

/** Whether letters are drawn off the serving thread here (the built server) or in it (the sources): looked up once. */
let offThread: boolean | null = null
const drawsOffThread = () => (offThread ??= existsSync(WORKER_FILE))

/** The letter's PDF, drawn on the PDF worker when there is one. */
export function drawLetterPdf(input: PdfInput): Promise<Buffer> {
  if (!drawsOffThread()) return renderLetterPdf(input)
  worker ??= startWorker()
  const w = worker
  const id = nextId++
  return new Promise<Buffer>((resolve, reject) => {
    pending.set(id, { resolve, reject })
    // Held while it works: a server stopping waits for none of this, but a CLI run does not exit mid-letter.
    w.ref()
    w.postMessage({ id, input })
  })
}
