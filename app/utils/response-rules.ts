import { z } from 'zod'

// Shared by the reply forms in the browser (limits, inline checks) and the server.
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
export const MAX_RESPONSE_CHARS = 20_000
/** Documents a mission may attach; anything else is refused rather than served back. */
export const ATTACHMENT_TYPES: Record<string, string> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/msword': 'doc',
  'application/vnd.oasis.opendocument.text': 'odt',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'text/plain': 'txt',
}

export const isFile = (v: unknown): v is File => typeof File !== 'undefined' && v instanceof File

/** A reply: text, and optionally one document of an accepted type and size. */
export const ResponseSchema = z.object({
  body: z.string({ error: 'Please write your reply.' }).trim().min(1, 'Please write your reply.').max(MAX_RESPONSE_CHARS),
  document: z
    .unknown()
    .optional()
    .refine((v) => !isFile(v) || v.size === 0 || v.size <= MAX_ATTACHMENT_BYTES, 'The document is too large.')
    .refine((v) => !isFile(v) || v.size === 0 || v.type in ATTACHMENT_TYPES, 'Please attach a PDF, Word, OpenDocument, PNG, JPEG or text file.'),
  publish: z.string().optional(),
  receivedOn: z.string().optional(),
  country: z.string().optional(),
})

