/** The "You Pee" report form, checked before it is sent. The server checks everything again. */
import { insideArea } from './declaration.ts';
import { normaliseThaiMobile } from './signup.ts';

export const maxDescription = 4000;

export interface ComplaintInput {
  category: string;
  description: string;
  /** As typed (or filled in by "use my location"). */
  lat: string;
  lon: string;
  address: string;
  /** Whether the person is signed in; otherwise a contact is needed. */
  signedIn: boolean;
  name: string;
  email: string;
  phone: string;
}

export type ComplaintField =
  | '/category'
  | '/description'
  | '/lat'
  | '/lon'
  | '/address'
  | '/contact/name'
  | '/contact/email'
  | '/contact/phone';

/** Field path (as in a problem's `errors[]`) → i18n key of the message. */
export type ComplaintErrors = Partial<Record<ComplaintField, string>>;

export interface ComplaintBody {
  category: string;
  description: string;
  lat: number;
  lon: number;
  address?: string;
  contact?: { name?: string; email?: string; phone?: string };
}

/** "16.4312" or "16,4312" → 16.4312; null when it is not a plain decimal number. */
export function readDegrees(value: string): number | null {
  const v = value.trim().replace(',', '.');
  if (!/^-?[0-9]{1,3}(\.[0-9]+)?$/.test(v)) return null;
  return Number(v);
}

/** Characters the person has left in the description (may go below zero). */
export function descriptionLeft(text: string): number {
  return maxDescription - text.length;
}

export function checkComplaint(input: ComplaintInput): { body: ComplaintBody } | { errors: ComplaintErrors } {
  const errors: ComplaintErrors = {};
  if (!/^[a-z0-9][a-z0-9-]{1,63}$/.test(input.category))
    errors['/category'] = 'complaints.report.errors.category';
  const description = input.description.trim();
  if (!description) errors['/description'] = 'form.errors.required';
  // Counted in UTF-16 units, as the textarea's maxLength does (never more than the server counts).
  else if (description.length > maxDescription)
    errors['/description'] = 'complaints.report.errors.descriptionLong';
  const lat = readDegrees(input.lat);
  const lon = readDegrees(input.lon);
  if (!input.lat.trim()) errors['/lat'] = 'complaints.report.errors.locationRequired';
  else if (lat === null || lat < -90 || lat > 90) errors['/lat'] = 'complaints.report.errors.lat';
  if (!input.lon.trim()) errors['/lon'] = 'complaints.report.errors.locationRequired';
  else if (lon === null || lon < -180 || lon > 180) errors['/lon'] = 'complaints.report.errors.lon';
  if (lat !== null && lon !== null && !errors['/lat'] && !errors['/lon'] && !insideArea({ lat, lon }))
    errors['/lat'] = 'complaints.report.errors.outside';
  const address = input.address.trim();
  if (address.length > 500) errors['/address'] = 'complaints.report.errors.addressLong';
  let contact: ComplaintBody['contact'];
  if (!input.signedIn) {
    const name = input.name.trim();
    const email = input.email.trim();
    const phone = input.phone.trim();
    if (name.length > 200) errors['/contact/name'] = 'complaints.report.errors.nameLong';
    if (!email && !phone) errors['/contact/email'] = 'form.errors.contactRequired';
    if (email && (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)))
      errors['/contact/email'] = 'form.errors.email';
    const mobile = phone ? normaliseThaiMobile(phone) : null;
    if (phone && !mobile) errors['/contact/phone'] = 'form.errors.phone';
    contact = {
      ...(name ? { name } : {}),
      ...(email ? { email } : {}),
      ...(mobile ? { phone: mobile } : {}),
    };
  }
  if (Object.keys(errors).length > 0 || lat === null || lon === null) return { errors };
  return {
    body: {
      category: input.category,
      description,
      lat,
      lon,
      ...(address ? { address } : {}),
      ...(contact ? { contact } : {}),
    },
  };
}

/** A reference as people may type it ("kk-2569-000123 ") → "KK-2569-000123"; null when it is not one. */
export function readReference(value: string): string | null {
  const v = value.trim().toUpperCase();
  return /^KK-[0-9]{4}-[0-9]{6,}$/.test(v) ? v : null;
}
