/**
 * What the server takes as photos (src/core/media): checked here first so a person hears at once
 * what is wrong, but the server decides by the file's bytes.
 */
export const photoTypes = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif'] as const;
export const photoAccept = `image/*,.heic,.heif`;
export const maxPhotoBytes = 12 * 1024 * 1024;
export const maxPhotos = 5;

export interface PhotoFile {
  name: string;
  type: string;
  size: number;
}

/** Some browsers give HEIC files no type: then the name tells. */
const allowedType = (p: PhotoFile) =>
  (photoTypes as readonly string[]).includes(p.type.toLowerCase()) ||
  (p.type === '' && /\.(heic|heif)$/i.test(p.name));

export type PhotoProblem = 'count' | 'type' | 'size';

export function checkPhotos(photos: PhotoFile[]): PhotoProblem | undefined {
  if (photos.length > maxPhotos) return 'count';
  if (photos.some((p) => !allowedType(p))) return 'type';
  if (photos.some((p) => p.size > maxPhotoBytes)) return 'size';
  return undefined;
}

/** The file as base64, without the data-URL prefix. */
export function fileBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

export const photoPayload = (files: File[]) =>
  Promise.all(files.map(async (f) => ({ contentType: f.type || undefined, data: await fileBase64(f) })));
