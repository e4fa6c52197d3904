import { describe, expect, it } from 'vitest';
import { checkSignup, normaliseThaiMobile, type SignupInput } from './signup.ts';

const good: SignupInput = {
  displayName: ' สมศรี ใจดี ',
  email: '',
  phone: '081-234-5678',
  nationalId: '1-1037-02036-31-5',
  password: 'a long password',
  consent: true,
};

describe('sign-up form check', () => {
  it('reads Thai mobile numbers as people write them', () => {
    expect(normaliseThaiMobile('081 234 5678')).toBe('0812345678');
    expect(normaliseThaiMobile('+66812345678')).toBe('0812345678');
    expect(normaliseThaiMobile('66912345678')).toBe('0912345678');
    expect(normaliseThaiMobile('021234567')).toBeNull(); // a Bangkok landline
  });

  it('sends a trimmed body with the normalised phone and ID, and no empty fields', () => {
    expect(checkSignup(good)).toEqual({
      body: {
        displayName: 'สมศรี ใจดี',
        phone: '0812345678',
        nationalId: '1103702036315',
        password: 'a long password',
        consent: true,
      },
    });
  });

  it('explains each mistake beside its field', () => {
    const result = checkSignup({
      displayName: ' ',
      email: '',
      phone: '',
      nationalId: '1103702036319',
      password: 'short',
      consent: false,
    });
    expect(result).toEqual({
      errors: {
        '/displayName': 'form.errors.required',
        '/email': 'form.errors.contactRequired',
        '/nationalId': 'form.errors.nationalId.checkDigit',
        '/password': 'form.errors.passwordShort',
        '/consent': 'form.errors.consent',
      },
    });
    expect(checkSignup({ ...good, email: 'not-an-email', phone: '12345' })).toEqual({
      errors: { '/email': 'form.errors.email', '/phone': 'form.errors.phone' },
    });
  });
});
