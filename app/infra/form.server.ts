import { parseWithZod } from '@conform-to/zod/v4'
import { json } from '@remix-run/node'
import { z } from 'zod'

/**
 * The posted form, or, when the body cannot be read as one (broken multipart, a missing boundary),
 * the 400 answer to return: the form shown again with "The form could not be read". Every public
 * action reads its form through this, so a malformed body is a refusal, never a 500.
 */
export async function readForm(request: Request): Promise<{ form: FormData; refusal: null } | { form: null; refusal: Response }> {
  try {
    return { form: await request.formData(), refusal: null }
  } catch {
    const reply = parseWithZod(new FormData(), { schema: z.object({}) }).reply({ formErrors: ['error.form.invalid'] })
    return { form: null, refusal: json(reply, { status: 400 }) }
  }
}
