/** Where a signer came from, without any third-party tracking: the referring site and utm_* tags. */
export interface Attribution {
  referrer: string | null
  utmSource: string | null
  utmMedium: string | null
  utmCampaign: string | null
}

const clean = (v: string | null) => (v ? v.replace(/[^\p{L}\p{N}._-]/gu, '').slice(0, 64) || null : null)

/** The host of a referring page on another site, or null: never the full URL. */
export function externalReferrer(header: string | null | undefined, appUrl: string): string | null {
  if (!header) return null
  try {
    const ref = new URL(header)
    return ref.origin !== new URL(appUrl).origin && /^https?:$/.test(ref.protocol) ? ref.hostname.slice(0, 253) : null
  } catch {
    return null
  }
}

/** Read on the campaign page's GET: the referring host only (never the full URL), and the utm tags. */
export function attributionFrom(request: Request, appUrl: string): Attribution {
  const url = new URL(request.url)
  return {
    referrer: externalReferrer(request.headers.get('Referer'), appUrl),
    utmSource: clean(url.searchParams.get('utm_source')),
    utmMedium: clean(url.searchParams.get('utm_medium')),
    utmCampaign: clean(url.searchParams.get('utm_campaign')),
  }
}

/** The same, carried through the sign form as hidden fields. */
export function attributionFromForm(form: Pick<FormData | URLSearchParams, 'get'>): Attribution {
  const get = (k: string) => {
    const v = form.get(k)
    return typeof v === 'string' ? v : null
  }
  const ref = get('ref')
  return {
    referrer: ref && /^[a-z0-9.-]{1,253}$/i.test(ref) ? ref.toLowerCase() : null,
    utmSource: clean(get('utm_source')),
    utmMedium: clean(get('utm_medium')),
    utmCampaign: clean(get('utm_campaign')),
  }
}
