import type { Request, Response } from 'express'
import { localeDir, localeFromRequestParts, translator, type MessageKey } from '../app/i18n/i18n.server'
import type { Locale } from '../app/i18n/locales'

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/**
 * A short page for refusals made before Remix sees the request (rate limits, oversized bodies), in
 * the reader's language; Remix data requests get JSON instead.
 */
export function sendStatusPage(req: Request, res: Response, status: number, title: MessageKey, body: MessageKey) {
  const locale = localeFromRequestParts(req.originalUrl, req.headers.cookie ?? null, req.headers['accept-language'] ?? null)
  const t = translator(locale)
  // The request body, if any, is left unread: close the connection rather than parse what follows.
  if (req.method !== 'GET' && req.method !== 'HEAD') res.setHeader('Connection', 'close')
  if (req.query._data !== undefined || req.accepts(['html', 'json']) === 'json') {
    res.status(status).json({ error: t(body) })
    return
  }
  res.status(status).type('html').send(statusPageHtml(locale, title, body, String(res.locals.cspNonce ?? '')))
}

/** The page itself: a title, a sentence and the way home, in `locale`, styled under `nonce`. */
export function statusPageHtml(locale: Locale, title: MessageKey, body: MessageKey, nonce: string): string {
  const t = translator(locale)
  return (
    `<!doctype html><html lang="${locale}" dir="${localeDir(locale)}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(t(title))}</title>` +
    `<style nonce="${nonce}">body{font-family:system-ui,Tahoma,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.6;color:#1a1a1a}a{color:#1d4e89}</style>` +
    `</head><body><main><h1>${escape(t(title))}</h1><p>${escape(t(body))}</p><p><a href="/?lang=${locale}">${escape(t('nav.campaigns'))}</a></p></main></body></html>`
  )
}
