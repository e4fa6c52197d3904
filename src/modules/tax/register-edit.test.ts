import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';
import { thaiId } from './testing.ts';

let t: TestApp;
let revenue: Record<string, string>;
let parcelId: string;
let buildingIds: string[];
let signId: string;
const first = { id: '', taxId: '' };
const second = { id: '', taxId: '' };

beforeAll(async () => {
  t = await testApp();
  revenue = await t.signInAs('revenue@demo.local');
  for (const [o, stem, name] of [
    [first, '310990077001', 'นางแก้ไข หนึ่ง'],
    [second, '010555077002', 'บริษัท แก้ไข จำกัด'],
  ] as const) {
    o.taxId = thaiId(stem);
    const res = await t.json({
      method: 'POST',
      url: '/api/tax/owners',
      headers: revenue,
      payload: { kind: stem.startsWith('0') ? 'juristic' : 'person', taxId: o.taxId, name },
    });
    expect(res.status).toBe(201);
    o.id = res.body.id;
  }
  const parcel = await t.json({
    method: 'POST',
    url: '/api/tax/parcels',
    headers: revenue,
    payload: {
      ownerId: first.id,
      deedKind: 'chanote',
      deedNo: 'EDIT-1',
      area: { rai: 1, ngan: 0, wa: 0 },
      valuePerM2Baht: 1000,
      uses: [{ use: 'residential', sharePercent: 100, mainHome: 'land-and-building' }],
      buildings: [
        { kind: 'ตึก', floorAreaM2: 120, costPerM2Baht: 9000, ageYears: 10, depreciationPercent: 20 },
        { kind: 'ไม้', floorAreaM2: 40, costPerM2Baht: 4000, ageYears: 30, depreciationPercent: 50 },
      ],
    },
  });
  expect(parcel.status).toBe(201);
  parcelId = parcel.body.id;
  buildingIds = (
    await t.db.rows<{ id: string }>(sql`SELECT id FROM tax_buildings WHERE parcel_id = ${parcelId}`)
  ).map((r) => r.id);
  await t.db.orm.execute(
    sql`UPDATE tax_buildings SET building_no = 'B' || kind WHERE parcel_id = ${parcelId}`,
  );
  const sign = await t.json({
    method: 'POST',
    url: '/api/tax/signs',
    headers: revenue,
    payload: { ownerId: first.id, widthCm: 200, heightCm: 100, type: 1, moving: false, text: 'ร้านแก้ไข' },
  });
  expect(sign.status).toBe(201);
  signId = sign.body.id;
});
afterAll(() => t?.close());

const patch = (kind: string, id: string, payload: unknown, headers = revenue) =>
  t.json({ method: 'PATCH', url: `/api/tax/register/${kind}/${id}`, headers, payload: payload as object });
const open = (kind: string, id: string) =>
  t.json({ method: 'GET', url: `/api/tax/register/${kind}/${id}`, headers: revenue });

describe('finance staff correct the register', () => {
  it('corrects a parcel: owner by tax ID, area, a value cleared to the table, uses; audited before and after', async () => {
    const before = await open('parcels', parcelId);
    expect(before.body.version).toBe(1);
    const res = await patch('parcels', parcelId, {
      version: 1,
      ownerTaxId: second.taxId,
      area: { rai: 0, ngan: 2, wa: 50 },
      valuePerM2Baht: null,
      appraisalZone: 'Z-EDIT',
      uses: [
        { use: 'residential', sharePercent: 50 },
        { use: 'other', sharePercent: 50 },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: parcelId, version: 2 });
    const after = await open('parcels', parcelId);
    expect(after.body).toMatchObject({
      version: 2,
      areaM2: 1000,
      valuePerM2: null,
      appraisalZone: 'Z-EDIT',
      appraisalBlock: null,
      owner: { id: second.id, taxId: second.taxId },
    });
    expect(after.body.uses).toHaveLength(2);
    const [entry] = await t.db.rows<{
      detail: { before: Record<string, unknown>; after: Record<string, unknown> };
    }>(
      sql`SELECT detail FROM core_audit_log WHERE action = 'tax.parcel.update' AND resource_id = ${parcelId}`,
    );
    expect(entry.detail.before).toMatchObject({
      ownerTaxId: first.taxId,
      areaM2: 1600,
      valuePerM2Baht: 1000,
    });
    expect(entry.detail.after).toMatchObject({
      ownerTaxId: second.taxId,
      areaM2: 1000,
      valuePerM2Baht: null,
    });
    // Fields left out are not in the audit's difference.
    expect(entry.detail.after).not.toHaveProperty('appraisalBlock');
  });

  it('refuses an edit made from a stale copy with a 409 problem and keeps the newer values', async () => {
    const res = await patch('parcels', parcelId, { version: 1, area: { rai: 9, ngan: 0, wa: 0 } });
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('tax.edit_stale');
    expect(res.body.detail).toBe('มีผู้อื่นแก้ไขรายการนี้หลังจากที่คุณเปิดอ่าน (ขณะนี้เป็นฉบับที่ 2) กรุณาเปิดใหม่แล้วแก้ไขอีกครั้ง');
    const en = await patch(
      'parcels',
      parcelId,
      { version: 1, area: { rai: 9, ngan: 0, wa: 0 } },
      { ...revenue, 'accept-language': 'en' },
    );
    expect(en.status).toBe(409);
    expect(en.body.detail).toBe('changed by someone else since it was read: now at version 2; open it again');
    expect((await open('parcels', parcelId)).body.areaM2).toBe(1000);
  });

  it('lets one of two edits from the same copy through, and refuses the other', async () => {
    const [a, b] = await Promise.all([
      patch('signs', signId, { version: 1, text: 'หนึ่ง' }),
      patch('signs', signId, { version: 1, text: 'สอง' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const sign = await open('signs', signId);
    expect(sign.body.version).toBe(2);
    expect(sign.body.text).toBe(a.status === 200 ? 'หนึ่ง' : 'สอง');
  });

  it('checks the owner tax ID and the parcel rules, and writes nothing when they fail', async () => {
    const current = (await open('parcels', parcelId)).body;
    const cases: [unknown, number, string][] = [
      [{ version: 2, ownerTaxId: '1234567890122' }, 400, 'tax.tax_id_invalid'],
      [{ version: 2, ownerTaxId: thaiId('399999999999') }, 400, 'tax.owner_unknown'],
      [{ version: 2, ownerTaxId: "1' OR '1'='1" }, 400, 'request.invalid'],
      [{ version: 2, uses: [{ use: 'other', sharePercent: 60 }] }, 400, 'tax.use_shares'],
      [
        { version: 2, uses: [{ use: 'other', sharePercent: 100, mainHome: 'land-and-building' }] },
        400,
        'request.invalid',
      ],
      [{ version: 2, appraisalZone: null, appraisalBlock: 'B1' }, 400, 'request.invalid'],
      [{ version: 2, area: { rai: 0, ngan: 0, wa: 0 } }, 400, 'request.invalid'],
      [{ version: 2, area: { rai: 0, ngan: 4, wa: 0 } }, 400, 'request.invalid'],
      [{ version: 'two', valuePerM2Baht: 1 }, 400, 'request.invalid'],
      [{ version: 2 }, 400, 'request.invalid'], // nothing to change
      [{ valuePerM2Baht: 1 }, 400, 'request.invalid'], // no version
      [{ version: 2, deedNo: 'X' }, 400, 'request.invalid'], // not editable here
      [{ version: 2, valuePerM2Baht: -1 }, 400, 'request.invalid'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await patch('parcels', parcelId, payload);
      expect([JSON.stringify(payload), res.status, res.body.code]).toEqual([
        JSON.stringify(payload),
        status,
        code,
      ]);
    }
    const huge = await patch('parcels', parcelId, { version: 2, appraisalZone: 'Z'.repeat(300_000) });
    expect(huge.status).toBe(413);
    expect((await open('parcels', parcelId)).body).toEqual(current);
  });

  it('keeps injection strings as text', async () => {
    const zone = "Z'); DROP TABLE tax_parcels; --";
    const res = await patch('parcels', parcelId, { version: 2, appraisalZone: zone });
    expect(res.status).toBe(200);
    expect((await open('parcels', parcelId)).body.appraisalZone).toBe(zone);
  });

  it('corrects a building, clearing its cost to the table; a number taken on the parcel is a conflict', async () => {
    const [b1, b2] = buildingIds;
    const res = await patch('buildings', b1, {
      version: 1,
      costPerM2Baht: null,
      ageYears: 11,
      kind: 'ตึก 2 ชั้น',
    });
    expect(res.status).toBe(200);
    const parcel = (await open('parcels', parcelId)).body;
    const edited = parcel.buildings.find((b: { id: string }) => b.id === b1);
    expect(edited).toMatchObject({ version: 2, costPerM2Baht: null, ageYears: 11, kind: 'ตึก 2 ชั้น' });
    const other = parcel.buildings.find((b: { id: string }) => b.id === b2);
    const taken = await patch('buildings', b1, { version: 2, buildingNo: other.buildingNo });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('tax.building_no_taken');
    const stale = await patch('buildings', b1, { version: 1, ageYears: 12 });
    expect(stale.body.code).toBe('tax.edit_stale');
    const wrong = await patch('buildings', b2, { version: 1, floorAreaM2: 0 });
    expect(wrong.status).toBe(400);
    const [entry] = await t.db.rows<{
      detail: { before: Record<string, unknown>; after: Record<string, unknown> };
    }>(sql`SELECT detail FROM core_audit_log WHERE action = 'tax.building.update' AND resource_id = ${b1}`);
    expect(entry.detail).toMatchObject({
      before: { costPerM2Baht: 9000, ageYears: 10 },
      after: { costPerM2Baht: null },
    });
  });

  it('corrects a sign and its owner link', async () => {
    const res = await patch('signs', signId, { version: 2, ownerTaxId: second.taxId, text: null, type: 3 });
    expect(res.status).toBe(200);
    const sign = (await open('signs', signId)).body;
    expect(sign).toMatchObject({ version: 3, text: null, type: 3, owner: { id: second.id } });
    const bad = await patch('signs', signId, { version: 3, type: 4 });
    expect(bad.status).toBe(400);
    const audited = await t.db.rows(
      sql`SELECT 1 FROM core_audit_log WHERE action = 'tax.sign.update' AND resource_id = ${signId}`,
    );
    expect(audited).toHaveLength(2);
  });

  it('an edit that changes nothing writes nothing', async () => {
    const sign = (await open('signs', signId)).body;
    const res = await patch('signs', signId, { version: sign.version, type: sign.type });
    expect(res.body).toEqual({ id: signId, version: sign.version });
  });

  it('is for finance staff only, and answers 404 for what does not exist', async () => {
    const officer = await t.signIn('officer');
    expect((await patch('signs', signId, { version: 3, moving: true }, officer)).status).toBe(403);
    const none = await patch('parcels', '00000000-0000-4000-8000-000000000000', {
      version: 1,
      valuePerM2Baht: 1,
    });
    expect(none.status).toBe(404);
    const badId = await patch('parcels', 'not-a-uuid', { version: 1, valuePerM2Baht: 1 });
    expect(badId.status).toBe(400);
    const anonymous = await t.json({
      method: 'PATCH',
      url: `/api/tax/register/signs/${signId}`,
      payload: { version: 3, moving: true },
    });
    expect(anonymous.status).toBe(401);
  });

  it('opens a building on its own, with its parcel, owner and bills; the read is audited', async () => {
    const [b1] = buildingIds;
    const res = await open('buildings', b1);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: b1,
      version: 2,
      kind: 'ตึก 2 ชั้น',
      costPerM2Baht: null,
      parcel: { id: parcelId, deedKind: 'chanote', deedNo: 'EDIT-1' },
      owner: { id: second.id, taxId: second.taxId },
      bills: [],
    });
    const audited = await t.db.rows(
      sql`SELECT 1 FROM core_audit_log WHERE action = 'tax.building.read' AND resource_id = ${b1}`,
    );
    expect(audited).toHaveLength(1);
    expect((await open('buildings', '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await open('buildings', "1' OR '1'='1")).status).toBe(400);
    const officer = await t.signIn('officer');
    const other = await t.json({ method: 'GET', url: `/api/tax/register/buildings/${b1}`, headers: officer });
    expect(other.status).toBe(403);
  });
});
