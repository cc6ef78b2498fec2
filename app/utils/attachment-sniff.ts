/**
 * Whether a document's first bytes are those of the type it claims: a reply's type is chosen by
 * whoever uploads it, and a file is served back only as what it really is.
 */
export function contentMatchesType(bytes: Uint8Array, type: string): boolean {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b)
  switch (type) {
    case 'application/pdf':
      return starts(0x25, 0x50, 0x44, 0x46, 0x2d) // %PDF-
    case 'image/png':
      return starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)
    case 'image/jpeg':
      return starts(0xff, 0xd8, 0xff)
    case 'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
    case 'application/vnd.oasis.opendocument.text':
      return starts(0x50, 0x4b, 0x03, 0x04) // a zip container
    case 'application/msword':
      return starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1) // OLE compound file
    case 'text/plain': {
      if (bytes.includes(0)) return false
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes)
        return true
      } catch {
        return false
      }
    }
    default:
      return false
  }
}

/** A download name that says what the file is: the uploader's name, tamed, with the type's extension. */
export function safeDownloadName(name: string, ext: string): string {
  const base = name
    .replace(/\.[^.]*$/, '')
    .replace(/[^\p{L}\p{N} _-]/gu, '_')
    .replace(/^[_ .-]+/, '')
    .slice(0, 80)
  return `${base || 'reply'}.${ext}`
}
