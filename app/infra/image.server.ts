import sharp from 'sharp'

/**
 * Uploaded images are decoded and encoded again (ADR 114), never stored as sent: what a photo carries
 * besides its pixels (EXIF with the place and time it was taken, the camera's serial number, the
 * author's name, XMP, thumbnails of what was cropped out) would otherwise be published with it.
 * Only raster formats are read: SVG can carry script, and the other formats libvips reads (TIFF,
 * PDF, HEIF...) are not what a browser shows.
 */
export const IMAGE_FORMATS = ['jpeg', 'png', 'webp'] as const
/** A phone camera's photo is 12 to 50 megapixels: more is refused before it is decoded. */
const MAX_INPUT_PIXELS = 60_000_000

export type ImageRefusal = 'not-an-image' | 'format' | 'too-small'

export interface EncodedImage {
  bytes: Buffer
  type: 'image/webp'
  width: number
  height: number
}

/** Checks an upload and reads its size without decoding it; `null` when it is not an image we take. */
export async function inspectImage(bytes: Buffer): Promise<{ ok: true; width: number; height: number } | { ok: false; reason: ImageRefusal }> {
  try {
    const meta = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).metadata()
    if (!(IMAGE_FORMATS as readonly string[]).includes(meta.format ?? '')) return { ok: false, reason: 'format' }
    // Orientation 5 to 8 turns the picture a quarter: its shown width is the stored height.
    const turned = (meta.orientation ?? 1) >= 5
    return { ok: true, width: turned ? meta.height : meta.width, height: turned ? meta.width : meta.height }
  } catch {
    return { ok: false, reason: 'not-an-image' }
  }
}

/**
 * One variant at most `maxWidth` wide (never enlarged), turned upright as the camera said, in WebP,
 * with no metadata at all (sharp keeps none unless asked). The work runs on libuv's thread pool, not
 * the serving thread.
 */
export async function encodeImage(bytes: Buffer, maxWidth: number): Promise<EncodedImage> {
  const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
    .rotate()
    .resize({ width: maxWidth, withoutEnlargement: true })
    .webp({ quality: 80 })
    .toBuffer({ resolveWithObject: true })
  return { bytes: data, type: 'image/webp', width: info.width, height: info.height }
}
