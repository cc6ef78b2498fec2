import { z } from 'zod'
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, MAX_RESPONSE_CHARS } from '~/models/response.server'

const isFile = (v: unknown): v is File => typeof File !== 'undefined' && v instanceof File

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

export async function toAttachment(value: unknown) {
  if (!isFile(value) || value.size === 0) return null
  return { name: value.name.slice(0, 200), type: value.type, bytes: Buffer.from(await value.arrayBuffer()) }
}
