import { describe, expect, it } from 'vitest';
import { isValidThaiNationalId, normaliseThaiMobile } from './thai-id.ts';

describe('Thai national ID check digit (mod 11)', () => {
  it('accepts valid numbers', () => {
    // 1234567890121: Σ dᵢ·(13−i) = 352, 352 mod 11 = 0, (11 − 0) mod 10 = 1.
    for (const id of ['1101700230708', '3100600042310', '1234567890121'])
      expect(isValidThaiNationalId(id)).toBe(true);
  });

  it('rejects a wrong check digit, wrong length and non-digits', () => {
    for (const id of [
      '1101700230705',
      '110170023070',
      '11017002307088',
      '110170023070a',
      '',
      '1-1017-00230-70-8',
    ]) {
      expect(isValidThaiNationalId(id)).toBe(false);
    }
  });

  it('covers the case where 11 − r is 10 or 11 (check digit 0 or 1)', () => {
    const make = (first12: string) => {
      let sum = 0;
      for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (13 - i);
      return first12 + String((11 - (sum % 11)) % 10);
    };
    let seen0 = false;
    let seen1 = false;
    for (let n = 100000000000; n < 100000000200; n++) {
      const id = make(String(n));
      expect(isValidThaiNationalId(id)).toBe(true);
      seen0 ||= id.endsWith('0');
      seen1 ||= id.endsWith('1');
    }
    expect(seen0 && seen1).toBe(true);
  });
});

describe('Thai mobile numbers', () => {
  it.each([
    ['0812345678', '0812345678'],
    ['081-234-5678', '0812345678'],
    ['+66 81 234 5678', '0812345678'],
    ['66912345678', '0912345678'],
    ['0612345678', '0612345678'],
  ])('%s → %s', (input, expected) => expect(normaliseThaiMobile(input)).toBe(expected));

  it.each(['021234567', '0712345678', '081234567', 'abc', "0812345678' OR 1=1"])('rejects %s', (input) => {
    expect(normaliseThaiMobile(input)).toBeNull();
  });
});
