// The PDF worker's entry (bundled by scripts/build-server.mjs as build/pdf-worker.js): draws the
// letters app/letters/pdf-thread.server.ts sends it, one at a time, off the serving thread.
import { parentPort } from 'node:worker_threads'
import { renderLetterPdf, type PdfInput } from './pdf.server'

parentPort!.on('message', (message: { id: number; input: PdfInput }) => {
  renderLetterPdf(message.input).then(
    (pdf) => parentPort!.postMessage({ id: message.id, pdf }),
    (error: Error) => parentPort!.postMessage({ id: message.id, error: error.message }),
  )
})
