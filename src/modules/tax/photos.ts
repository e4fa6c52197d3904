import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../core/errors.ts';
import { PhotoStructureError, stripMetadata } from './photo-metadata.ts';

const kinds = [
  { type: 'image/jpeg', ext: 'jpg', magic: (b: Buffer) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    type: 'image/png',
    ext: 'png',
    magic: (b: Buffer) =>
      b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  {
    type: 'image/webp',
    ext: 'webp',
    magic: (b: Buffer) =>
      b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
];
export const maxPhotoBytes = 3 * 1024 * 1024;

/**
 * Checks that each photo is what it claims by its leading bytes (not its name or declared type),
 * within the size limit, removes its metadata (EXIF with the GPS position, XMP, comments; see
 * photo-metadata.ts), and stores it under `dir` with a random name. Returns the stored names.
 */
export async function storePhotos(
  dir: string,
  photos: { contentType: string; data: string }[],
): Promise<string[]> {
  const checked = photos.map((p, i) => {
    const bytes = Buffer.from(p.data, 'base64');
    const kind = kinds.find((k) => k.type === p.contentType);
    if (!kind || bytes.length < 12 || !kind.magic(bytes)) {
      throw AppError.badRequest('tax.photo_invalid', `photo ${i + 1} is not a ${p.contentType} image`, [
        { path: `/photos/${i}`, message: 'not an image of that type' },
      ]);
    }
    if (bytes.length > maxPhotoBytes)
      throw AppError.badRequest('tax.photo_invalid', `photo ${i + 1} is larger than 3 MB`, [
        { path: `/photos/${i}`, message: 'too large' },
      ]);
    try {
      return { bytes: stripMetadata(kind.type, bytes), name: `${randomUUID()}.${kind.ext}` };
    } catch (e) {
      if (!(e instanceof PhotoStructureError)) throw e;
      throw AppError.badRequest('tax.photo_invalid', `photo ${i + 1}: ${e.message}`, [
        { path: `/photos/${i}`, message: 'the image file is damaged' },
      ]);
    }
  });
  await mkdir(dir, { recursive: true });
  for (const c of checked) await writeFile(join(dir, c.name), c.bytes, { flag: 'wx' });
  return checked.map((c) => c.name);
}
