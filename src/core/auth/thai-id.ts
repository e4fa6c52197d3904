/** Thai national ID (13 digits): the last digit is (11 − Σ dᵢ·(13−i) mod 11) mod 10 over the first 12. */
export function isValidThaiNationalId(value: string): boolean {
  if (!/^[0-9]{13}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(value[i]) * (13 - i);
  return (11 - (sum % 11)) % 10 === Number(value[12]);
}

/** Accepts `081-234-5678`, `081 234 5678`, `+66812345678`; returns `0812345678` or null. */
export function normaliseThaiMobile(value: string): string | null {
  let digits = value.replace(/[\s\-().]/g, '');
  if (digits.startsWith('+66')) digits = `0${digits.slice(3)}`;
  else if (digits.startsWith('66') && digits.length === 11) digits = `0${digits.slice(2)}`;
  return /^0[689][0-9]{8}$/.test(digits) ? digits : null;
}
