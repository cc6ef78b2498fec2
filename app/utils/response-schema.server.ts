import { isFile } from './response-rules'

export { ResponseSchema } from './response-rules'

export async function toAttachment(value: unknown) {
  if (!isFile(value) || value.size === 0) return null
  return { name: value.name.slice(0, 200), type: value.type, bytes: Buffer.from(await value.arrayBuffer()) }
}
