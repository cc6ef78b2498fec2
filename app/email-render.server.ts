import { plainTextSelectors, render } from '@react-email/render'
import { compile } from 'html-to-text'
import { randomBytes } from 'node:crypto'
import { createElement } from 'react'
import { templates, type TemplateName } from '../emails'

/**
 * The same text as react-email's render(..., { plainText: true }) and its toPlainText, without
 * rendering the tree a second time, and with html-to-text's options compiled once rather than for
 * every message (that compilation was a third of an email's rendering time).
 */
const toPlainText = compile({ wordwrap: false, selectors: plainTextSelectors })

interface Entry {
  component: (p: unknown) => unknown
  subject: (p: unknown) => string
  variables?: readonly string[]
}

/** What React's server renderer writes for these characters, in text and in attributes alike. */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' }
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ESCAPES[c])

/** A placeholder no prop can contain: letters and digits only, so neither React nor html-to-text changes it. */
const NONCE = randomBytes(6).toString('hex')
const slot = (i: number) => `zq${NONCE}v${i}qz`
const SLOTS = new RegExp(`zq${NONCE}v(\\d+)qz`, 'g')

interface Compiled {
  names: string[]
  html: string
  text: string
}

/** Compiled forms by template and shape; null where substitution did not reproduce a real render. */
const cache = new Map<string, Compiled | null>()
const CACHE_LIMIT = 2_000

async function fullRender(entry: Entry, props: unknown) {
  const html = await render(createElement(entry.component as never, props as never))
  return { html, text: toPlainText(html) }
}

function fill(compiled: Compiled, props: Record<string, unknown>) {
  const values = compiled.names.map((n) => String(props[n]))
  return {
    html: compiled.html.replace(SLOTS, (_, i) => escapeHtml(values[Number(i)])),
    text: compiled.text.replace(SLOTS, (_, i) => values[Number(i)]),
  }
}

/**
 * Renders a message from a template compiled once per language and shape (ADR 097): the template is
 * rendered with placeholders for the props that differ per recipient (its `variables`: names, links),
 * and each message is that HTML and text with its values, escaped as React escapes them, put in. Every
 * other prop (language, campaign title, the news text, which optional parts are present) is part of
 * the cache key. The first message of each key is also rendered for real and compared: a template
 * whose output substitution does not reproduce is rendered in full for that key from then on.
 */
export async function renderTemplate(template: string, props: unknown): Promise<{ subject: string; html: string; text: string }> {
  const entry = templates[template as TemplateName] as Entry | undefined
  if (!entry) throw new Error(`Unknown email template ${template}`)
  const subject = entry.subject(props)
  const record = (props ?? {}) as Record<string, unknown>
  const names = (entry.variables ?? []).filter((n) => typeof record[n] === 'string' && record[n] !== '')
  if (names.length === 0) return { subject, ...(await fullRender(entry, props)) }
  const shape: Record<string, unknown> = { ...record }
  for (const n of names) shape[n] = slot(names.indexOf(n))
  const key = `${template}\u0000${JSON.stringify(shape)}`
  let compiled = cache.get(key)
  if (compiled === undefined) {
    const withSlots = await fullRender(entry, shape)
    const candidate: Compiled = { names, ...withSlots }
    const real = await fullRender(entry, props)
    const filled = fill(candidate, record)
    compiled = filled.html === real.html && filled.text === real.text ? candidate : null
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!)
    cache.set(key, compiled)
    return { subject, ...real }
  }
  if (compiled === null) return { subject, ...(await fullRender(entry, props)) }
  return { subject, ...fill(compiled, record) }
}

/** For tests and the benchmark: how many shapes are compiled, and how many could not be. */
export function compiledTemplates() {
  let compiled = 0
  let refused = 0
  for (const v of cache.values()) {
    if (v) compiled++
    else refused++
  }
  return { compiled, refused }
}
