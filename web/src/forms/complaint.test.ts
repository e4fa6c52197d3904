import { describe, expect, it } from 'vitest';
import {
  type ComplaintInput,
  checkComplaint,
  descriptionLeft,
  readDegrees,
  readReference,
} from './complaint.ts';

const good: ComplaintInput = {
  category: 'road-damage',
  description: '  ถนนเป็นหลุมลึกหน้าโรงเรียน ',
  lat: '16.4312',
  lon: '102.8351',
  address: ' ถนนมิตรภาพ ',
  signedIn: false,
  name: '',
  email: '',
  phone: '081-234-5678',
};

describe('complaint report form check', () => {
  it('reads degrees as people type them', () => {
    expect(readDegrees(' 16.43 ')).toBe(16.43);
    expect(readDegrees('16,43')).toBe(16.43);
    expect(readDegrees('-1')).toBe(-1);
    expect(readDegrees('1e2')).toBeNull();
    expect(readDegrees('16.4.3')).toBeNull();
    expect(readDegrees('')).toBeNull();
    expect(readDegrees("16'; DROP TABLE x;--")).toBeNull();
  });

  it('sends trimmed text, numbers and a normalised phone', () => {
    expect(checkComplaint(good)).toEqual({
      body: {
        category: 'road-damage',
        description: 'ถนนเป็นหลุมลึกหน้าโรงเรียน',
        lat: 16.4312,
        lon: 102.8351,
        address: 'ถนนมิตรภาพ',
        contact: { phone: '0812345678' },
      },
    });
  });

  it('sends no contact for a signed-in person, and no empty address', () => {
    expect(checkComplaint({ ...good, signedIn: true, phone: 'nonsense', address: '  ' })).toEqual({
      body: { category: 'road-damage', description: 'ถนนเป็นหลุมลึกหน้าโรงเรียน', lat: 16.4312, lon: 102.8351 },
    });
  });

  it('explains each mistake beside its field', () => {
    expect(
      checkComplaint({
        ...good,
        category: '',
        description: '   ',
        lat: '',
        lon: 'east',
        address: 'ก'.repeat(501),
        name: 'x'.repeat(201),
        phone: '',
      }),
    ).toEqual({
      errors: {
        '/category': 'complaints.report.errors.category',
        '/description': 'form.errors.required',
        '/lat': 'complaints.report.errors.locationRequired',
        '/lon': 'complaints.report.errors.lon',
        '/address': 'complaints.report.errors.addressLong',
        '/contact/name': 'complaints.report.errors.nameLong',
        '/contact/email': 'form.errors.contactRequired',
      },
    });
    expect(checkComplaint({ ...good, lat: '91', lon: '-181' })).toEqual({
      errors: { '/lat': 'complaints.report.errors.lat', '/lon': 'complaints.report.errors.lon' },
    });
    expect(checkComplaint({ ...good, email: 'not-an-email', phone: '12345' })).toEqual({
      errors: { '/contact/email': 'form.errors.email', '/contact/phone': 'form.errors.phone' },
    });
    expect(checkComplaint({ ...good, category: "x' OR 1=1" })).toEqual({
      errors: { '/category': 'complaints.report.errors.category' },
    });
  });

  it('refuses a point outside the municipality (Bangkok)', () => {
    expect(checkComplaint({ ...good, lat: '13.75', lon: '100.5' })).toEqual({
      errors: { '/lat': 'complaints.report.errors.outside' },
    });
  });

  it('takes at most 4,000 characters and counts what is left', () => {
    expect(checkComplaint({ ...good, description: 'ก'.repeat(4000) })).toHaveProperty('body');
    expect(checkComplaint({ ...good, description: 'ก'.repeat(4001) })).toEqual({
      errors: { '/description': 'complaints.report.errors.descriptionLong' },
    });
    expect(descriptionLeft('')).toBe(4000);
    expect(descriptionLeft('ถนน')).toBe(3997);
    expect(descriptionLeft('x'.repeat(4010))).toBe(-10);
  });

  it('reads a reference as people type it', () => {
    expect(readReference(' kk-2569-000123 ')).toBe('KK-2569-000123');
    expect(readReference('KK-2569-123')).toBeNull();
    expect(readReference('../../api/me')).toBeNull();
  });
});
