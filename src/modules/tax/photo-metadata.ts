/**
 * Removes the metadata a phone writes into a photo (EXIF with the GPS position, the camera and the
 * time; XMP; IPTC; comments; PNG text chunks) without decoding the image: the picture's own bytes
 * are copied as they are. A file whose structure does not hold together is refused.
 *
 * Kept: what is needed to show the picture right — JPEG's JFIF (APP0), ICC colour profile (APP2)
 * and Adobe colour transform (APP14); every PNG chunk except text, time and EXIF; every WebP chunk
 * except EXIF and XMP. EXIF's orientation goes with the rest, so a photo may show turned.
 */
export class PhotoStructureError extends Error {}

const fail = (why: string): never => {
  throw new PhotoStructureError(why);
};

/** JPEG markers that are kept before the scan: SOF, DHT, DQT, DRI, DAC, APP0, APP2, APP14 and the like. */
const droppedJpegMarker = (m: number) =>
  (m >= 0xe0 && m <= 0xef && ![0xe0, 0xe2, 0xee].includes(m)) || m === 0xfe;

export function stripJpeg(b: Buffer): Buffer {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) fail('not a JPEG');
  const parts: Buffer[] = [b.subarray(0, 2)];
  let i = 2;
  for (;;) {
    if (i + 4 > b.length) fail('JPEG ends before its image data');
    if (b[i] !== 0xff) fail('JPEG segment does not start with a marker');
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    const length = b.readUInt16BE(i + 2);
    if (length < 2 || i + 2 + length > b.length) fail('JPEG segment runs past the end');
    if (marker === 0xda) {
      // Start of scan: the compressed picture (and anything after it) is copied as it is.
      parts.push(b.subarray(i));
      return Buffer.concat(parts);
    }
    if (!droppedJpegMarker(marker)) parts.push(b.subarray(i, i + 2 + length));
    i += 2 + length;
  }
}

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const droppedPngChunks = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME']);

export function stripPng(b: Buffer): Buffer {
  if (b.length < 8 || !b.subarray(0, 8).equals(pngSignature)) fail('not a PNG');
  const parts: Buffer[] = [pngSignature];
  let i = 8;
  for (;;) {
    if (i + 12 > b.length) fail('PNG ends before IEND');
    const length = b.readUInt32BE(i);
    const type = b.subarray(i + 4, i + 8).toString('latin1');
    const end = i + 12 + length;
    if (end > b.length) fail('PNG chunk runs past the end');
    if (!droppedPngChunks.has(type)) parts.push(b.subarray(i, end));
    i = end;
    if (type === 'IEND') return Buffer.concat(parts);
  }
}

export function stripWebp(b: Buffer): Buffer {
  if (b.length < 12 || b.toString('latin1', 0, 4) !== 'RIFF' || b.toString('latin1', 8, 12) !== 'WEBP')
    fail('not a WebP');
  const declared = b.readUInt32LE(4) + 8;
  if (declared > b.length) fail('WebP is shorter than its header says');
  const chunks: Buffer[] = [];
  let i = 12;
  while (i < declared) {
    if (i + 8 > declared) fail('WebP chunk header runs past the end');
    const type = b.toString('latin1', i, i + 4);
    const size = b.readUInt32LE(i + 4);
    const end = i + 8 + size + (size % 2);
    if (i + 8 + size > declared) fail('WebP chunk runs past the end');
    if (type !== 'EXIF' && type !== 'XMP ') {
      const chunk = Buffer.from(b.subarray(i, Math.min(end, declared)));
      // VP8X says which extra chunks follow: no longer EXIF (bit 3) or XMP (bit 2).
      if (type === 'VP8X' && size >= 1) chunk[8] &= ~0x0c;
      chunks.push(chunk);
    }
    i = end;
  }
  const body = Buffer.concat(chunks);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(body.length + 4, 4);
  header.write('WEBP', 8, 'latin1');
  return Buffer.concat([header, body]);
}

export function stripMetadata(contentType: string, bytes: Buffer): Buffer {
  if (contentType === 'image/jpeg') return stripJpeg(bytes);
  if (contentType === 'image/png') return stripPng(bytes);
  if (contentType === 'image/webp') return stripWebp(bytes);
  return fail(`no metadata rules for ${contentType}`);
}
