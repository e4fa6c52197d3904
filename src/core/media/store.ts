import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../errors.ts';
import { msg } from '../i18n.ts';
import { ImageError, imageLimits, type Limits, normalizeImage } from './images.ts';

const statusOf = { not_image: 400, too_large: 413, too_many_pixels: 400, damaged: 400 } as const;

/**
 * Re-encodes every photo (see images.ts) before any is written, so one bad photo of several
 * stores none; then writes them under `dir` with random names, flushed to disk before this returns
 * (so before the caller answers 2xx). Returns the stored names and sizes, in order.
 * Errors are problem details with the photo's index in `errors[].path` (`/photos/<i>`).
 */
export interface StoredImage {
  name: string;
  width: number;
  height: number;
}

export async function storeImages(
  dir: string,
  files: Buffer[],
  limits: Limits = imageLimits,
): Promise<StoredImage[]> {
  const ready = [];
  for (const [i, bytes] of files.entries()) {
    try {
      ready.push(await normalizeImage(bytes, limits));
    } catch (e) {
      if (!(e instanceof ImageError)) throw e;
      throw new AppError(statusOf[e.code], `photo.${e.code}`, msg('photo.nth', { n: i + 1 }), [
        { path: `/photos/${i}`, message: e.text },
      ]);
    }
  }
  await mkdir(dir, { recursive: true });
  const stored: StoredImage[] = [];
  try {
    for (const img of ready) {
      const name = `${randomUUID()}.${img.ext}`;
      await writeFile(join(dir, name), img.bytes, { flag: 'wx', flush: true });
      stored.push({ name, width: img.width, height: img.height });
    }
  } catch (e) {
    await removeImages(
      dir,
      stored.map((s) => s.name),
    );
    throw e;
  }
  return stored;
}

/** Removes stored photos, e.g. when the row that would name them was not written. */
export async function removeImages(dir: string, names: string[]) {
  await Promise.all(names.map((n) => rm(join(dir, n), { force: true })));
}

/** Stored names are `<uuid>.jpg`; anything else in a row is never joined into a path. */
export const storedName = /^[0-9a-f-]{36}\.(jpg|png|webp)$/;
