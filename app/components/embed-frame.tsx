import { Link } from '@remix-run/react'
import type { ReactNode } from 'react'
import { useI18n } from '~/i18n/react'
import { useNonce } from '~/infra/nonce'
import { FRAME_SCRIPT } from '~/utils/embed'

/**
 * The embeddable form's page around its content (ADR 132): the links out open a new tab (the frame
 * may not navigate the partner's page), and the inline script, under the page's nonce, sizes the frame.
 */
export function EmbedFrame({ slug, origins, children }: { slug: string; origins: string[]; children: ReactNode }) {
  const { locale, t } = useI18n()
  const nonce = useNonce()
  return (
    <div className="embed-frame" id="embed" data-origins={JSON.stringify(origins)}>
      {children}
      <p className="embed-links">
        <Link to={`/campaigns/${slug}?lang=${locale}`} target="_blank" rel="noopener">
          {t('embed.fullPage')} {t('embed.newTab')}
        </Link>
        {' · '}
        <Link to={`/privacy?lang=${locale}`} target="_blank" rel="noopener">
          {t('footer.privacy')} {t('embed.newTab')}
        </Link>
      </p>
      {/* The nonce reads empty in the browser once applied; React must not mind. */}
      <script nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: FRAME_SCRIPT }} />
    </div>
  )
}
