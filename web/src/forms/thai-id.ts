/**
 * Checks a Thai national ID (เลขประจำตัวประชาชน) as typed by a person: spaces and dashes are
 * allowed (`1-2345-67890-12-1`), then 13 digits whose last is the mod-11 check digit of the first 12:
 * (11 − Σ dᵢ·(13 − i) mod 11) mod 10. The server checks again; this only gives a helpful message early.
 */
export type ThaiIdCheck =
  | { ok: true; value: string }
  | { ok: false; reason: 'characters' | 'length' | 'checkDigit' };

export function checkThaiNationalId(input: string): ThaiIdCheck {
  const value = input.replace(/[\s-]/g, '');
  if (!/^[0-9]*$/.test(value)) return { ok: false, reason: 'characters' };
  if (value.length !== 13) return { ok: false, reason: 'length' };
  // The expected digit is not offered: a typo is more often in the middle than in the last digit.
  return thaiIdCheckDigit(value.slice(0, 12)) === Number(value[12])
    ? { ok: true, value }
    : { ok: false, reason: 'checkDigit' };
}

/** The check digit for the first 12 digits of a Thai national ID. */
export function thaiIdCheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (13 - i);
  return (11 - (sum % 11)) % 10;
}
