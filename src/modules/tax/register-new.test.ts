import { beforeAll, describe, expect, it } from 'vitest';
import { taxTestApp, thaiId } from './testing.ts';

const app = taxTestApp();
const taxId = thaiId('310990099001');
const post = (url: string, payload: Record<string, unknown>) =>
  app.t.json({ method: 'POST', url: `/api/tax/register/${url}`, headers: app.revenue, payload });
const parcel = {
  ownerTaxId: taxId,
  deedKind: 'chanote',
  deedNo: 'NEW-FORM-1',
  area: { rai: 0, ngan: 1, wa: 0 },
  uses: [
    { use: 'residential', sharePercent: 60 },
    { use: 'other', sharePercent: 40 },
  ],
  location: { lon: 102.83, lat: 16.43 },
};

beforeAll(async () => {
  const owner = await app.t.json({
    method: 'POST',
    url: '/api/tax/owners',
    headers: app.revenue,
    payload: { kind: 'person', taxId, name: 'นายฟอร์ม ใหม่' },
  });
  expect(owner.status).toBe(201);
});

describe('registering from the register screen, the owner by tax ID', () => {
  it('registers a mixed-use parcel and refuses its deed a second time beside /deedNo', async () => {
    const res = await post('parcels', parcel);
    expect(res.status).toBe(201);
    const again = await post('parcels', { ...parcel, deedNo: ' NEW-FORM-1 ' });
    expect(again.status).toBe(409);
    expect(again.body.errors[0].path).toBe('/deedNo');
  });

  it('refuses an unknown or mistyped owner beside /ownerTaxId', async () => {
    const unknown = await post('parcels', {
      ...parcel,
      deedNo: 'NEW-FORM-2',
      ownerTaxId: thaiId('399999999998'),
    });
    expect([unknown.status, unknown.body.code, unknown.body.errors[0].path]).toEqual([
      400,
      'tax.owner_unknown',
      '/ownerTaxId',
    ]);
    const wrong = await post('signs', {
      ownerTaxId: '1234567890123',
      widthCm: 100,
      heightCm: 50,
      textLanguage: 'thai-only',
      moving: false,
    });
    expect(wrong.body.code).toBe('tax.tax_id_invalid');
  });

  it('refuses ugly bodies (ownerId, shares, a point outside the city, an injection as deed kind)', async () => {
    for (const ugly of [
      { ...parcel, ownerId: '00000000-0000-4000-8000-000000000000' },
      { ...parcel, deedKind: "chanote'; --" },
      { ...parcel, location: { lon: 100.5, lat: 13.7 } },
      { ...parcel, area: { rai: -1, ngan: 0, wa: 0 } },
    ])
      expect((await post('parcels', { ...ugly, deedNo: 'NEW-FORM-3' })).status).toBe(400);
    const shares = await post('parcels', {
      ...parcel,
      deedNo: 'NEW-FORM-3',
      uses: [{ use: 'other', sharePercent: 50 }],
    });
    expect(shares.body.code).toBe('tax.use_shares');
  });

  it('registers a sign', async () => {
    const res = await post('signs', {
      ownerTaxId: taxId,
      widthCm: 200,
      heightCm: 100,
      textLanguage: 'thai-mixed',
      moving: true,
      text: 'ร้าน Form',
      location: { lon: 102.83, lat: 16.43 },
    });
    expect(res.status).toBe(201);
    const sign = await app.t.json({
      method: 'GET',
      url: `/api/tax/register/signs/${res.body.id}`,
      headers: app.revenue,
    });
    expect(sign.body.type).toBe(2);
  });
});
