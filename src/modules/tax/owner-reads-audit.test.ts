/**
 * Every read of an owner's record is audited, the owner's own reads included (issue 7): bills, their
 * QR and receipt, declarations and their photos, and an import's row errors.
 */
import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { testWebhookSecret } from '../../core/testing/index.ts';
import { qrPng } from './promptpay.ts';
import { taxTestApp } from './testing.ts';

const tax = taxTestApp();
let citizen: Record<string, string>;
let citizenId: string;
beforeAll(async () => {
  citizen = await tax.t.signIn('citizen');
  [{ id: citizenId }] = await tax.t.db.rows<{ id: string }>(
    sql`SELECT id FROM core_users WHERE email = 'citizen@demo.local'`,
  );
});

interface Row {
  actorId: string | null;
  resourceId: string | null;
  detail: Record<string, unknown>;
}
const rows = (action: string, resourceId?: string) =>
  tax.t.db.rows<Row>(
    sql`SELECT actor_id AS "actorId", resource_id AS "resourceId", detail FROM core_audit_log
      WHERE action = ${action} ${resourceId ? sql`AND resource_id = ${resourceId}` : sql``} ORDER BY id`,
  );
const get = (url: string, headers: Record<string, string>) =>
  tax.t.app.inject({ method: 'GET', url, headers });

function payment(billNumber: string, amount: string) {
  const at = Math.floor(Date.now() / 1000);
  const payload = JSON.stringify({
    transactionId: `AUDIT-${billNumber}`,
    billNumber,
    amount,
    paidAt: new Date().toISOString(),
  });
  const signature = createHmac('sha256', testWebhookSecret).update(`${at}.${payload}`).digest('hex');
  return {
    method: 'POST' as const,
    url: '/api/tax/payments/webhook',
    headers: {
      'content-type': 'application/json',
      'x-mueang-timestamp': String(at),
      'x-mueang-signature': signature,
    },
    payload,
  };
}

describe("a citizen's reads of their own bills are audited", () => {
  it('audits the list of my bills with the citizen as actor and the count', async () => {
    const before = (await rows('tax.bill.mine')).length;
    const mine = await tax.t.json({ method: 'GET', url: '/api/tax/mine', headers: citizen });
    expect(mine.status).toBe(200);
    const after = await rows('tax.bill.mine');
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ actorId: citizenId, detail: { count: mine.body.length } });
    expect(mine.body.length).toBeGreaterThan(0);
  });

  it('audits the bill, its QR and its receipt, each naming the part read; nothing for a refused read', async () => {
    const mine = (await tax.t.json({ method: 'GET', url: '/api/tax/mine', headers: citizen })).body;
    const sign = mine.find((b: { taxKind: string; status: string }) => b.taxKind === 'sign');
    expect(sign.status).toBe('open');

    expect((await get(`/api/tax/bills/${sign.id}`, citizen)).statusCode).toBe(200);
    expect((await get(`/api/tax/bills/${sign.id}/qr.png`, citizen)).statusCode).toBe(200);
    const paid = await tax.t.json(payment(sign.number, sign.amountDueBaht));
    expect(paid.body).toMatchObject({ status: 'matched', duplicate: false });
    const receipt = await get(`/api/tax/bills/${sign.id}/receipt.pdf`, citizen);
    expect(receipt.statusCode).toBe(200);
    expect(receipt.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    const reads = await rows('tax.bill.read', sign.id);
    expect(reads.map((r) => [r.actorId, r.detail.part])).toEqual([
      [citizenId, 'bill'],
      [citizenId, 'qr'],
      [citizenId, 'receipt'],
    ]);

    // Another owner's bill: 404 to the citizen and no audit row in their name.
    const all = await tax.t.json({ method: 'GET', url: '/api/tax/bills?year=2569', headers: tax.revenue });
    const company = all.body.find((b: { ownerName: string }) => b.ownerName.startsWith('บริษัท'));
    const staffReads = (await rows('tax.bill.read', company.id)).length;
    for (const part of ['', '/qr.png', '/receipt.pdf'])
      expect((await get(`/api/tax/bills/${company.id}${part}`, citizen)).statusCode).toBe(404);
    expect(await rows('tax.bill.read', company.id)).toHaveLength(staffReads);
    // A staff read is audited as before, naming the part.
    expect((await get(`/api/tax/bills/${company.id}`, tax.revenue)).statusCode).toBe(200);
    const staff = await rows('tax.bill.read', company.id);
    expect(staff).toHaveLength(staffReads + 1);
    expect(staff.at(-1)?.actorId).not.toBe(citizenId);
    expect(staff.at(-1)?.detail).toEqual({ part: 'bill' });
  });
});

describe("a declarant's reads of their own declarations are audited", () => {
  it('audits the list of my declarations and my own photo reads; not a refused read', async () => {
    const photo = (await qrPng('a real PNG image', 64)).toString('base64');
    const declared = await tax.t.json({
      method: 'POST',
      url: '/api/tax/declarations',
      headers: citizen,
      payload: {
        widthCm: 200,
        heightCm: 100,
        type: 1,
        moving: false,
        text: "ร้านตัดผม'; DROP TABLE tax_signs; --",
        location: { lon: 102.83, lat: 16.43 },
        photos: [{ contentType: 'image/png', data: photo }],
      },
    });
    expect(declared.status).toBe(201);
    const id = declared.body.id;

    const before = (await rows('tax.declaration.mine')).length;
    const mine = await tax.t.json({ method: 'GET', url: '/api/tax/declarations/mine', headers: citizen });
    expect(mine.body.some((d: { id: string }) => d.id === id)).toBe(true);
    const listed = await rows('tax.declaration.mine');
    expect(listed).toHaveLength(before + 1);
    expect(listed.at(-1)).toMatchObject({ actorId: citizenId, detail: { count: mine.body.length } });

    expect((await get(`/api/tax/declarations/${id}/photos/1`, citizen)).statusCode).toBe(200);
    // No second photo: 404, nothing audited.
    expect((await get(`/api/tax/declarations/${id}/photos/2`, citizen)).statusCode).toBe(404);
    // Another citizen: 404, nothing audited in their name.
    await tax.t.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: {
        displayName: 'Other',
        email: 'other-audit@example.org',
        password: 'a long password',
        consent: true,
      },
    });
    const other = await tax.t.signInAs('other-audit@example.org', 'a long password');
    expect((await get(`/api/tax/declarations/${id}/photos/1`, other)).statusCode).toBe(404);
    const photoReads = await rows('tax.sign.photo.read', id);
    expect(photoReads).toEqual([{ actorId: citizenId, resourceId: id, detail: { n: 1 } }]);
  });
});

describe('an import’s status is audited', () => {
  it('audits each read of an import with its row errors, and not an unknown import', async () => {
    const status = await tax.importFile(
      'signs',
      'ownerTaxId,ownerKind,ownerName,widthCm,heightCm,type,moving,text\n' +
        '1234567890123,person,นายทดสอบ,100,50,1,false,ป้าย\n',
    );
    expect(status.errors.length).toBeGreaterThan(0);
    const before = (await rows('tax.import.read', status.id)).length;
    expect(before).toBeGreaterThan(0);
    const again = await tax.t.json({
      method: 'GET',
      url: `/api/tax/imports/${status.id}`,
      headers: tax.revenue,
    });
    expect(again.body.errors).toEqual(status.errors);
    const reads = await rows('tax.import.read', status.id);
    expect(reads).toHaveLength(before + 1);
    expect(reads.at(-1)?.detail).toEqual({
      kind: 'signs',
      status: status.status,
      errors: status.errors.length,
    });
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await get(`/api/tax/imports/${unknown}`, tax.revenue)).statusCode).toBe(404);
    expect(await rows('tax.import.read', unknown)).toHaveLength(0);
    // A citizen may not read an import at all.
    expect((await get(`/api/tax/imports/${status.id}`, citizen)).statusCode).toBe(403);
    expect(await rows('tax.import.read', status.id)).toHaveLength(before + 1);
  });
});
