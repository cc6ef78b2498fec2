/** A lead image's address: its version is part of it, so a replaced image is a new URL (ADR 114). */
export const leadImageUrl = (slug: string, version: number, size: 'large' | 'small') => `/campaigns/${slug}/image/${version}-${size}.webp`
export const LEAD_IMAGE_FILE = /^([0-9]{1,16})-(large|small)\.webp$/
