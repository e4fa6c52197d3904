import { createRequire } from 'node:module';
import type { Metadata, Sharp } from 'sharp';
import { type Message, msg, translate } from '../i18n.ts';

/**
 * One way in for every photo a person uploads (tax declarations, complaints): the type is decided
 * by the file's leading bytes, never its name or declared type; the picture is decoded, turned
 * upright by its EXIF orientation, shrunk to a sane size and re-encoded as a fresh JPEG. Because
 * the output is written from pixels, nothing of the original file survives: no EXIF (GPS position,
 * camera, time), XMP, IPTC, comments, ICC tricks or trailing bytes.
 */

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/heic';
export type ImageErrorCode = 'not_image' | 'too_large' | 'too_many_pixels' | 'damaged';

/** Why a photo was refused: `text` in the reader's language, the message in English for logs. */
export class ImageError extends Error {
  constructor(
    readonly code: ImageErrorCode,
    readonly text: Message,
  ) {
    super(translate(text, 'en'));
  }
}

export const imageLimits = {
  /** Bytes of one uploaded file; a phone's 48 MP HEIC or JPEG is well under this. */
  maxBytes: 12 * 1024 * 1024,
  /** Decoded pixels of one file: a small file that would expand to gigabytes is refused unread. */
  maxPixels: 50_000_000,
  /** The long side of the stored picture: enough to read a signboard or see a pothole. */
  maxSide: 2560,
};

export type Limits = typeof imageLimits;

export interface NormalizedImage {
  bytes: Buffer;
  type: 'image/jpeg';
  ext: 'jpg';
  width: number;
  height: number;
  /** What the upload was, by its bytes. */
  sourceType: ImageType;
}

const heifBrands = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

export function detectImageType(b: Buffer): ImageType | undefined {
  if (b.length < 12) return undefined;
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (b.toString('latin1', 4, 8) === 'ftyp' && heifBrands.has(b.toString('latin1', 8, 12)))
    return 'image/heic';
  return undefined;
}

type SharpFn = typeof import('sharp').default;
let sharpFn: SharpFn | undefined;
/** sharp (libvips, ~20 MB resident) is loaded on the first upload, not at start. */
async function loadSharp(): Promise<SharpFn> {
  sharpFn ??= (await import('sharp')).default;
  return sharpFn;
}

type HeicImage = { width: number; height: number; decode: () => Promise<{ data: Uint8ClampedArray }> };
type HeicAll = ((o: { buffer: Buffer }) => Promise<HeicImage[] & { dispose(): void }>) | undefined;
let heicAll: HeicAll;

/**
 * sharp's prebuilt libvips reads HEIF containers but not HEVC pictures (a patent matter), which is
 * what iPhones write; libheif compiled to WASM (heic-decode) decodes them. Loaded on first use: it
 * costs a few megabytes of memory that a city with no iPhone uploads never pays.
 */
async function decodeHeic(bytes: Buffer, limits: Limits) {
  heicAll ??= (createRequire(import.meta.url)('heic-decode') as { all: NonNullable<HeicAll> }).all;
  let images: Awaited<ReturnType<NonNullable<HeicAll>>>;
  try {
    images = await heicAll({ buffer: bytes });
  } catch {
    throw new ImageError('damaged', msg('photo.heic_unreadable'));
  }
  try {
    const first = images[0];
    if (!first?.width || !first.height) throw new ImageError('damaged', msg('photo.heic_no_picture'));
    if (first.width * first.height > limits.maxPixels)
      throw new ImageError('too_many_pixels', msg('photo.more_pixels_than', { max: limits.maxPixels }));
    let data: Uint8ClampedArray;
    try {
      ({ data } = await first.decode());
    } catch {
      throw new ImageError('damaged', msg('photo.heic_undecodable'));
    }
    const sharp = await loadSharp();
    return sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), {
      raw: { width: first.width, height: first.height, channels: 4 },
    });
  } finally {
    images.dispose();
  }
}

export async function normalizeImage(bytes: Buffer, limits: Limits = imageLimits): Promise<NormalizedImage> {
  if (bytes.length > limits.maxBytes)
    throw new ImageError(
      'too_large',
      msg('photo.larger_than', { mb: Math.round(limits.maxBytes / 1048576) }),
    );
  const sourceType = detectImageType(bytes);
  if (!sourceType) throw new ImageError('not_image', msg('photo.not_supported'));

  let pipeline: Sharp;
  const sharp = await loadSharp();
  if (sourceType === 'image/heic') pipeline = await decodeHeic(bytes, limits);
  else {
    let meta: Metadata;
    try {
      meta = await sharp(bytes).metadata();
    } catch {
      throw new ImageError('damaged', msg('photo.file_damaged'));
    }
    // Read from the header, before any pixel is decoded.
    if (!meta.width || !meta.height) throw new ImageError('damaged', msg('photo.no_size'));
    if (meta.width * meta.height > limits.maxPixels)
      throw new ImageError('too_many_pixels', msg('photo.more_pixels_than', { max: limits.maxPixels }));
    pipeline = sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'error' });
  }
  try {
    const { data, info } = await pipeline
      .rotate() // by EXIF orientation; the output then carries none
      .resize({ width: limits.maxSide, height: limits.maxSide, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 82, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    return {
      bytes: data,
      type: 'image/jpeg',
      ext: 'jpg',
      width: info.width,
      height: info.height,
      sourceType,
    };
  } catch (e) {
    if (/pixel limit/i.test(String(e)))
      throw new ImageError('too_many_pixels', msg('photo.more_pixels_than', { max: limits.maxPixels }));
    throw new ImageError('damaged', msg('photo.file_damaged'));
  }
}
