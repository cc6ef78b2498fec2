import type { PDFDocument } from 'pdf-lib'

/**
 * Joins the parts of a letter drawn one by one into one PDF (docs/decisions/071-letters-at-any-size.md)
 * and lays the running footer over its pages once their number is known. pdf-lib copies each
 * part's pages with their resources, still compressed, and lets the part go.
 */

type PdfLib = typeof import('pdf-lib')
let pdfLib: PdfLib | null = null
const loadPdfLib = async () => (pdfLib ??= await import('pdf-lib'))

export interface PdfMetadata {
  title: string
  author: string
  subject: string
  keywords: string[]
  creator: string
  producer: string
  /** BCP 47 language of the document (/Lang) */
  language: string
  /** creation and modification date, fixed so the bytes depend on the input only */
  date: Date
}

export class PdfJoiner {
  private constructor(
    private readonly lib: PdfLib,
    private readonly out: PDFDocument,
  ) {}

  static async create(): Promise<PdfJoiner> {
    const lib = await loadPdfLib()
    return new PdfJoiner(lib, await lib.PDFDocument.create({ updateMetadata: false }))
  }

  get pageCount() {
    return this.out.getPageCount()
  }

  /** Adds every page of a PDF after those already there. */
  async append(bytes: Uint8Array) {
    const part = await this.lib.PDFDocument.load(bytes, { updateMetadata: false })
    const pages = await this.out.copyPages(part, part.getPageIndices())
    for (const page of pages) this.out.addPage(page)
  }

  /** Draws page i of `bytes` over page i of the document, at the same origin and size. */
  async overlay(bytes: Uint8Array) {
    const pages = this.out.getPages()
    const layer = await this.lib.PDFDocument.load(bytes, { updateMetadata: false })
    if (layer.getPageCount() !== pages.length) throw new Error(`overlay has ${layer.getPageCount()} pages for ${pages.length}`)
    const embedded = await this.out.embedPdf(layer, layer.getPageIndices())
    pages.forEach((page, i) => page.drawPage(embedded[i], { x: 0, y: 0 }))
  }

  async save(meta: PdfMetadata): Promise<Buffer> {
    const out = this.out
    out.setTitle(meta.title, { showInWindowTitleBar: true })
    out.setAuthor(meta.author)
    out.setSubject(meta.subject)
    out.setKeywords(meta.keywords)
    out.setCreator(meta.creator)
    out.setProducer(meta.producer)
    out.setLanguage(meta.language)
    out.setCreationDate(meta.date)
    out.setModificationDate(meta.date)
    // Without object streams, the catalogue (/Lang) and info stay readable to the simplest tools.
    return Buffer.from(await out.save({ useObjectStreams: false }))
  }
}
