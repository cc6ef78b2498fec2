import MarkdownIt from 'markdown-it'

// Raw HTML is off and markdown-it refuses javascript:, vbscript: and data: links by default, so the
// output is safe to insert: campaign copy can format text but never inject markup.
const md = new MarkdownIt({ html: false, linkify: false, typographer: false })

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
