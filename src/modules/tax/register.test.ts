import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';

let t: TestApp;
let revenue: Record<string, string>;
let ownerId: string;
const parcelIds: string[] = [];
beforeAll(async () => {
  t = await testApp();
  revenue = await t.signInAs('revenue@demo.local');
  const owner = await t.json({
    method: 'POST',
    url: '/api/tax/owners',
    headers: revenue,
    payload: { kind: 'juristic', taxId: '0105560000018', name: 'บริษัท ทะเบียน_ทดสอบ จำกัด' },
  });
  expect(owner.status).toBe(201);
  ownerId = owner.body.id;
  for (let i = 0; i < 25; i++) {
    const res = await t.json({
      method: 'POST',
      url: '/api/tax/parcels',
      headers: revenue,
      payload: {
        ownerId,
        deedKind: 'chanote',
        deedNo: `REG-${String(i).padStart(2, '0')}`,
        area: { rai: 0, ngan: 1, wa: 0 },
        valuePerM2Baht: 1000,
        uses: [{ use: 'other', sharePercent: 100 }],
        ...(i === 0
          ? {
              buildings: [
                { kind: 'ตึก', floorAreaM2: 80, costPerM2Baht: 8000, ageYears: 3, depreciationPercent: 3 },
              ],
              location: { lon: 102.83, lat: 16.43 },
            }
          : {}),
      },
    });
    expect(res.status).toBe(201);
    parcelIds.push(res.body.id);
  }
  const sign = await t.json({
    method: 'POST',
    url: '/api/tax/signs',
    headers: revenue,
    payload: { ownerId, widthCm: 200, heightCm: 100, type: 3, moving: false, text: 'REGISTER SHOP' },
  });
  expect(sign.status).toBe(201);
});
afterAll(() => t?.close());

const get = (url: string, headers = revenue) => t.json({ method: 'GET', url, headers });

describe('the register for finance staff', () => {
  it('lists parcels a page at a time and finds them by deed, owner name or tax ID', async () => {
    const page = await get('/api/tax/register/parcels?q=REG-&limit=10&offset=20');
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(25);
    expect(page.body.items.map((p: { deedNo: string }) => p.deedNo)).toEqual([
      'REG-20',
      'REG-21',
      'REG-22',
      'REG-23',
      'REG-24',
    ]);
    expect((await get('/api/tax/register/parcels?q=ทะเบียน_ทดสอบ')).body.total).toBe(25);
    expect((await get('/api/tax/register/parcels?q=0105560000018')).body.total).toBe(25);
    // A part of a tax ID does not list owners (only an exact ID does).
    expect((await get('/api/tax/register/parcels?q=01055600')).body.total).toBe(0);
    const all = await get('/api/tax/register/parcels');
    expect(all.body.total).toBeGreaterThanOrEqual(25);
    expect(all.body.items).toHaveLength(20);
  });

  it('takes search text literally: wildcards and injection strings match nothing', async () => {
    for (const q of ['%', "%' OR 1=1 --", "REG-'; DROP TABLE tax_parcels; --", '\\'])
      expect((await get(`/api/tax/register/parcels?q=${encodeURIComponent(q)}`)).body.total).toBe(0);
    expect((await get(`/api/tax/register/parcels?q=${encodeURIComponent('REG-0_')}`)).body.total).toBe(0);
    // The owner's name really has an underscore, and searching for it finds it.
    expect((await get(`/api/tax/register/parcels?q=${encodeURIComponent('_ทดสอบ')}`)).body.total).toBe(25);
  });

  it('opens one parcel with its owner, buildings and bills, and audits the read', async () => {
    await t.json({ method: 'POST', url: '/api/tax/assessments/2569', headers: revenue });
    const res = await get(`/api/tax/register/parcels/${parcelIds[0]}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      deedNo: 'REG-00',
      areaM2: 400,
      owner: { id: ownerId, kind: 'juristic', taxId: '0105560000018' },
      buildings: [{ kind: 'ตึก', floorAreaM2: 80, depreciationPercent: 3 }],
      bills: [{ taxYear: 2569, status: 'open' }],
    });
    expect(res.body.location.lon).toBeCloseTo(102.83, 6);
    const audited = await t.db.rows(
      sql`SELECT 1 FROM core_audit_log WHERE action = 'tax.parcel.read' AND resource_id = ${parcelIds[0]}`,
    );
    expect(audited).toHaveLength(1);
    const lists = await t.db.rows(sql`SELECT 1 FROM core_audit_log WHERE action = 'tax.register.list'`);
    expect(lists.length).toBeGreaterThan(0);
  });

  it('lists buildings and signs, and opens a sign', async () => {
    const buildings = await get('/api/tax/register/buildings?q=REG-00');
    expect(buildings.body).toMatchObject({ total: 1, items: [{ parcelId: parcelIds[0], kind: 'ตึก' }] });
    const signs = await get('/api/tax/register/signs?q=REGISTER%20SHOP');
    expect(signs.body.total).toBe(1);
    const sign = await get(`/api/tax/register/signs/${signs.body.items[0].id}`);
    expect(sign.body).toMatchObject({
      text: 'REGISTER SHOP',
      type: 3,
      owner: { id: ownerId },
      status: 'registered',
    });
  });

  it('refuses bad paging, unknown or malformed ids, citizens and other offices', async () => {
    expect((await get('/api/tax/register/parcels?limit=1000')).status).toBe(400);
    expect((await get('/api/tax/register/parcels?offset=-1')).status).toBe(400);
    expect((await get('/api/tax/register/parcels?limit=ten')).status).toBe(400);
    expect((await get(`/api/tax/register/parcels?q=${'x'.repeat(101)}`)).status).toBe(400);
    expect((await get('/api/tax/register/parcels?sort=1')).status).toBe(400);
    expect((await get('/api/tax/register/parcels/not-a-uuid')).status).toBe(400);
    expect((await get('/api/tax/register/parcels/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await get('/api/tax/register/signs/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await get('/api/tax/register/parcels', await t.signIn('citizen'))).status).toBe(403);
    expect((await get('/api/tax/register/parcels', await t.signIn('officer'))).status).toBe(403);
    expect((await t.json({ method: 'GET', url: '/api/tax/register/parcels' })).status).toBe(401);
  });
});
