import { describe, expect, it } from 'vitest';
import { checkThaiNationalId, thaiIdCheckDigit } from './thai-id.ts';

describe('Thai national ID check', () => {
  it('computes the mod-11 check digit', () => {
    // 1·13 + 1·12 + 0·11 + 3·10 + 7·9 + 0·8 + 2·7 + 0·6 + 3·5 + 6·4 + 3·3 + 1·2 = 182; 182 mod 11 = 6; 11 − 6 = 5.
    expect(thaiIdCheckDigit('110370203631')).toBe(5);
    // Remainder 1: 6·2 = 12 → 11 − 1 = 10 → 0. Remainder 0: 1·3 + 4·2 = 11 → 11 − 0 = 11 → 1.
    expect(thaiIdCheckDigit('000000000006')).toBe(0);
    expect(thaiIdCheckDigit('000000000014')).toBe(1);
  });

  it('accepts a valid ID, with or without the usual dashes and spaces', () => {
    expect(checkThaiNationalId('1103702036315')).toEqual({ ok: true, value: '1103702036315' });
    expect(checkThaiNationalId('1-1037-02036-31-5')).toEqual({ ok: true, value: '1103702036315' });
    expect(checkThaiNationalId(' 1 1037 02036 31 5 ')).toMatchObject({ ok: true });
  });

  it('says why an ID is wrong: characters, length, or or the check digit', () => {
    expect(checkThaiNationalId('11037O2036315')).toEqual({ ok: false, reason: 'characters' });
    expect(checkThaiNationalId('110370203631')).toEqual({ ok: false, reason: 'length' });
    expect(checkThaiNationalId('1103702036319')).toEqual({ ok: false, reason: 'checkDigit' });
  });
});
