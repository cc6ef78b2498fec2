import { existsSync } from 'node:fs'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { afterAll, describe, expect, it } from 'vitest'
import { FIRST_CAMPAIGN_LETTER_COPY } from '../../app/letters/first-campaign-copy'
import { renderLetterPdf, type PdfInput } from '../../app/letters/pdf.server'
import { letterText } from '../../app/letters/text'
import { unState } from '../../app/utils/countries'

// The built server draws letters on this worker (ADR 138); the letters suites drive it through the
// server. Here: the bundle itself answers the protocol app/letters/pdf-thread.server.ts speaks, with the
// bytes the same function makes in the calling thread, and while it draws the calling thread runs on.
const WORKER = path.resolve('build/pdf-worker.js')
const QR = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=='
const names = Array.from({ length: 3_000 }, (_, i) => `Signer Number ${i}`)
const input: PdfInput = {
  doc: {
    title: 'Truth and justice',
    letters: [
      letterText('en', FIRST_CAMPAIGN_LETTER_COPY.en, {
        state: unState('NO')!,
        headTitle: 'representative',
        city: 'new-york',
        countryCount: names.length,
        totalCount: 10_000,
        countryTotal: 40,
        date: Date.UTC(2026, 11, 3),
        reference: 'TEST/NOR/2026/1',
        code: 'ABCD-EFGH-JKMN',
        verifyUrl: 'https://petition.example/verify/ABCD-EFGH-JKMN',
        names,
        sender: { name: 'Justice Watch', address: ['12 Example Street'], email: 'letters@justice.example', signerName: 'M. Example', signerTitle: 'Director' },
      }),
    ],
  },
  code: 'ABCD-EFGH-JKMN',
  verifyUrl: 'https://petition.example/verify/ABCD-EFGH-JKMN',
  qrPng: QR,
  author: 'Justice Watch',
  createdAt: new Date(Date.UTC(2026, 11, 3)),
}

let worker: Worker | null = null
afterAll(async () => {
  await worker?.terminate()
})

describe('the PDF worker bundle', () => {
  it('draws a letter of 3,000 names off the calling thread, the same bytes as in it', async () => {
    expect(existsSync(WORKER), 'npm run build makes build/pdf-worker.js').toBe(true)
    worker = new Worker(WORKER)
    const w = worker
    let turns = 0
    const ticking = setInterval(() => turns++, 5)
    const off = await new Promise<{ id: number; pdf?: Uint8Array; error?: string }>((resolve) => {
      w.once('message', resolve)
      w.postMessage({ id: 7, input })
    })
    clearInterval(ticking)
    expect(off.error).toBeUndefined()
    expect(off.id).toBe(7)
    // Drawing 3,000 names takes seconds; a thread blocked meanwhile would have counted a handful of turns.
    expect(turns).toBeGreaterThan(50)
    const inThread = await renderLetterPdf(input)
    expect(Buffer.from(off.pdf!).equals(inThread)).toBe(true)
    // A failure comes back as a message, not as a dead worker.
    const failed = await new Promise<{ id: number; error?: string }>((resolve) => {
      w.once('message', resolve)
      w.postMessage({ id: 8, input: { ...input, doc: { title: 'x', letters: [] } } })
    })
    expect(failed).toMatchObject({ id: 8, error: expect.any(String) })
  }, 60_000)
})
