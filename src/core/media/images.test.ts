import { readFileSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { detectImageType, ImageError, imageLimits, normalizeImage } from './images.ts';
import { storeImages } from './store.ts';

/** 40 × 20: red on the left half, blue on the right. */
const halves = () =>
  sharp({ create: { width: 40, height: 20, channels: 3, background: { r: 220, g: 20, b: 20 } } }).composite([
    {
      input: { create: { width: 20, height: 20, channels: 3, background: { r: 20, g: 20, b: 220 } } },
      left: 20,
      top: 0,
    },
  ]);
const flat = async (s: Sharp) => sharp(await s.png().toBuffer());

/** A phone's JPEG: stored sideways with EXIF orientation 6, and the GPS position of the shot. */
const phoneJpeg = async () =>
  (await flat(halves()))
    .withExif({
      IFD0: { Make: 'PhoneMaker', Model: 'Somchai phone' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '16/1 25/1 52/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '102/1 49/1 25/1',
      },
    })
    .withMetadata({ orientation: 6 })
    .jpeg()
    .toBuffer();

const heic = readFileSync(join(import.meta.dirname, '../../../test/fixtures/images/tiny.heic'));

const pixel = async (bytes: Buffer, x: number, y: number) => {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [data[i], data[i + 1], data[i + 2]];
};
const isRed = ([r, g, b]: number[]) => r > 150 && g < 80 && b < 80;
const isBlue = ([r, g, b]: number[]) => b > 150 && r < 80 && g < 80;

const fails = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as ImageError;
  }
  throw new Error('did not fail');
};

describe('normalizeImage', () => {
  it('turns an orientation-6 JPEG upright and writes it with no EXIF, GPS or camera', async () => {
    const input = await phoneJpeg();
    const inMeta = await sharp(input).metadata();
    expect(inMeta.orientation).toBe(6);
    expect(input.toString('latin1')).toContain('Somchai phone');

    const out = await normalizeImage(input);
    expect(out.type).toBe('image/jpeg');
    expect([out.width, out.height]).toEqual([20, 40]);
    const meta = await sharp(out.bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect([meta.width, meta.height]).toEqual([20, 40]);
    expect(out.bytes.toString('latin1')).not.toMatch(/Exif|GPS|Somchai|PhoneMaker/);
    // Orientation 6 means "turn 90° clockwise to show": the left (red) half ends up on top.
    expect(isRed(await pixel(out.bytes, 10, 5))).toBe(true);
    expect(isBlue(await pixel(out.bytes, 10, 35))).toBe(true);
  });

  it('accepts PNG (with text chunks dropped), WebP and HEIC, all out as JPEG', async () => {
    const png = await (await flat(halves()))
      .png()
      .withExif({ IFD0: { Artist: 'Somchai' } })
      .toBuffer();
    const webp = await (await flat(halves())).webp().toBuffer();
    for (const [bytes, type] of [
      [png, 'image/png'],
      [webp, 'image/webp'],
      [heic, 'image/heic'],
    ] as const) {
      expect(detectImageType(bytes)).toBe(type);
      const out = await normalizeImage(bytes);
      expect(out.sourceType).toBe(type);
      expect(detectImageType(out.bytes)).toBe('image/jpeg');
      expect([out.width, out.height]).toEqual([40, type === 'image/heic' ? 24 : 20]);
      expect(out.bytes.toString('latin1')).not.toContain('Somchai');
      // The HEIC fixture is blue on the left, the others red.
      const left = await pixel(out.bytes, 5, 10);
      expect(type === 'image/heic' ? isBlue(left) : isRed(left)).toBe(true);
    }
  });

  it('caps the long side', async () => {
    const big = await sharp({ create: { width: 3000, height: 1000, channels: 3, background: '#888' } })
      .png()
      .toBuffer();
    const out = await normalizeImage(big);
    expect([out.width, out.height]).toEqual([2560, 853]);
  });

  it('refuses text named as an image, damaged files, oversized files and pixel bombs', async () => {
    expect((await fails(normalizeImage(Buffer.from('<?php system($_GET["c"]); ?> padding')))).code).toBe(
      'not_image',
    );
    const good = await (await flat(halves())).png().toBuffer();
    expect((await fails(normalizeImage(good.subarray(0, 40)))).code).toBe('damaged');
    expect((await fails(normalizeImage(heic.subarray(0, 60)))).code).toBe('damaged');
    expect((await fails(normalizeImage(good, { ...imageLimits, maxBytes: 100 }))).code).toBe('too_large');
    // 8 000 × 8 000 of one colour: a small file that would decode to 190 MB.
    const bomb = await sharp({ create: { width: 8000, height: 8000, channels: 3, background: '#fff' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.length).toBeLessThan(imageLimits.maxBytes);
    const e = await fails(normalizeImage(bomb));
    expect(e).toBeInstanceOf(ImageError);
    expect(e.code).toBe('too_many_pixels');
    expect((await fails(normalizeImage(heic, { ...imageLimits, maxPixels: 100 }))).code).toBe(
      'too_many_pixels',
    );
  });
});

describe('storeImages', () => {
  it('stores every photo or none, and says which one was bad', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mueang-images-'));
    const good = await (await flat(halves())).png().toBuffer();
    const e = await fails(storeImages(dir, [good, good, Buffer.from('not an image at all')]));
    expect(e).toBeInstanceOf(AppError);
    expect((e as unknown as AppError).status).toBe(400);
    expect((e as unknown as AppError).code).toBe('photo.not_image');
    expect((e as unknown as AppError).errors?.[0].path).toBe('/photos/2');
    expect(await readdir(dir)).toEqual([]);

    const tooBig = await fails(storeImages(dir, [good], { ...imageLimits, maxBytes: 10 }));
    expect((tooBig as unknown as AppError).status).toBe(413);

    const stored = await storeImages(dir, [good, heic]);
    expect(stored.map((s) => [s.width, s.height])).toEqual([
      [40, 20],
      [40, 24],
    ]);
    const names = stored.map((s) => s.name);
    for (const n of names) expect(n).toMatch(/^[0-9a-f-]{36}\.jpg$/);
    expect((await readdir(dir)).sort()).toEqual([...names].sort());
  });
});
