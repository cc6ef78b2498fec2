import { z } from 'zod'

/** Long passphrases over complexity rules (NIST SP 800-63B): at least 12 characters, at most 256. */
export const NewPasswordSchema = z
  .object({
    password: z
      .string({ error: 'Choose a password.' })
      .min(12, 'Use at least 12 characters; a few unrelated words work well.')
      .max(256, 'Use at most 256 characters.'),
    confirm: z.string({ error: 'Type the password again.' }),
  })
  .refine((v) => v.password === v.confirm, { message: 'The two passwords differ.', path: ['confirm'] })
