import { z } from 'zod'

/** One line of text: no control characters (a letterhead line must not carry a newline or a tab). */
const line = (label: string, max: number) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} must be at most ${max} characters`)
    // eslint-disable-next-line no-control-regex -- control characters are what this refuses
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), `${label} must be on one line`)

/** The sending organisation of a campaign's letters and the no-signer choice (docs/decisions/076). */
export const LetterSettingsSchema = z.object({
  senderName: line('The organisation’s name', 200),
  senderAddress: z
    .string({ error: 'The postal address is required' })
    .trim()
    .min(1, 'The postal address is required')
    .max(500, 'The postal address must be at most 500 characters')
    .transform((v) =>
      v
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean),
    )
    // eslint-disable-next-line no-control-regex -- control characters are what this refuses
    .pipe(z.array(z.string().refine((l) => !/[\u0000-\u001f\u007f]/.test(l), 'The postal address must be plain text')).max(8, 'The postal address must fit on 8 lines'))
    .transform((lines) => lines.join('\n')),
  senderEmail: z.email('The contact email must be a valid email address').max(254),
  signerName: line('The name of the person who signs', 200),
  signerTitle: line('The title of the person who signs', 200),
  writeWithoutSigners: z.preprocess((v) => v === 'on' || v === '1' || v === 'true', z.boolean()),
})
export type LetterSettingsInput = z.infer<typeof LetterSettingsSchema>
