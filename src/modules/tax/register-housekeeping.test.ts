import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { qrPng } from './promptpay.ts';
import { taxTestApp, thaiId } from './testing.ts';

const tax = taxTestApp();
let png = '';
beforeAll(async () => {
  png = (await qrPng('a sign photo', 64)).toString('base64');
});

const post = (url: string, payload: object, headers = tax.revenue) =>
  tax.t.json({ method: 'POST', url, headers, payload });
const audits = (action: string, id: string) =>
  tax.t.db.rows<{ detail: Record<string, unknown> }>(
    sql`SELECT detail FROM core_audit_log WHERE action = ${action} AND resource_id = ${id} ORDER BY at`,
  );
async function newOwner(taxId: string, name: string, kind = 'person', address?: string) {
  const res = await post('/api/tax/owners', { kind, taxId, name, address });
  expect(res.status).toBe(201);
  return res.body.id as string;
}
/** An owner with an ID that fails the check digit, as an old import could leave one (the API refuses them). */
async function legacyOwner(taxId: string, name: string, kind = 'person') {
  const [row] = await tax.t.db.rows<{ id: string }>(
    sql`INSERT INTO tax_owners (kind, tax_id, name) VALUES (${kind}, ${taxId}, ${name}) RETURNING id`,
  );
  return row.id;
}
/** A valid ID with its check digit changed: an ID that fails the check. */
const mistyped = (id: string) => id.slice(0, 12) + String((Number(id[12]) + 1) % 10);
async function newSign(ownerId: string) {
  const res = await post('/api/tax/signs', {
    ownerId,
    widthCm: 100,
    heightCm: 50,
    moving: false,
    type: 1,
    text: 'ร้าน',
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe("finance staff remove a sign's photo", () => {
  it('removes the n-th photo with the version read, audited, the file gone after commit; stale and missing refused', async () => {
    const owner = await newOwner(thaiId('310990066001'), 'นางรูป ถ่าย');
    const id = await newSign(owner);
    const added = await post(`/api/tax/register/signs/${id}/photos`, {
      version: 1,
      photos: [
        { contentType: 'image/png', data: png },
        { contentType: 'image/png', data: png },
      ],
    });
    expect(added.body).toEqual({ id, version: 2, photos: 2 });
    const [before] = await tax.t.db.rows<{ photos: string[] }>(
      sql`SELECT photos FROM tax_signs WHERE id = ${id}`,
    );
    const dir = join(tax.t.config.DATA_DIR, 'uploads/tax');
    const remove = (n: number | string, version: number | string, headers = tax.revenue) =>
      tax.t.json({
        method: 'DELETE',
        url: `/api/tax/register/signs/${id}/photos/${n}?version=${version}`,
        headers,
      });

    const stale = await remove(1, 1);
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('tax.edit_stale');
    expect(existsSync(join(dir, before.photos[0]))).toBe(true);
    expect((await remove(3, 2)).status).toBe(404);
    for (const [n, v] of [
      [0, 2],
      [6, 2],
      ['x', 2],
      [1, 'x'],
      [1, 0],
    ])
      expect((await remove(n, v)).status).toBe(400);
    expect((await remove(1, 2, await tax.t.signIn('citizen'))).status).toBe(403);
    expect((await remove(1, 2, await tax.t.signIn('executive'))).status).toBe(403);
    expect(
      (await tax.t.json({ method: 'DELETE', url: `/api/tax/register/signs/${id}/photos/1?version=2` }))
        .status,
    ).toBe(401);

    const ok = await remove(1, 2);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ id, version: 3, photos: 1 });
    const [after] = await tax.t.db.rows<{ photos: string[] }>(
      sql`SELECT photos FROM tax_signs WHERE id = ${id}`,
    );
    expect(after.photos).toEqual([before.photos[1]]);
    expect(existsSync(join(dir, before.photos[0]))).toBe(false);
    expect(existsSync(join(dir, before.photos[1]))).toBe(true);
    expect((await remove(1, 2)).status).toBe(409);
    expect(await audits('tax.sign.photo.remove', id)).toEqual([
      { detail: { n: 1, before: { photos: 2 }, after: { photos: 1 }, version: 3 } },
    ]);
    const missing = await tax.t.json({
      method: 'DELETE',
      url: '/api/tax/register/signs/00000000-0000-4000-8000-000000000000/photos/1?version=1',
      headers: tax.revenue,
    });
    expect(missing.status).toBe(404);
  });
});

describe('two records of one person merged in one step', () => {
  const merge = (id: string, payload: object, headers = tax.revenue) =>
    post(`/api/tax/register/owners/${id}/merge`, payload, headers);
  const version = async (id: string) =>
    (await tax.t.db.rows<{ version: number }>(sql`SELECT version FROM tax_owners WHERE id = ${id}`))[0]
      ?.version;

  it('moves parcels, signs and bills to the kept owner, removes the other, audits both; paid bills keep their payer name', async () => {
    const rightId = thaiId('310990066011');
    const keptTaxId = mistyped(rightId);
    const kept = await legacyOwner(keptTaxId, 'นายสอง ระเบียน');
    const other = await newOwner(rightId, 'นายสอง ระเบียน (ซ้ำ)', 'person', '5 ถนนกลางเมือง');
    const sign = await newSign(other);
    const keptSign = await newSign(kept);
    const parcel = await post('/api/tax/parcels', {
      ownerId: other,
      deedKind: 'chanote',
      deedNo: 'MERGE-1',
      area: { rai: 0, ngan: 1, wa: 0 },
      valuePerM2Baht: 1000,
      uses: [{ use: 'residential', sharePercent: 100, mainHome: 'land-and-building' }],
    });
    expect(parcel.status).toBe(201);
    await tax.t.db.rows(sql`
      INSERT INTO tax_bills (number, tax_year, tax_kind, owner_id, sign_id, amount_satang, working, due_date, status, paid_at, payer_name)
      VALUES ('MRG-OPEN', 2569, 'sign', ${other}, ${sign}, 20000, '[]'::jsonb, '2026-04-30', 'open', NULL, NULL),
        ('MRG-PAID', 2568, 'sign', ${other}, ${sign}, 20000, '[]'::jsonb, '2025-04-30', 'paid', now(), 'นายสอง ระเบียน (ซ้ำ)')`);

    const stale = await merge(kept, { from: other, version: 1, fromVersion: 2 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('tax.edit_stale');
    const res = await merge(kept, { from: other, version: 1, fromVersion: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: kept, version: 2, moved: { parcels: 1, signs: 1, bills: 2 } });

    const owner = await tax.t.json({
      method: 'GET',
      url: `/api/tax/register/owners/${kept}`,
      headers: tax.revenue,
    });
    // The kept record takes the only valid ID and the address it lacked.
    expect(owner.body).toMatchObject({
      taxId: rightId,
      name: 'นายสอง ระเบียน',
      address: '5 ถนนกลางเมือง',
      parcels: 1,
      signs: 2,
    });
    expect(await version(other)).toBeUndefined();
    const bills = await tax.t.db.rows<{ number: string; ownerId: string; payerName: string | null }>(
      sql`SELECT number, owner_id AS "ownerId", payer_name AS "payerName" FROM tax_bills WHERE number LIKE 'MRG-%' ORDER BY number`,
    );
    expect(bills).toEqual([
      { number: 'MRG-OPEN', ownerId: kept, payerName: null },
      { number: 'MRG-PAID', ownerId: kept, payerName: 'นายสอง ระเบียน (ซ้ำ)' },
    ]);
    const [signRow] = await tax.t.db.rows<{ ownerId: string; version: number }>(
      sql`SELECT owner_id AS "ownerId", version FROM tax_signs WHERE id = ${sign}`,
    );
    expect(signRow).toEqual({ ownerId: kept, version: 2 });

    const [entry] = await audits('tax.owner.merge', kept);
    expect(entry.detail).toMatchObject({
      from: other,
      before: { taxId: keptTaxId, address: null },
      after: { taxId: rightId, address: '5 ถนนกลางเมือง' },
      moved: {
        parcels: [parcel.body.id],
        signs: [sign],
        openBills: [expect.any(String)],
        otherBills: [expect.any(String)],
      },
      version: 2,
    });
    expect((await audits('tax.owner.merged', other))[0].detail).toMatchObject({
      into: kept,
      before: { taxId: rightId, name: 'นายสอง ระเบียน (ซ้ำ)', version: 1 },
      after: null,
    });
    // The kept sign was not touched.
    expect(
      (await tax.t.db.rows<{ v: number }>(sql`SELECT version AS v FROM tax_signs WHERE id = ${keptSign}`))[0]
        .v,
    ).toBe(1);
    // Merging the removed record again finds nothing.
    expect((await merge(kept, { from: other, version: 2, fromVersion: 1 })).status).toBe(404);
  });

  it('refuses two valid IDs, a person with a company, two main homes and itself, changing nothing', async () => {
    const a = await newOwner(thaiId('310990066021'), 'นายหนึ่ง');
    const b = await newOwner(thaiId('310990066022'), 'นายสอง');
    const en = { ...tax.revenue, 'accept-language': 'en' };
    const ids = await merge(a, { from: b, version: 1, fromVersion: 1 }, en);
    expect(ids.status).toBe(409);
    expect(ids.body).toMatchObject({ code: 'tax.merge_ids_differ', errors: [{ path: '/from' }] });
    expect(ids.body.detail).toContain('two people');
    const th = await merge(
      a,
      { from: b, version: 1, fromVersion: 1 },
      { ...tax.revenue, 'accept-language': 'th' },
    );
    expect(th.body.detail).toContain('คนละคน');

    const company = await legacyOwner(mistyped(thaiId('010555066023')), 'บริษัท ซ้ำ จำกัด', 'juristic');
    const kinds = await merge(a, { from: company, version: 1, fromVersion: 1 });
    expect(kinds.status).toBe(409);
    expect(kinds.body.code).toBe('tax.merge_kinds_differ');

    const dup = await legacyOwner(mistyped(thaiId('310990066023')), 'นายหนึ่ง (ซ้ำ)');
    const home = (ownerId: string, deedNo: string) =>
      tax.t.db.rows(sql`INSERT INTO tax_parcels (owner_id, deed_kind, deed_no, area_m2, value_per_m2, uses)
        VALUES (${ownerId}, 'chanote', ${deedNo}, 400, 1000, '[{"use":"residential","sharePercent":100,"mainHome":"land-and-building"}]'::jsonb)`);
    await home(a, 'MERGE-H1');
    await home(dup, 'MERGE-H2');
    const homes = await merge(a, { from: dup, version: 1, fromVersion: 1 });
    expect(homes.status).toBe(409);
    expect(homes.body.code).toBe('tax.main_home_taken');

    const self = await merge(a, { from: a, version: 1, fromVersion: 1 });
    expect(self.status).toBe(422);
    expect(self.body.code).toBe('tax.merge_self');
    for (const bad of [
      { from: "x' OR '1'='1", version: 1, fromVersion: 1 },
      { from: dup, version: 'one', fromVersion: 1 },
      { from: dup, version: 1 },
      { from: dup, version: 1, fromVersion: 1, extra: true },
      { from: dup, version: 1e12, fromVersion: 1 },
    ]) {
      expect((await merge(a, bad)).status).toBe(400);
    }
    expect(
      (await merge('00000000-0000-4000-8000-000000000000', { from: dup, version: 1, fromVersion: 1 })).status,
    ).toBe(404);
    expect(
      (await merge(a, { from: dup, version: 1, fromVersion: 1 }, await tax.t.signIn('citizen'))).status,
    ).toBe(403);
    expect(
      (await merge(a, { from: dup, version: 1, fromVersion: 1 }, await tax.t.signIn('executive'))).status,
    ).toBe(403);
    const anonymous = await tax.t.json({
      method: 'POST',
      url: `/api/tax/register/owners/${a}/merge`,
      payload: { from: dup, version: 1, fromVersion: 1 },
    });
    expect(anonymous.status).toBe(401);
    for (const id of [a, b, company, dup]) expect(await version(id)).toBe(1);
    expect(await audits('tax.owner.merge', a)).toEqual([]);
  });
});
