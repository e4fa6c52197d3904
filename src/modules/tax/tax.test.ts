import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp, testWebhookSecret } from '../../core/testing/index.ts';
import { parsePayload } from './promptpay.ts';

const jsQR = jsQRModule as unknown as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => { data: string } | null;

let t: TestApp;
let revenue: Record<string, string>;
beforeAll(async () => {
  t = await testApp();
  revenue = await t.signInAs('revenue@demo.local');
});
afterAll(() => t?.close());

function _signed(body: object, { secret = testWebhookSecret, at = Math.floor(Date.now() / 1000) } = {}) {
  const payload = JSON.stringify(body);
  const signature = createHmac('sha256', secret).update(`${at}.${payload}`).digest('hex');
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

const count = async (table: string) =>
  (await t.db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`))[0].n;

describe('citizen: my bills', () => {
  it('shows the demo citizen their own bills with the working and a valid Thai QR payload', async () => {
    const res = await t.json({ method: 'GET', url: '/api/tax/mine', headers: await t.signIn('citizen') });
    expect(res.status).toBe(200);
    expect(res.body.map((b: { taxKind: string }) => b.taxKind).sort()).toEqual(['land-building', 'sign']);
    const home = res.body.find((b: { taxKind: string }) => b.taxKind === 'land-building');
    expect(home).toMatchObject({ status: 'nothing_due', amountBaht: '0.00', promptpay: '' });
    expect(home.working.some((l: { th: string }) => l.th.includes('หักค่าเสื่อม 24%'))).toBe(true);
    const sign = res.body.find((b: { taxKind: string }) => b.taxKind === 'sign');
    expect(sign.amountBaht).toBe('200.00'); // 120 × 80 cm, type 1, static: the minimum
    expect(sign.working.at(-1).th).toContain('ขั้นต่ำ');
    // Due 30 April 2026: the QR asks for what is due today, the tax and its late charges (late.ts).
    expect(sign.amountDueSatang).toBe(sign.amountSatang + sign.surchargeSatang + sign.penaltySatang);
    const fields = parsePayload(sign.promptpay);
    expect(fields.get('54')).toBe(sign.amountDueBaht);
    expect(fields.get('30')).toContain(sign.number);
  });

  it('keeps other people’s bills from a citizen, and has nothing for a citizen without records', async () => {
    const bills = await t.json({
      method: 'GET',
      url: '/api/tax/bills?year=2569',
      headers: await t.tokenFor('admin'),
    });
    const company = bills.body.find((b: { ownerName: string }) => b.ownerName.startsWith('บริษัท'));
    const res = await t.json({
      method: 'GET',
      url: `/api/tax/bills/${company.id}`,
      headers: await t.signIn('citizen'),
    });
    expect(res.status).toBe(404);
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { displayName: 'New', email: 'new@example.org', password: 'a long password', consent: true },
    });
    const none = await t.json({
      method: 'GET',
      url: '/api/tax/mine',
      headers: await t.signInAs('new@example.org', 'a long password'),
    });
    expect(none.body).toEqual([]);
  });

  it('draws the bill’s QR code', async () => {
    const mine = await t.json({ method: 'GET', url: '/api/tax/mine', headers: await t.signIn('citizen') });
    const sign = mine.body.find((b: { taxKind: string }) => b.taxKind === 'sign');
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/tax/bills/${sign.id}/qr.png`,
      headers: await t.signIn('citizen'),
    });
    expect(res.headers['content-type']).toBe('image/png');
    const png = PNG.sync.read(res.rawPayload);
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(sign.promptpay);
    const home = mine.body.find((b: { taxKind: string }) => b.taxKind === 'land-building');
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/tax/bills/${home.id}/qr.png`,
          headers: await t.signIn('citizen'),
        })
      ).statusCode,
    ).toBe(409);
  });
});

describe('revenue staff: the register and assessment', () => {
  it('registers an owner, a parcel and a sign, and assesses only what is new', async () => {
    const owner = await t.json({
      method: 'POST',
      url: '/api/tax/owners',
      headers: revenue,
      payload: { kind: 'person', taxId: '3109900123453', name: 'นายทดสอบ ภาษี' },
    });
    expect(owner.status).toBe(201);
    const parcel = await t.json({
      method: 'POST',
      url: '/api/tax/parcels',
      headers: revenue,
      payload: {
        ownerId: owner.body.id,
        deedKind: 'chanote',
        deedNo: 'T-1',
        area: { rai: 1, ngan: 2, wa: 50 },
        valuePerM2Baht: 10_000,
        uses: [{ use: 'other', sharePercent: 100 }],
        location: { lon: 102.86, lat: 16.45 },
      },
    });
    expect(parcel.body).toMatchObject({ areaM2: 1600 + 800 + 200, zone: 'zone-2' });
    // Past a million bills the number grows a digit rather than losing one.
    await t.db.rows(sql`SELECT setval('tax_bill_seq', 999999)`);
    const run = await t.json({ method: 'POST', url: '/api/tax/assessments/2569', headers: revenue });
    expect(run.body.billsIssued).toBe(1);
    const [numbered] = await t.db.rows<{ number: string }>(
      sql`SELECT number FROM tax_bills WHERE parcel_id = ${parcel.body.id}`,
    );
    expect(numbered.number).toMatch(/2569(1000000)$/);
    const again = await t.json({ method: 'POST', url: '/api/tax/assessments/2569', headers: revenue });
    expect(again.body.billsIssued).toBe(0);
    // 2,600 m² × 10,000 = 26,000,000 baht, commercial: × 0.3% = 78,000 baht.
    const [bill] = await t.db.rows<{ amount: number }>(
      sql`SELECT amount_satang::float8 AS amount FROM tax_bills WHERE parcel_id = ${parcel.body.id}`,
    );
    expect(bill.amount).toBe(7_800_000);
  });

  it('refuses bad input with a clear problem and writes nothing', async () => {
    const before = await count('tax_owners');
    const badId = await t.json({
      method: 'POST',
      url: '/api/tax/owners',
      headers: revenue,
      payload: { kind: 'person', taxId: '1234567890122', name: 'X' },
    });
    expect(badId.body.code).toBe('tax.tax_id_invalid');
    const injection = await t.json({
      method: 'POST',
      url: '/api/tax/owners',
      headers: revenue,
      payload: { kind: 'person', taxId: "1' OR '1'='1", name: 'X' },
    });
    expect(injection.status).toBe(400);
    expect(await count('tax_owners')).toBe(before);
    const [owner] = await t.db.rows<{ id: string }>(sql`SELECT id FROM tax_owners LIMIT 1`);
    const shares = await t.json({
      method: 'POST',
      url: '/api/tax/parcels',
      headers: revenue,
      payload: {
        ownerId: owner.id,
        deedKind: 'ns3',
        deedNo: 'T-2',
        area: { rai: 0, ngan: 1, wa: 0 },
        valuePerM2Baht: 1,
        uses: [{ use: 'other', sharePercent: 60 }],
      },
    });
    expect(shares.body.code).toBe('tax.use_shares');
    const outside = await t.json({
      method: 'POST',
      url: '/api/tax/parcels',
      headers: revenue,
      payload: {
        ownerId: owner.id,
        deedKind: 'ns3',
        deedNo: 'T-3',
        area: { rai: 0, ngan: 1, wa: 0 },
        valuePerM2Baht: 1,
        uses: [{ use: 'other', sharePercent: 100 }],
        location: { lon: 100.5, lat: 13.7 },
      },
    });
    expect(outside.status).toBe(400);
  });

  it('keeps the register to the finance office: a clerk officer is refused, an executive may read reports', async () => {
    const clerk = await t.json({
      method: 'POST',
      url: '/api/tax/owners',
      headers: await t.signIn('officer'),
      payload: { kind: 'person', taxId: '3109900123453', name: 'X' },
    });
    expect(clerk.status).toBe(403);
    const report = await t.json({
      method: 'GET',
      url: '/api/tax/reports/2569',
      headers: await t.signIn('executive'),
    });
    expect(report.status).toBe(200);
    expect(report.body.billedSatang).toBeGreaterThan(0);
    expect(report.body.rows.some((r: { zone: string | null }) => r.zone === 'zone-1')).toBe(true);
  });

  it('audits a staff read of an owner’s bill', async () => {
    const mine = await t.json({ method: 'GET', url: '/api/tax/mine', headers: await t.signIn('citizen') });
    // The citizen's own reads are audited too (owner-reads-audit.test.ts): count the staff read alone.
    const reads = () =>
      t.db.rows<{ detail: unknown }>(
        sql`SELECT detail FROM core_audit_log WHERE action = 'tax.bill.read' AND resource_id = ${mine.body[0].id} ORDER BY id`,
      );
    const before = (await reads()).length;
    await t.app.inject({ method: 'GET', url: `/api/tax/bills/${mine.body[0].id}`, headers: revenue });
    const rows = await reads();
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)?.detail).toEqual({ part: 'bill' });
  });
});
