import { Type } from 'typebox';
import { imageLimits } from './images.ts';

/** Base64 characters for `imageLimits.maxBytes` bytes. */
const maxBase64 = Math.ceil(imageLimits.maxBytes / 3) * 4;

/**
 * One uploaded photo in a JSON body. `contentType` is what the browser said and is not trusted:
 * the type is read from the bytes (images.ts). Size past the limit is refused here with 400 and,
 * for bodies that slip by, by storeImages with 413.
 */
export const PhotoUpload = Type.Object(
  {
    contentType: Type.Optional(Type.String({ maxLength: 100 })),
    data: Type.String({ contentEncoding: 'base64', maxLength: maxBase64, pattern: '^[A-Za-z0-9+/]+={0,2}$' }),
  },
  { additionalProperties: false },
);

export const maxPhotos = 5;
export const Photos = (minItems = 0) => Type.Array(PhotoUpload, { minItems, maxItems: maxPhotos });

/** A route's bodyLimit for `maxPhotos` photos and some text around them. */
export const photosBodyLimit = maxPhotos * maxBase64 + 1024 * 1024;

export const decodePhotos = (photos: { data: string }[] | undefined) =>
  (photos ?? []).map((p) => Buffer.from(p.data, 'base64'));
