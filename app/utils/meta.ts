import type { MetaDescriptor } from '@remix-run/node'

/** Title, description and Open Graph / Twitter card tags for a shareable page. */
export function socialMeta({ title, description, url }: { title: string; description: string; url: string }): MetaDescriptor[] {
  return [
    { title },
    { name: 'description', content: description },
    { property: 'og:type', content: 'website' },
    { property: 'og:title', content: title },
    { property: 'og:description', content: description },
    { property: 'og:url', content: url },
    { name: 'twitter:card', content: 'summary' },
    { name: 'twitter:title', content: title },
    { name: 'twitter:description', content: description },
    { tagName: 'link', rel: 'canonical', href: url },
  ]
}
