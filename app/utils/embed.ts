/**
 * The embeddable sign form (ADR 132): which sites may frame it, the script that sizes its frame, and
 * the snippet organisers give to a partner. No server-only code: the frame script ships in the page.
 */
import { isLoopbackHost } from './loopback'

/** At most this many sites may frame one campaign's form. */
export const EMBED_ORIGINS_MAX = 20
/** The message the frame posts to the page around it; the snippet listens for nothing else. */
export const EMBED_HEIGHT_MESSAGE = 'petition-embed:height'
/** The snippet's greeting, so the frame learns the parent's origin from the browser, after every navigation in it. */
export const EMBED_HELLO_MESSAGE = 'petition-embed:hello'
/** The frame's height before its script (if any) has measured it: the form with an error summary fits on a phone. */
export const EMBED_DEFAULT_HEIGHT = 900
/** What the iframe may do (ADR 132): forms, our own script, our own origin (so posts carry our Origin), new tabs for links. */
export const EMBED_SANDBOX = 'allow-forms allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox'

export type OriginProblem = 'not-an-origin' | 'not-https' | 'loopback' | 'has-path' | 'too-many'

/**
 * One origin as a browser writes it in `frame-ancestors` and `event.origin` ("https://example.org",
 * lower case, no default port), or why it is refused: https only; no path, query, fragment, user or
 * wildcard. `loopback` (loopbackAllowed: outside production only) lets in http on this machine's own names, for a
 * partner trying the snippet out; in production a loopback origin is refused whatever its scheme,
 * since it is any program on the signer's own computer, not a partner's site.
 */
export function normaliseOrigin(input: string, loopback = false): { origin: string } | { problem: OriginProblem } {
  const text = input.trim()
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return { problem: 'not-an-origin' }
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: 'not-an-origin' }
  if (url.username || url.password || !url.hostname || url.hostname.includes('*') || /[\s*'";,]/.test(text)) return { problem: 'not-an-origin' }
  const local = isLoopbackHost(url.hostname)
  if (local && !loopback) return { problem: 'loopback' }
  if (url.protocol === 'http:' && !local) return { problem: 'not-https' }
  // "https://example.org/" is the origin as many people copy it; any other path, query or fragment is a page, not a site.
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || /[?#]/.test(text)) return { problem: 'has-path' }
  return { origin: url.origin }
}

export interface OriginsResult {
  origins: string[]
  /** Each refused line with its reason, in the order given. */
  problems: { input: string; problem: OriginProblem }[]
}

/** The organisers' list (one per line, or separated by spaces or commas), normalised, without duplicates. */
export function parseOriginList(text: string, loopback = false): OriginsResult {
  const origins: string[] = []
  const problems: OriginsResult['problems'] = []
  for (const input of text.split(/[\s,]+/).filter(Boolean)) {
    const one = normaliseOrigin(input, loopback)
    if ('problem' in one) problems.push({ input: input.slice(0, 200), problem: one.problem })
    else if (!origins.includes(one.origin)) origins.push(one.origin)
  }
  if (origins.length > EMBED_ORIGINS_MAX) problems.push({ input: String(origins.length), problem: 'too-many' })
  return { origins, problems }
}

/**
 * The stored JSON array, each entry checked again: whatever is in the column, only well-formed origins
 * reach a header (and in production no loopback one, saved while trying the form out elsewhere).
 */
export function storedOrigins(json: string | null | undefined, loopback = false): string[] {
  if (!json) return []
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    return []
  }
  if (!Array.isArray(value)) return []
  const out: string[] = []
  for (const v of value.slice(0, EMBED_ORIGINS_MAX)) {
    if (typeof v !== 'string') continue
    const one = normaliseOrigin(v, loopback)
    if ('origin' in one && one.origin === v && !out.includes(v)) out.push(v)
  }
  return out
}

/** The `frame-ancestors` sources for a campaign: its listed origins, or 'none'. */
export const frameAncestors = (origins: string[]) => (origins.length ? origins.join(' ') : "'none'")

/**
 * Runs in the frame (inline, under the page's nonce), before Remix's scripts. A browser that blocks a
 * third-party frame's storage throws on any use of sessionStorage, and Remix's route discovery uses it
 * (it would break every client navigation in the frame): a memory-only stand-in takes its place there,
 * so nothing is stored on the reader's device either. Then it posts the page's height to the parent only
 * when the parent's origin is one of the campaign's, learned from the browser (the ancestor list, the
 * first load's referrer, or the origin of the snippet's greeting), never from anything the page says.
 */
export const FRAME_SCRIPT = `(function(){
try{window.sessionStorage}catch(e){var m={};Object.defineProperty(window,'sessionStorage',{configurable:true,value:{getItem:function(k){return Object.prototype.hasOwnProperty.call(m,k)?m[k]:null},setItem:function(k,v){m[k]=String(v)},removeItem:function(k){delete m[k]},clear:function(){m={}},key:function(i){return Object.keys(m)[i]||null},get length(){return Object.keys(m).length}}})}
var el=document.getElementById('embed');if(!el||window.parent===window)return;
var allowed=JSON.parse(el.getAttribute('data-origins')||'[]'),target=null,last=0;
function ok(o){return allowed.indexOf(o)>=0}
function post(){if(!target)return;var h=Math.ceil(document.documentElement.getBoundingClientRect().height);if(h===last)return;last=h;window.parent.postMessage({type:'${EMBED_HEIGHT_MESSAGE}',height:h},target)}
var a=location.ancestorOrigins;
if(a&&a.length){if(ok(a[0]))target=a[0]}else{try{var r=new URL(document.referrer).origin;if(ok(r))target=r}catch(e){}}
window.addEventListener('message',function(e){if(e.source!==window.parent||!ok(e.origin)||!e.data||e.data.type!=='${EMBED_HELLO_MESSAGE}')return;target=e.origin;last=0;post()});
window.addEventListener('load',post);window.addEventListener('resize',post);
if(window.ResizeObserver)new ResizeObserver(post).observe(document.documentElement);
post()})()`

/** The frame's address: a partner's `via` attributes its signers (ADR 122); `lang` fixes the language, else the reader's browser chooses. */
export function embedUrl(appUrl: string, slug: string, options: { via?: string | null; lang?: string | null } = {}) {
  const params = new URLSearchParams()
  if (options.lang) params.set('lang', options.lang)
  if (options.via) params.set('via', options.via)
  const query = params.toString()
  return `${new URL(appUrl).origin}/embed/campaigns/${slug}${query ? `?${query}` : ''}`
}

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')

/**
 * What a partner pastes: the iframe, and a few lines of script, inline so the partner can read all of
 * it and loads nothing of ours into their page, that resize the frame on our messages only.
 */
export function embedSnippet(appUrl: string, slug: string, title: string, options: { via?: string | null; lang?: string | null } = {}) {
  const origin = new URL(appUrl).origin
  const src = embedUrl(appUrl, slug, options)
  return `<iframe src="${attr(src)}" title="${attr(title)}" loading="lazy" width="100%" height="${EMBED_DEFAULT_HEIGHT}" style="border:0;max-width:40rem" sandbox="${EMBED_SANDBOX}" referrerpolicy="strict-origin"></iframe>
<script>
(function(f,o){f.addEventListener('load',function(){f.contentWindow.postMessage({type:'${EMBED_HELLO_MESSAGE}'},o)});
window.addEventListener('message',function(e){var h=e.data&&e.data.type==='${EMBED_HEIGHT_MESSAGE}'&&Number(e.data.height);
if(e.origin===o&&e.source===f.contentWindow&&h>0&&h<20000)f.height=String(Math.ceil(h))})})(document.currentScript.previousElementSibling,'${origin}')
</script>`
}
