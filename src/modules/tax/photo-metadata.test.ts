import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PhotoStructureError, stripJpeg, stripMetadata, stripPng, stripWebp } from './photo-metadata.ts';
import { qrPng } from './promptpay.ts';

const segment = (marker: number, payload: string | Buffer) => {
  const data = Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'latin1');
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(data.length + 2, 2);
  return Buffer.concat([head, data]);
};
const scan = Buffer.from([0xff, 0xda, 0x00, 0x04, 0x01, 0x02, 0x11, 0x22, 0xff, 0x00, 0x33, 0xff, 0xd9]);
const jpeg = Buffer.concat([
  Buffer.from([0xff, 0xd8]),
  segment(0xe0, 'JFIF\0\x01\x01'),
  segment(0xe1, 'Exif\0\0GPS 16.4312N 102.8236E iPhone'),
  segment(0xe1, 'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>creator</x:xmpmeta>'),
  segment(0xe2, 'ICC_PROFILE\0colour'),
  segment(0xed, 'Photoshop 3.0\0IPTC byline'),
  segment(0xee, 'Adobe\0transform'),
  segment(0xfe, 'a comment with a name'),
  segment(0xdb, Buffer.alloc(65, 1)),
  scan,
]);

const chunk = (type: string, data: string | Buffer) => {
  const body = Buffer.concat([
    Buffer.from(type, 'latin1'),
    Buffer.isBuffer(data) ? data : Buffer.from(data, 'latin1'),
  ]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(body.length - 4, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body) >>> 0, body.length + 4);
  return out;
};

const riff = (chunks: [string, Buffer][]) => {
  const body = Buffer.concat(
    chunks.map(([type, data]) => {
      const head = Buffer.alloc(8);
      head.write(type, 0, 'latin1');
      head.writeUInt32LE(data.length, 4);
      return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
    }),
  );
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length + 4, 4);
  head.write('WEBP', 8, 'latin1');
  return Buffer.concat([head, body]);
};

describe('photo metadata removal', () => {
  it('drops EXIF (with GPS), XMP, IPTC and comments from a JPEG and keeps the picture', () => {
    const out = stripJpeg(jpeg);
    const text = out.toString('latin1');
    for (const gone of ['Exif', 'GPS', 'xmpmeta', 'IPTC', 'comment']) expect(text).not.toContain(gone);
    for (const kept of ['JFIF', 'ICC_PROFILE', 'Adobe']) expect(text).toContain(kept);
    expect(out.subarray(out.length - scan.length)).toEqual(scan);
    expect(out.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    // Nothing left to remove the second time.
    expect(stripJpeg(out)).toEqual(out);
  });

  it('drops text, time and EXIF chunks from a PNG, which still ends with IEND', async () => {
    const real = await qrPng('a real PNG image', 64);
    const iend = real.length - 12;
    const dirty = Buffer.concat([
      real.subarray(0, 33), // signature and IHDR
      chunk('tEXt', 'Author\0Somchai'),
      chunk('eXIf', 'MM\0*GPS'),
      chunk('tIME', Buffer.alloc(7)),
      real.subarray(33, iend),
      chunk('iTXt', 'Comment\0\0\0\0\0home address'),
      real.subarray(iend),
    ]);
    const out = stripPng(dirty);
    expect(out).toEqual(stripPng(real));
    expect(out.toString('latin1')).not.toMatch(/Somchai|GPS|home address/);
    expect(out.subarray(-8, -4).toString('latin1')).toBe('IEND');
  });

  it('drops EXIF and XMP chunks from a WebP and clears their flags', () => {
    const vp8x = Buffer.alloc(10);
    vp8x[0] = 0x0c | 0x10; // EXIF, XMP and alpha
    const out = stripWebp(
      riff([
        ['VP8X', vp8x],
        ['VP8 ', Buffer.from('frame-data!', 'latin1')], // odd length, padded
        ['EXIF', Buffer.from('GPS 16.43', 'latin1')],
        ['XMP ', Buffer.from('<x:xmpmeta/>', 'latin1')],
      ]),
    );
    expect(out.toString('latin1')).not.toMatch(/GPS|xmpmeta/);
    expect(out.toString('latin1')).toContain('frame-data!');
    expect(out.readUInt32LE(4)).toBe(out.length - 8);
    expect(out[20]).toBe(0x10); // only the alpha flag is left
  });

  it('refuses files whose structure does not hold together', () => {
    const bad = [
      () => stripJpeg(jpeg.subarray(0, 40)), // cut inside a segment
      () => stripJpeg(Buffer.from([0xff, 0xd8, 0x12, 0x34, 0x00, 0x10])),
      () => stripJpeg(Buffer.from('not a jpeg')),
      () =>
        stripPng(
          Buffer.concat([
            Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
            chunk('IHDR', Buffer.alloc(13)),
          ]),
        ),
      () =>
        stripWebp(Buffer.concat([Buffer.from('RIFF'), Buffer.from([0xff, 0xff, 0, 0]), Buffer.from('WEBP')])),
      () => stripMetadata('image/gif', Buffer.from('GIF89a')),
    ];
    for (const f of bad) expect(f).toThrow(PhotoStructureError);
  });
});
