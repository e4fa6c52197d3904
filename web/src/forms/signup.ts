import { checkThaiNationalId } from './thai-id.ts';

export interface SignupInput {
  displayName: string;
  email: string;
  phone: string;
  nationalId: string;
  password: string;
  consent: boolean;
}

export interface SignupBody {
  displayName: string;
  email?: string;
  phone?: string;
  nationalId?: string;
  password: string;
  consent: true;
}

/** Field path (as in a problem's `errors[]`) → i18n key of the message. */
export type FieldErrors = Partial<
  Record<'/displayName' | '/email' | '/phone' | '/nationalId' | '/password' | '/consent', string>
>;

export const minPasswordLength = 10;

/** `081-234-5678`, `+66 81 234 5678` → `0812345678`; null when it is not a Thai mobile number. */
export function normaliseThaiMobile(value: string): string | null {
  let digits = value.replace(/[\s\-().]/g, '');
  if (digits.startsWith('+66')) digits = `0${digits.slice(3)}`;
  else if (digits.startsWith('66') && digits.length === 11) digits = `0${digits.slice(2)}`;
  return /^0[689][0-9]{8}$/.test(digits) ? digits : null;
}

/**
 * Checks a citizen's sign-up form before it is sent, so that mistakes are explained beside their field.
 * The server checks everything again.
 */
export function checkSignup(input: SignupInput): { body: SignupBody } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const displayName = input.displayName.trim();
  const email = input.email.trim();
  const phone = input.phone.trim();
  const nationalId = input.nationalId.trim();
  if (!displayName) errors['/displayName'] = 'form.errors.required';
  if (!email && !phone) errors['/email'] = 'form.errors.contactRequired';
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors['/email'] = 'form.errors.email';
  const mobile = phone ? normaliseThaiMobile(phone) : null;
  if (phone && !mobile) errors['/phone'] = 'form.errors.phone';
  const id = nationalId ? checkThaiNationalId(nationalId) : null;
  if (id && !id.ok) errors['/nationalId'] = `form.errors.nationalId.${id.reason}`;
  if (input.password.length < minPasswordLength) errors['/password'] = 'form.errors.passwordShort';
  if (!input.consent) errors['/consent'] = 'form.errors.consent';
  if (Object.keys(errors).length > 0) return { errors };
  return {
    body: {
      displayName,
      ...(email ? { email } : {}),
      ...(mobile ? { phone: mobile } : {}),
      ...(id?.ok ? { nationalId: id.value } : {}),
      password: input.password,
      consent: true,
    },
  };
}
