import MarkdownIt from 'markdown-it'

// Raw HTML is off and markdown-it refuses javascript:, vbscript: and data: links by default, so the
// output is safe to insert: campaign copy can format text but never inject markup.
const md = new MarkdownIt({ html: false, linkify: false, typographer: false })

/**
 * Ordered-list markers typed in Persian (۱.) or Arabic-Indic (١.) digits are read as the digits they
 * are: CommonMark takes only ASCII digits, and a Persian list of demands collapsed into one paragraph.
 * Only a marker at the start of a line, outside fenced code, is rewritten; how lists are numbered on
 * the page is the stylesheet's (Persian or Arabic-Indic numbering in fa and ar pages, ADR 102).
 */
const MARKER = /^((?:[ \t]*>)*[ \t]*)([\u06F0-\u06F9\u0660-\u0669]{1,9})([.)])(?=[ \t]|$)/
const FENCE = /^(?:[ \t]*>)*[ \t]*(`{3,}|~{3,})/
const asciiDigits = (digits: string) => digits.replace(/[\u06F0-\u06F9\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) & 0xf))
export function normaliseListMarkers(source: string): string {
  let fence: string | null = null
  return source
    .split('\n')
    .map((line) => {
      const open = FENCE.exec(line)?.[1]
      if (fence) {
        if (open && open[0] === fence[0] && open.length >= fence.length) fence = null
        return line
      }
      if (open) {
        fence = open
        return line
      }
      return line.replace(MARKER, (_all, lead: string, digits: string, delimiter: string) => `${lead}${asciiDigits(digits)}${delimiter}`)
    })
    .join('\n')
}
md.core.ruler.after('normalize', 'list-marker-digits', (state) => {
  state.src = normaliseListMarkers(state.src)
})

const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options))
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const href = tokens[idx].attrGet('href') ?? ''
  if (/^https?:\/\//i.test(href)) {
    tokens[idx].attrSet('rel', 'noopener noreferrer')
  }
  return defaultLinkOpen(tokens, idx, options, env, self)
}

// Images in campaign copy load only when scrolled near, and never hold up the first paint.
const defaultImage = md.renderer.rules.image!
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  // In an email an image would be fetched when opened, telling whoever serves it the reader's IP and
  // the moment they read: emails carry the image's description instead, never an image (issue 13).
  if ((env as RenderEnv | undefined)?.email) {
    const alt = self.renderInlineAsText(tokens[idx].children ?? [], options, env)
    return alt ? `[${md.utils.escapeHtml(alt)}]` : ''
  }
  tokens[idx].attrSet('loading', 'lazy')
  tokens[idx].attrSet('decoding', 'async')
  return defaultImage(tokens, idx, options, env, self)
}

interface RenderEnv {
  email?: boolean
}

export function renderMarkdown(source: string): string {
  return md.render(source)
}

/** The same, for an email: no image of any origin, only its description (see the image rule). */
export function renderMarkdownForEmail(source: string): string {
  return md.render(source, { email: true } satisfies RenderEnv)
}
