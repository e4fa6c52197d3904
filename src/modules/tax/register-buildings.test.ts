import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { taxTestApp, thaiId } from './testing.ts';

const app = taxTestApp();
let parcelId: string;
let ownerId: string;

const add = (id: string, payload: Record<string, unknown>, headers = app.revenue) =>
  app.t.json({ method: 'POST', url: `/api/tax/register/parcels/${id}/buildings`, headers, payload });
const versionOf = async (id: string) =>
  (await app.t.db.rows<{ version: number }>(sql`SELECT version FROM tax_parcels WHERE id = ${id}`))[0]
    .version;

beforeAll(async () => {
  const owner = await app.t.json({
    method: 'POST',
    url: '/api/tax/owners',
    headers: app.revenue,
    payload: { kind: 'person', taxId: thaiId('310990088001'), name: 'นางอาคาร เพิ่ม' },
  });
  ownerId = owner.body.id;
  const parcel = await app.t.json({
    method: 'POST',
    url: '/api/tax/parcels',
    headers: app.revenue,
    payload: {
      ownerId,
      deedKind: 'chanote',
      deedNo: 'BLD-ADD-1',
      area: { rai: 0, ngan: 2, wa: 0 },
      valuePerM2Baht: 1000,
      uses: [{ use: 'other', sharePercent: 100 }],
    },
  });
  expect(parcel.status).toBe(201);
  parcelId = parcel.body.id;
});

describe('adding a building to a parcel', () => {
  const good = { kind: 'ตึก', floorAreaM2: 80, costPerM2Baht: 8000, ageYears: 5, depreciationPercent: 10 };

  it('adds it, moves the parcel version on and audits the fields', async () => {
    const version = await versionOf(parcelId);
    const res = await add(parcelId, { version, buildingNo: ' B-1 ', ...good });
    expect(res.status).toBe(201);
    expect(res.body.parcelVersion).toBe(version + 1);
    const detail = await app.t.json({
      method: 'GET',
      url: `/api/tax/register/parcels/${parcelId}`,
      headers: app.revenue,
    });
    expect(detail.body.buildings).toHaveLength(1);
    const [entry] = await app.t.db.rows<{ detail: { parcelId: string; after: { buildingNo: string } } }>(
      sql`SELECT detail FROM core_audit_log WHERE action = 'tax.building.create' AND resource_id = ${res.body.id}`,
    );
    expect(entry.detail.parcelId).toBe(parcelId);
    expect(entry.detail.after.buildingNo).toBe('B-1');
  });

  it('refuses a stale parcel version with 409 and writes nothing', async () => {
    const version = await versionOf(parcelId);
    const res = await add(parcelId, { version: version - 1, ...good });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('tax.edit_stale');
    expect(await versionOf(parcelId)).toBe(version);
  });

  it('refuses a building number the parcel has beside the field', async () => {
    const res = await add(parcelId, { version: await versionOf(parcelId), buildingNo: 'B-1', ...good });
    expect(res.status).toBe(409);
    expect(res.body.errors[0].path).toBe('/buildingNo');
  });

  it('answers 404 for an unknown parcel and 400 for ugly input', async () => {
    expect((await add('00000000-0000-4000-8000-000000000000', { version: 1, ...good })).status).toBe(404);
    expect((await add('not-a-uuid', { version: 1, ...good })).status).toBe(400);
    const version = await versionOf(parcelId);
    for (const ugly of [
      { ...good, floorAreaM2: 0 },
      { ...good, floorAreaM2: '80' },
      { ...good, floorAreaM2: 1e12 },
      { ...good, ageYears: 1.5 },
      { ...good, depreciationPercent: 101 },
      { ...good, kind: '' },
      { ...good, kind: "x'; DROP TABLE tax_buildings; --".repeat(5) },
      { ...good, parcelId },
      { kind: 'ตึก' },
    ])
      expect((await add(parcelId, { version, ...ugly })).status).toBe(400);
    expect((await add(parcelId, { version, ...good, kind: '   ' })).body.errors[0].path).toBe('/kind');
    expect(await versionOf(parcelId)).toBe(version);
  });

  it('is for finance staff only', async () => {
    await app.t.json({
      method: 'POST',
      url: '/api/auth/signup',
      payload: {
        displayName: 'Citizen',
        email: 'citizen-bld@example.org',
        password: 'a long password',
        consent: true,
      },
    });
    const citizen = await app.t.signInAs('citizen-bld@example.org', 'a long password');
    const version = await versionOf(parcelId);
    expect((await add(parcelId, { version, ...good }, citizen)).status).toBe(403);
    expect((await add(parcelId, { version, ...good }, {})).status).toBe(401);
  });

  it('removes a building by its version, audited with what it was', async () => {
    const created = await add(parcelId, { version: await versionOf(parcelId), ...good, kind: 'ไม้' });
    const url = `/api/tax/register/buildings/${created.body.id}`;
    const staleRes = await app.t.json({ method: 'DELETE', url: `${url}?version=2`, headers: app.revenue });
    expect(staleRes.status).toBe(409);
    const before = await versionOf(parcelId);
    const res = await app.t.json({ method: 'DELETE', url: `${url}?version=1`, headers: app.revenue });
    expect(res.status).toBe(200);
    expect(res.body.parcelVersion).toBe(before + 1);
    const again = await app.t.json({ method: 'DELETE', url: `${url}?version=1`, headers: app.revenue });
    expect(again.status).toBe(404);
    const [entry] = await app.t.db.rows<{ detail: { before: { kind: string } } }>(
      sql`SELECT detail FROM core_audit_log WHERE action = 'tax.building.delete' AND resource_id = ${created.body.id}`,
    );
    expect(entry.detail.before.kind).toBe('ไม้');
  });
});
