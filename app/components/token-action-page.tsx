import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useI18n } from '~/i18n/react'
import type { MessageKey } from '~/i18n/types'

type TokenPageState = 'valid' | 'done' | 'expired' | 'used' | 'invalid'

/**
 * The page behind a withdraw or unsubscribe link: GET shows a button, POST acts, so a mail scanner
 * following the link changes nothing.
 */
export function TokenActionPage({
  keys,
}: {
  keys: { title: MessageKey; body: MessageKey; submit: MessageKey; doneTitle: MessageKey; doneBody: MessageKey; usedTitle: MessageKey; usedBody: MessageKey }
}) {
  const { locale, t } = useI18n()
  const loaded = useLoaderData<{ state: TokenPageState }>()
  const acted = useActionData<{ state: TokenPageState }>()
  const state = acted?.state ?? loaded.state
  if (state === 'done') {
    return (
      <div className="panel" role="status">
        <h1>{t(keys.doneTitle)}</h1>
        <p>{t(keys.doneBody)}</p>
        <p>
          <Link to={`/?lang=${locale}`}>{t('nav.campaigns')}</Link>
        </p>
      </div>
    )
  }
  // A spent link did what it was for: say so in its own words, not "the signature may be deleted".
  if (state === 'used') {
    return (
      <div className="panel" role="status">
        <h1>{t(keys.usedTitle)}</h1>
        <p>{t(keys.usedBody)}</p>
        <p>
          <Link to={`/?lang=${locale}`}>{t('nav.campaigns')}</Link>
        </p>
      </div>
    )
  }
  if (state !== 'valid') {
    return (
      <div className="panel">
        <h1>{t(state === 'expired' ? 'link.expiredTitle' : 'link.invalidTitle')}</h1>
        <p>{t('link.invalidBody')}</p>
      </div>
    )
  }
  return (
    <div className="panel">
      <h1>{t(keys.title)}</h1>
      <p>{t(keys.body)}</p>
      <Form method="post">
        <button type="submit">{t(keys.submit)}</button>
      </Form>
    </div>
  )
}

