import { checkPhotos, type PhotoProblem } from './photos.ts';

export { maxPhotoBytes, maxPhotos, photoAccept } from './photos.ts';

const photoErrors: Record<PhotoProblem, string> = {
  count: 'tax.declare.errors.photoCount',
  type: 'tax.declare.errors.photoType',
  size: 'tax.declare.errors.photoSize',
};
/** The signboard declaration (ภ.ป.1) form, checked before it is sent. The server checks everything again. */

/**
 * What the sign's text is written in, as the Signboard Tax Act sorts signs: Thai only (type 1), Thai
 * mixed with foreign script, pictures or marks (type 2), no Thai or Thai below the foreign script
 * (type 3). The citizen says the language; the server derives the type from it.
 */
export const textLanguages = ['thai-only', 'thai-mixed', 'no-thai-or-thai-below'] as const;
export type TextLanguage = (typeof textLanguages)[number];
export const typeOfLanguage = (l: TextLanguage) => textLanguages.indexOf(l) + 1;

export interface DeclarationInput {
  widthCm: string;
  heightCm: string;
  textLanguage: string;
  moving: string;
  text: string;
  photos: { name: string; type: string; size: number }[];
  location: { lon: number; lat: number } | null;
  /** A new sign's day of putting up (`YYYY-MM-DD` from a date field), empty when not given. */
  installedOn?: string;
}

export type DeclarationField =
  | '/widthCm'
  | '/heightCm'
  | '/textLanguage'
  | '/moving'
  | '/text'
  | '/photos'
  | '/location'
  | '/installedOn';

/** Field path (as in a problem's `errors[]`) → i18n key of the message. */
export type DeclarationErrors = Partial<Record<DeclarationField, string>>;

export interface DeclarationFields {
  widthCm: number;
  heightCm: number;
  textLanguage: TextLanguage;
  moving: boolean;
  text: string;
  location?: { lon: number; lat: number };
  installedOn?: string;
}

const maxCm = 100_000;
/** The area the platform serves (the server refuses a point outside it). */
export const area = { lon: [102.7, 102.95], lat: [16.3, 16.55] } as const;

/** "1,250.5" or "1250,5" as people type them → 1250.5; null when it is not a number. */
export function readCentimetres(value: string): number | null {
  let v = value.trim().replace(/\s/g, '');
  if (/^[0-9]+,[0-9]{1,2}$/.test(v)) v = v.replace(',', '.');
  else v = v.replace(/,(?=[0-9]{3}(?![0-9]))/g, '');
  if (!/^[0-9]+(\.[0-9]+)?$/.test(v)) return null;
  return Number(v);
}

export function insideArea(p: { lon: number; lat: number }): boolean {
  return p.lon >= area.lon[0] && p.lon <= area.lon[1] && p.lat >= area.lat[0] && p.lat <= area.lat[1];
}

/** A real day, `YYYY-MM-DD`, from 1968 (the Act) to `today`. */
function pastDay(day: string, today: string) {
  const d = new Date(`${day}T00:00:00Z`);
  return (
    /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(day) &&
    !Number.isNaN(d.getTime()) &&
    d.toISOString().slice(0, 10) === day &&
    day >= '1968-01-01' &&
    day <= today
  );
}

/** `today`: the Bangkok day, `YYYY-MM-DD` (a sign cannot have been put up later). */
export function checkDeclaration(
  input: DeclarationInput,
  today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Bangkok' }),
): { fields: DeclarationFields } | { errors: DeclarationErrors } {
  const errors: DeclarationErrors = {};
  const size = (field: '/widthCm' | '/heightCm', value: string) => {
    if (!value.trim()) {
      errors[field] = 'form.errors.required';
      return 0;
    }
    const n = readCentimetres(value);
    if (n === null) errors[field] = 'tax.declare.errors.number';
    else if (n <= 0 || n > maxCm) errors[field] = 'tax.declare.errors.size';
    return n ?? 0;
  };
  const widthCm = size('/widthCm', input.widthCm);
  const heightCm = size('/heightCm', input.heightCm);
  if (!(textLanguages as readonly string[]).includes(input.textLanguage))
    errors['/textLanguage'] = 'tax.declare.errors.language';
  if (input.moving !== 'true' && input.moving !== 'false') errors['/moving'] = 'tax.declare.errors.moving';
  const text = input.text.trim();
  if (!text) errors['/text'] = 'form.errors.required';
  else if (text.length > 1000) errors['/text'] = 'tax.declare.errors.textLong';
  if (input.photos.length === 0) errors['/photos'] = 'tax.declare.errors.photoRequired';
  else {
    const problem = checkPhotos(input.photos);
    if (problem) errors['/photos'] = photoErrors[problem];
  }
  if (input.location && !insideArea(input.location)) errors['/location'] = 'tax.declare.errors.outside';
  const installedOn = input.installedOn?.trim() ?? '';
  if (installedOn && !pastDay(installedOn, today)) errors['/installedOn'] = 'tax.declare.errors.installedOn';
  if (Object.keys(errors).length > 0) return { errors };
  return {
    fields: {
      widthCm,
      heightCm,
      textLanguage: input.textLanguage as TextLanguage,
      moving: input.moving === 'true',
      text,
      ...(input.location ? { location: input.location } : {}),
      ...(installedOn ? { installedOn } : {}),
    },
  };
}
