import type { MetaDescriptor } from '@remix-run/node'

export interface SocialImage {
  url: string
  width: number
  height: number
  alt: string
}

// Open Graph wants language_TERRITORY; Facebook knows Arabic as ar_AR.
const OG_LOCALES: Record<string, string> = { en: 'en_US', fa: 'fa_IR', fr: 'fr_FR', es: 'es_ES', ar: 'ar_AR' }

/** Title, description and Open Graph / Twitter card tags for a shareable page. */
export function socialMeta({
  title,
  description,
  url,
  image,
  locale,
}: {
  title: string
  description: string
  url: string
  image?: SocialImage
  locale?: string
}): MetaDescriptor[] {
  return [
    { title },
    { name: 'description', content: description },
    { property: 'og:type', content: 'website' },
    { property: 'og:title', content: title },
    { property: 'og:description', content: description },
    { property: 'og:url', content: url },
    ...(locale && OG_LOCALES[locale] ? [{ property: 'og:locale', content: OG_LOCALES[locale] }] : []),
    ...(image
      ? [
          { property: 'og:image', content: image.url },
          { property: 'og:image:type', content: 'image/png' },
          { property: 'og:image:width', content: String(image.width) },
          { property: 'og:image:height', content: String(image.height) },
          { property: 'og:image:alt', content: image.alt },
          { name: 'twitter:image', content: image.url },
          { name: 'twitter:image:alt', content: image.alt },
        ]
      : []),
    { name: 'twitter:card', content: image ? 'summary_large_image' : 'summary' },
    { name: 'twitter:title', content: title },
    { name: 'twitter:description', content: description },
    { tagName: 'link', rel: 'canonical', href: url },
  ]
}
