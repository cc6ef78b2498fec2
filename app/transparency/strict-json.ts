/**
 * A strict JSON reader for the artefacts verifiers are handed (ADR 083): it refuses duplicate
 * keys, numbers that are not integers (`9.0`, `1e3`), and anything JSON.parse would forgive.
 */
export class StrictJsonError extends Error {}

export function parseStrictJson(text: string): unknown {
  let i = 0
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++
  }
  const fail = (what: string): never => {
    throw new StrictJsonError(`${what} at character ${i}`)
  }
  const value = (depth: number): unknown => {
    if (depth > 32) fail('too deeply nested')
    ws()
    const ch = text[i]
    if (ch === '{') {
      i++
      const out: Record<string, unknown> = Object.create(null)
      ws()
      if (text[i] === '}') {
        i++
        return out
      }
      for (;;) {
        ws()
        if (text[i] !== '"') fail('expected a key')
        const key = string()
        if (Object.prototype.hasOwnProperty.call(out, key)) fail(`duplicate key "${key}"`)
        ws()
        if (text[i++] !== ':') fail('expected ":"')
        out[key] = value(depth + 1)
        ws()
        if (text[i] === ',') {
          i++
          continue
        }
        if (text[i] === '}') {
          i++
          return { ...out }
        }
        fail('expected "," or "}"')
      }
    }
    if (ch === '[') {
      i++
      const out: unknown[] = []
      ws()
      if (text[i] === ']') {
        i++
        return out
      }
      for (;;) {
        out.push(value(depth + 1))
        ws()
        if (text[i] === ',') {
          i++
          continue
        }
        if (text[i] === ']') {
          i++
          return out
        }
        fail('expected "," or "]"')
      }
    }
    if (ch === '"') return string()
    const m = /^(?:-?(?:0|[1-9][0-9]*)(?![0-9.eE])|true|false|null)/.exec(text.slice(i, i + 40))
    if (!m) fail(/^-?[0-9]/.test(text.slice(i, i + 2)) ? 'a number that is not an integer' : 'unexpected character')
    i += m![0].length
    if (m![0] === 'true') return true
    if (m![0] === 'false') return false
    if (m![0] === 'null') return null
    const n = Number(m![0])
    if (!Number.isSafeInteger(n)) fail('an integer too large')
    return n
  }
  const string = (): string => {
    // eslint-disable-next-line no-control-regex -- control characters are what this refuses
    const m = /^"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/.exec(text.slice(i))
    if (!m) fail('a malformed string')
    i += m![0].length
    return JSON.parse(m![0]) as string
  }
  const v = value(0)
  ws()
  if (i !== text.length) fail('trailing characters')
  return v
}

type Shape = 'string' | 'integer' | 'boolean' | 'string[]' | '[integer, string][]' | { nullable: Shape } | { object: Record<string, Shape>; optional?: string[] }

/** Checks `value` has exactly the fields of `shape`, of the right types; returns problems found. */
export function checkShape(value: unknown, shape: Shape, path = '$'): string[] {
  if (typeof shape === 'object' && 'nullable' in shape) return value === null ? [] : checkShape(value, shape.nullable, path)
  if (shape === 'string') return typeof value === 'string' ? [] : [`${path} is not a string`]
  if (shape === 'integer') return Number.isSafeInteger(value) ? [] : [`${path} is not an integer`]
  if (shape === 'boolean') return typeof value === 'boolean' ? [] : [`${path} is not true or false`]
  if (shape === 'string[]') return Array.isArray(value) && value.every((v) => typeof v === 'string') ? [] : [`${path} is not a list of strings`]
  if (shape === '[integer, string][]')
    return Array.isArray(value) && value.every((v) => Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === 'string') ? [] : [`${path} is not a list of [integer, string] pairs`]
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [`${path} is not an object`]
  const problems: string[] = []
  const obj = value as Record<string, unknown>
  for (const k of Object.keys(obj)) if (!(k in shape.object)) problems.push(`${path}.${k} is not a known field`)
  for (const [k, s] of Object.entries(shape.object)) {
    if (!(k in obj)) {
      if (!shape.optional?.includes(k)) problems.push(`${path}.${k} is missing`)
      continue
    }
    problems.push(...checkShape(obj[k], s, `${path}.${k}`))
  }
  return problems
}
