import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useMatches,
} from '@remix-run/react'
import type { ReactNode } from 'react'
import { localeDir, localeFromRequest, messagesFor, ROOT_MESSAGES } from '~/i18n/i18n.server'
import { LOCALE_NAMES, LOCALES } from '~/i18n/locales'
import { useI18n } from '~/i18n/react'
import stylesheet from '~/styles/app.css'
import { useNonce } from '~/infra/nonce'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesheet },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = localeFromRequest(request)
  return json({ locale, dir: localeDir(locale), messages: messagesFor(locale, ROOT_MESSAGES) })
}

/** The title of pages that set none, and of error pages (their own meta never runs). */
export const meta: MetaFunction<typeof loader> = ({ data, error }) => {
  const site = data?.messages['site.name'] ?? 'Petitions'
  if (!error) return [{ title: site }]
  const status = isRouteErrorResponse(error) ? error.status : 500
  const title = data?.messages[status === 404 ? 'notFound.title' : status === 403 ? 'forbidden.title' : 'serverError.title']
  return [{ title: title ? `${title} · ${site}` : site }]
}

export function shouldRevalidate({ currentUrl, nextUrl, defaultShouldRevalidate }: { currentUrl: URL; nextUrl: URL; defaultShouldRevalidate: boolean }) {
  return currentUrl.searchParams.get('lang') !== nextUrl.searchParams.get('lang') || defaultShouldRevalidate
}

function LanguageSwitcher() {
  const { locale, t } = useI18n()
  const location = useLocation()
  return (
    <nav aria-label={t('nav.language')} className="languages">
      <ul>
        {LOCALES.map((l) => {
          const params = new URLSearchParams(location.search)
          params.set('lang', l)
          return (
            <li key={l}>
              <a href={`${location.pathname}?${params}`} lang={l} hrefLang={l} aria-current={l === locale ? 'true' : undefined}>
                {LOCALE_NAMES[l]}
              </a>
            </li>
          )
        })}
      </ul>
    </nav>
  )
}

/** A route whose handle says `{ bare: true }` (the embeddable form, ADR 132) is drawn without the site's header and footer. */
const isBare = (handle: unknown) => (handle as { bare?: boolean } | undefined)?.bare === true

/** The same head for the site's pages and the bare embed. */
function DocumentHead() {
  return (
    <head>
      <meta charSet="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="referrer" content="same-origin" />
      <Meta />
      <Links />
    </head>
  )
}

export function Layout({ children }: { children: ReactNode }) {
  const { locale, dir, t } = useI18n()
  const nonce = useNonce()
  const bare = useMatches().some((m) => isBare(m.handle))
  if (bare) {
    return (
      <html lang={locale} dir={dir}>
        <DocumentHead />
        <body className="embed">
          {/* Named, as the partner's page around it has a main landmark of its own. */}
          <main id="main" tabIndex={-1} aria-label={t('sign.title')}>
            {children}
          </main>
          <Scripts nonce={nonce} />
        </body>
      </html>
    )
  }
  return (
    <html lang={locale} dir={dir}>
      <DocumentHead />
      <body>
        <a className="skip-link" href="#main">
          {t('nav.skip')}
        </a>
        <header className="site-header">
          <div className="wrap">
            <Link to={`/?lang=${locale}`} className="brand">
              {t('site.name')}
            </Link>
            <nav aria-label={t('site.name')}>
              <ul>
                <li>
                  <Link to={`/?lang=${locale}`}>{t('nav.campaigns')}</Link>
                </li>
                <li>
                  <Link to={`/privacy?lang=${locale}`}>{t('nav.privacy')}</Link>
                </li>
              </ul>
            </nav>
            <LanguageSwitcher />
          </div>
        </header>
        <main id="main" className="wrap" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <div className="wrap">
            <Link to={`/privacy?lang=${locale}`}>{t('footer.privacy')}</Link>
          </div>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  return <Outlet />
}

export { ErrorBoundary } from '~/components/error-page'
