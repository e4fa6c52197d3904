import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../../core/testing/index.ts';

let t: TestApp;
let revenue: Record<string, string>;
let parcelId: string;

beforeAll(async () => {
  t = await testApp();
  revenue = await t.signInAs('revenue@demo.local');
  const owner = await t.json({
    method: 'POST',
    url: '/api/tax/owners',
    headers: revenue,
    payload: { kind: 'person', taxId: '3109900770017', name: 'นางใช้ที่ดิน หลายแบบ' },
  });
  expect(owner.status).toBe(201);
  const parcel = await t.json({
    method: 'POST',
    url: '/api/tax/parcels',
    headers: revenue,
    payload: {
      ownerId: owner.body.id,
      deedKind: 'chanote',
      deedNo: 'USES-1',
      area: { rai: 1, ngan: 0, wa: 0 },
      valuePerM2Baht: 1000,
      uses: [{ use: 'residential', sharePercent: 100, mainHome: 'land-and-building' }],
    },
  });
  expect(parcel.status).toBe(201);
  parcelId = parcel.body.id;
});
afterAll(() => t?.close());

const patch = (payload: unknown) =>
  t.json({
    method: 'PATCH',
    url: `/api/tax/register/parcels/${parcelId}`,
    headers: revenue,
    payload: payload as object,
  });
const uses = async () =>
  (await t.json({ method: 'GET', url: `/api/tax/register/parcels/${parcelId}`, headers: revenue })).body;
const audits = () =>
  t.db.rows<{ detail: { before: { uses: unknown }; after: { uses: unknown }; version: number } }>(
    sql`SELECT detail FROM core_audit_log WHERE action = 'tax.parcel.update' AND resource_id = ${parcelId}
      ORDER BY id`,
  );

describe("finance staff add and remove a parcel's uses", () => {
  it('adds a use, re-sharing the land; audited with the uses before and after', async () => {
    const res = await patch({
      version: 1,
      uses: [
        { use: 'residential', sharePercent: 60, mainHome: 'land-and-building' },
        { use: 'other', sharePercent: 40 },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(2);
    expect((await uses()).uses).toEqual([
      { use: 'residential', sharePercent: 60, mainHome: 'land-and-building' },
      { use: 'other', sharePercent: 40 },
    ]);
    const [entry] = await audits();
    expect(entry.detail.before.uses).toEqual([
      { use: 'residential', sharePercent: 100, mainHome: 'land-and-building' },
    ]);
    expect(entry.detail.after.uses).toHaveLength(2);
    expect(entry.detail.version).toBe(2);
  });

  it('refuses uses that do not hold together, and writes nothing', async () => {
    const cases: [unknown[], string, string?][] = [
      [
        [
          { use: 'other', sharePercent: 50 },
          { use: 'other', sharePercent: 50 },
        ],
        'tax.use_duplicate',
        '/uses/1/use',
      ],
      [
        [
          { use: 'residential', sharePercent: 50, mainHome: 'land-and-building' },
          { use: 'residential', sharePercent: 50, mainHome: 'land-and-building' },
        ],
        'tax.use_duplicate',
        '/uses/1/use',
      ],
      [
        [
          { use: 'other', sharePercent: 40 },
          { use: 'agriculture', sharePercent: 40 },
        ],
        'tax.use_shares',
        '/uses',
      ],
      [[], 'request.invalid'],
      [
        ['agriculture', 'residential', 'other', 'vacant', 'other'].map((use) => ({ use, sharePercent: 20 })),
        'request.invalid',
      ],
      [[{ use: 'castle', sharePercent: 100 }], 'request.invalid'],
      [
        [
          { use: 'other', sharePercent: 0 },
          { use: 'vacant', sharePercent: 100 },
        ],
        'request.invalid',
      ],
    ];
    for (const [list, code, path] of cases) {
      const res = await patch({ version: 2, uses: list });
      expect(res.status, JSON.stringify(list)).toBe(400);
      expect(res.body.code).toBe(code);
      if (path) expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    expect((await uses()).version).toBe(2);
    expect(await audits()).toHaveLength(1);
  });

  it('lets a main home and another home share a parcel (they are different uses)', async () => {
    const res = await patch({
      version: 2,
      uses: [
        { use: 'residential', sharePercent: 60, mainHome: 'land-and-building' },
        { use: 'residential', sharePercent: 20 },
        { use: 'other', sharePercent: 20 },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(3);
  });

  it('removes uses down to one; audited', async () => {
    const res = await patch({ version: 3, uses: [{ use: 'other', sharePercent: 100 }] });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(4);
    expect((await uses()).uses).toEqual([{ use: 'other', sharePercent: 100 }]);
    const last = (await audits()).at(-1)!;
    expect(last.detail.before.uses).toHaveLength(3);
    expect(last.detail.after.uses).toEqual([{ use: 'other', sharePercent: 100 }]);
  });

  it('refuses adding or removing from a stale copy (409) and keeps the newer uses', async () => {
    for (const list of [
      [{ use: 'agriculture', sharePercent: 100 }],
      [
        { use: 'other', sharePercent: 50 },
        { use: 'vacant', sharePercent: 50, vacantYears: 3 },
      ],
    ]) {
      const res = await patch({ version: 3, uses: list });
      expect(res.status).toBe(409);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('tax.edit_stale');
    }
    const now = await uses();
    expect(now.version).toBe(4);
    expect(now.uses).toEqual([{ use: 'other', sharePercent: 100 }]);
    expect(await audits()).toHaveLength(3);
  });
});
