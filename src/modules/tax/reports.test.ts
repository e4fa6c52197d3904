import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testWebhookSecret } from '../../core/testing/index.ts';
import { bahtText } from './baht-text.ts';
import { amountDue } from './late.ts';
import { taxModule } from './module.ts';
import { qrPng } from './promptpay.ts';
import { defaultRates } from './rates.ts';
import { taxTestApp, thaiId } from './testing.ts';

const tax = taxTestApp();
const year = new Date().getFullYear() + 543; // what the KPIs read: the current Thai tax year
const kpi = (id: string) => taxModule.kpis!.find((k) => k.id === id)!;

function signed(body: object) {
  const at = Math.floor(Date.now() / 1000);
  const payload = JSON.stringify(body);
  return {
    method: 'POST' as const,
    url: '/api/tax/payments/webhook',
    headers: {
      'content-type': 'application/json',
      'x-mueang-timestamp': String(at),
      'x-mueang-signature': createHmac('sha256', testWebhookSecret).update(`${at}.${payload}`).digest('hex'),
    },
    payload,
  };
}
const pay = async (billNumber: string, amountSatang: number, paidAt: string) => {
  const res = await tax.t.json(
    signed({ transactionId: `R-${billNumber}`, billNumber, amount: (amountSatang / 100).toFixed(2), paidAt }),
  );
  expect(res.body.status).toBe('matched');
};

/** The code of the zone a point lies in, as the org's own table says. */
const zoneAt = async (lon: number, lat: number) =>
  (
    await tax.t.db.rows<{ code: string }>(
      sql`SELECT code FROM core_zones WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)) ORDER BY code LIMIT 1`,
    )
  )[0]?.code;
const signZone = async (id: string) =>
  (
    await tax.t.db.rows<{ zone: string | null }>(
      sql`SELECT zone_code AS zone FROM tax_signs WHERE id = ${id}`,
    )
  )[0].zone;

let made = 0;
async function owner(taxId?: string) {
  made += 1;
  const res = await tax.t.json({
    method: 'POST',
    url: '/api/tax/owners',
    headers: tax.revenue,
    payload: {
      kind: 'person',
      taxId: taxId ?? thaiId(`31099008${String(made).padStart(4, '0')}`),
      name: `นายรายงาน ${made}`,
    },
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}
/** A commercial parcel of its own (value × 4,000 m²) assessed for the year: its bill as staff see it. */
async function parcelBill(ownerId: string, valuePerM2Baht: number) {
  const { t, revenue } = tax;
  const parcel = await t.json({
    method: 'POST',
    url: '/api/tax/parcels',
    headers: revenue,
    payload: {
      ownerId,
      deedKind: 'chanote',
      deedNo: `REPORT-${++made}`,
      area: { rai: 2, ngan: 2, wa: 0 },
      valuePerM2Baht,
      uses: [{ use: 'other', sharePercent: 100 }],
    },
  });
  expect(parcel.status).toBe(201);
  await t.json({ method: 'POST', url: `/api/tax/assessments/${year}`, headers: revenue });
  const [own] = await t.db.rows<{ id: string }>(
    sql`SELECT id FROM tax_bills WHERE parcel_id = ${parcel.body.id}`,
  );
  return (await t.json({ method: 'GET', url: `/api/tax/bills/${own.id}`, headers: revenue })).body;
}
const report = async () =>
  (await tax.t.json({ method: 'GET', url: `/api/tax/reports/${year}`, headers: tax.revenue })).body;

describe('sign zones', () => {
  it('gives a sign the zone of its point on create, correction, import and an accepted ภ.ป.1, and reports its bill there', async () => {
    const { t, revenue } = tax;
    const [a, b] = [
      { lon: 102.818, lat: 16.445 },
      { lon: 102.861, lat: 16.401 },
    ];
    const [zoneA, zoneB] = [await zoneAt(a.lon, a.lat), await zoneAt(b.lon, b.lat)];
    expect(zoneA).toBeTruthy();
    expect(zoneB).toBeTruthy();
    expect(zoneA).not.toBe(zoneB);
    const ownerId = await owner();
    const created = await t.json({
      method: 'POST',
      url: '/api/tax/signs',
      headers: revenue,
      payload: {
        ownerId,
        widthCm: 500,
        heightCm: 200,
        type: 2,
        moving: false,
        text: 'ZONE SIGN',
        location: a,
      },
    });
    expect(created.status).toBe(201);
    expect(await signZone(created.body.id)).toBe(zoneA);
    const none = await t.json({
      method: 'POST',
      url: '/api/tax/signs',
      headers: revenue,
      payload: { ownerId, widthCm: 100, heightCm: 100, type: 1, moving: false, text: 'NO POINT' },
    });
    expect(await signZone(none.body.id)).toBeNull();

    await t.json({ method: 'POST', url: `/api/tax/assessments/${year}`, headers: revenue });
    const rowOf = (r: { rows: { taxKind: string; zone: string | null; bills: number }[] }, zone: string) =>
      r.rows.find((x) => x.taxKind === 'sign' && x.zone === zone)?.bills ?? 0;
    const before = await report();
    expect(rowOf(before, zoneA!)).toBeGreaterThanOrEqual(1);

    // Corrected to another point: the sign and its bill move to that zone; cleared, it has none.
    const read = await t.json({
      method: 'GET',
      url: `/api/tax/register/signs/${created.body.id}`,
      headers: revenue,
    });
    const moved = await t.json({
      method: 'PATCH',
      url: `/api/tax/register/signs/${created.body.id}`,
      headers: revenue,
      payload: { version: read.body.version, location: b },
    });
    expect(moved.status).toBe(200);
    expect(await signZone(created.body.id)).toBe(zoneB);
    const shown = await t.json({
      method: 'GET',
      url: `/api/tax/register/signs/${created.body.id}`,
      headers: revenue,
    });
    expect(shown.body).toMatchObject({ zone: zoneB, location: b });
    const after = await report();
    expect(rowOf(after, zoneA!)).toBe(rowOf(before, zoneA!) - 1);
    expect(rowOf(after, zoneB!)).toBe(rowOf(before, zoneB!) + 1);
    const [audit] = await t.db.rows<{
      detail: { before: { location: unknown }; after: { location: unknown } };
    }>(
      sql`SELECT detail FROM core_audit_log WHERE action = 'tax.sign.update' AND resource_id = ${created.body.id}`,
    );
    expect(audit.detail.after.location).toEqual(b);
    const outside = await t.json({
      method: 'PATCH',
      url: `/api/tax/register/signs/${created.body.id}`,
      headers: revenue,
      payload: { version: moved.body.version, location: { lon: 100.5, lat: 13.7 } },
    });
    expect(outside.status).toBe(400);
    const cleared = await t.json({
      method: 'PATCH',
      url: `/api/tax/register/signs/${created.body.id}`,
      headers: revenue,
      payload: { version: moved.body.version, location: null },
    });
    expect(cleared.status).toBe(200);
    expect(await signZone(created.body.id)).toBeNull();

    const imported = await tax.importFile(
      'signs',
      [
        'ownerTaxId,ownerKind,ownerName,widthCm,heightCm,type,moving,text,lon,lat',
        `${thaiId('310990090001')},person,นายนำเข้า,300,100,2,false,ป้ายนำเข้า,${b.lon},${b.lat}`,
      ].join('\n'),
    );
    expect(imported).toMatchObject({ status: 'done', imported: 1 });
    const [fromFile] = await t.db.rows<{ zone: string | null }>(
      sql`SELECT zone_code AS zone FROM tax_signs WHERE text_content = 'ป้ายนำเข้า'`,
    );
    expect(fromFile.zone).toBe(zoneB);

    const citizen = await t.signIn('citizen');
    const png = (await qrPng('a sign photo', 64)).toString('base64');
    const declared = await t.json({
      method: 'POST',
      url: '/api/tax/declarations',
      headers: citizen,
      payload: {
        widthCm: 200,
        heightCm: 100,
        type: 1,
        moving: false,
        text: 'ร้านประกาศ',
        location: a,
        photos: [{ contentType: 'image/png', data: png }],
      },
    });
    expect(declared.status).toBe(201);
    await t.json({
      method: 'POST',
      url: `/api/tax/declarations/${declared.body.id}/accept`,
      headers: revenue,
    });
    expect(await signZone(declared.body.id)).toBe(zoneA);
  });

  it('backfills the zone of signs registered before it was kept (migration 0024)', async () => {
    const { t } = tax;
    await t.db.rows(sql`UPDATE tax_signs SET zone_code = NULL`);
    const migration = readFileSync(join(import.meta.dirname, 'migrations/0024_sign_zones.sql'), 'utf8');
    await t.db.rows(sql.raw(migration.slice(migration.indexOf('UPDATE'))));
    const wrong = await t.db.rows(sql`
      SELECT s.id FROM tax_signs s WHERE s.zone_code IS DISTINCT FROM
        (SELECT z.code FROM core_zones z WHERE ST_Covers(z.geom, s.location) ORDER BY z.code LIMIT 1)`);
    expect(wrong).toEqual([]);
    const [n] = await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM tax_signs WHERE zone_code IS NOT NULL`,
    );
    expect(n.n).toBeGreaterThan(0);
  });
});

const dir = mkdtempSync(join(tmpdir(), 'mueang-receipt-'));
/** The PDF's text, SARA AM and tone marks put back in Unicode order (as in bill-notice.test.ts). */
function pdfText(pdf: Buffer) {
  const file = join(dir, `r${++made}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })
    .replaceAll('ำา', 'ำ')
    .replace(/([\u0E48-\u0E4B])([\u0E31\u0E34-\u0E37\u0E47])/g, '$2$1');
}
const figure = (satang: number) =>
  (satang / 100).toLocaleString('th-TH', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * Plans a bill's instalments as if asked within its payment period (a 2569 bill is past due now, and
 * planning is refused then): the bill is moved to 2099 for the request and back, its instalments too.
 */
async function planInPeriod(billId: string, headers: Record<string, string>) {
  const { t } = tax;
  await t.db.orm.execute(
    sql`UPDATE tax_bills SET due_date = due_date + interval '73 years' WHERE id = ${billId}`,
  );
  const planned = await t.json({ method: 'POST', url: `/api/tax/bills/${billId}/instalments`, headers });
  await t.db.orm.execute(
    sql`UPDATE tax_bills SET due_date = due_date - interval '73 years' WHERE id = ${billId}`,
  );
  await t.db.orm.execute(
    sql`UPDATE tax_instalments SET due_date = due_date - interval '73 years' WHERE bill_id = ${billId}`,
  );
  for (const i of planned.body.instalments ?? [])
    i.dueDate = `${Number(i.dueDate.slice(0, 4)) - 73}${i.dueDate.slice(4)}`;
  return planned;
}

describe('collected, outstanding and the KPIs', () => {
  it('counts a part-paid instalment bill and a late-paid bill as money received, charges in their own columns', async () => {
    const { t, revenue } = tax;
    const rate = kpi('tax-collection-rate');
    const revenueKpi = kpi('tax-revenue-collected');
    expect(rate.dimension ?? taxModule.dimension).toBe('governance');
    expect(revenueKpi.dimension).toBe('economy');
    // Whatever earlier tests registered is billed first, so the deltas are this test's bills alone.
    await t.json({ method: 'POST', url: `/api/tax/assessments/${year}`, headers: revenue });
    const base = await report();
    const baseRevenue = (await revenueKpi.compute(t.db)) ?? 0;

    const split = await parcelBill(await owner(), 5_000);
    const late = await parcelBill(await owner(), 2_000);
    const planned = await planInPeriod(split.id, revenue);
    expect(planned.status).toBe(201);
    const first = planned.body.instalments[0];
    const firstSatang = Math.round(Number(first.amountBaht) * 100);
    await pay(first.number, firstSatang, '2026-04-20T03:00:00Z'); // before its due date: the tax alone
    const day = '2026-07-15';
    const owed = amountDue(late, day, defaultRates().late.landBuilding);
    expect(owed.surchargeSatang + owed.penaltySatang).toBeGreaterThan(0);
    await pay(late.number, owed.totalSatang, `${day}T03:00:00Z`);

    const now = await report();
    const delta = (key: string) => now[key] - base[key];
    expect(delta('billedSatang')).toBe(split.amountSatang + late.amountSatang);
    expect(delta('collectedSatang')).toBe(firstSatang + late.amountSatang);
    expect(delta('surchargeCollectedSatang')).toBe(owed.surchargeSatang);
    expect(delta('penaltyCollectedSatang')).toBe(owed.penaltySatang);
    expect(delta('receivedSatang')).toBe(firstSatang + owed.totalSatang);
    expect(delta('outstandingSatang')).toBe(split.amountSatang - firstSatang);
    expect(now.collectionRate).toBeCloseTo(now.collectedSatang / now.billedSatang, 4);
    expect(now.receivedSatang).toBe(
      now.collectedSatang + now.surchargeCollectedSatang + now.penaltyCollectedSatang,
    );
    // The rows add up to the totals, each with its own outstanding.
    const sum = (k: string) => now.rows.reduce((s: number, r: Record<string, number>) => s + r[k], 0);
    for (const k of ['billedSatang', 'collectedSatang', 'receivedSatang', 'outstandingSatang'])
      expect(sum(k)).toBe(now[k]);

    // Governance: tax received / tax billed (late charges never lift it); Economy: all money received.
    expect(await rate.compute(t.db)).toBeCloseTo(now.collectedSatang / now.billedSatang, 6);
    expect(await revenueKpi.compute(t.db)).toBeCloseTo(
      baseRevenue + (firstSatang + owed.totalSatang) / 100,
      2,
    );
    expect(await revenueKpi.compute(t.db)).toBeCloseTo(now.receivedSatang / 100, 2);
  });

  it('gives no KPI for a year without bills', async () => {
    const { t } = tax;
    await t.db.rows(sql`UPDATE tax_bills SET tax_year = 2600 WHERE tax_year = ${year}`);
    try {
      expect(await kpi('tax-collection-rate').compute(t.db)).toBeNull();
      expect(await kpi('tax-revenue-collected').compute(t.db)).toBeNull();
    } finally {
      await t.db.rows(sql`UPDATE tax_bills SET tax_year = ${year} WHERE tax_year = 2600`);
    }
  });
});

describe('a receipt for each instalment paid', () => {
  it('gives the owner and finance staff a Thai receipt naming the instalment n/3, audited for staff', async () => {
    const { t, revenue } = tax;
    const citizen = await t.signIn('citizen');
    const [own] = await t.db.rows<{ id: string }>(
      sql`SELECT id FROM tax_owners WHERE tax_id = '1101700230708'`,
    );
    const bill = await parcelBill(own.id, 5_000);
    const planned = await planInPeriod(bill.id, citizen);
    expect(planned.status).toBe(201);
    const [first, second] = planned.body.instalments;
    const url = (seq: number | string) => `/api/tax/bills/${bill.id}/instalments/${seq}/receipt.pdf`;
    // Not paid yet: no receipt.
    expect((await t.app.inject({ method: 'GET', url: url(1), headers: citizen })).statusCode).toBe(409);

    // Paid within its period: a land and building instalment paid late is not taken alone (the rest
    // falls due at once, late.ts), so the late charges on a receipt are the bill receipt's tests'.
    const day = '2026-04-20';
    const owed = amountDue(
      { ...first, amountSatang: Math.round(Number(first.amountBaht) * 100) },
      day,
      defaultRates().late.landBuilding,
    );
    await pay(first.number, owed.totalSatang, `${day}T03:00:00Z`);
    const mine = await t.app.inject({ method: 'GET', url: url(1), headers: citizen });
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-type']).toBe('application/pdf');
    expect(mine.headers['content-disposition']).toContain(`receipt-${first.number}.pdf`);
    const text = pdfText(mine.rawPayload);
    expect(text).toContain('ใบเสร็จรับเงิน');
    expect(text).toContain(`เลขที่ใบเสร็จ ${first.number}R`);
    expect(text).toContain('งวดที่ 1/3');
    expect(text).toContain('Instalment 1 of 3');
    expect(text).toContain(
      `ค่าภาษี (Tax) ${figure(owed.totalSatang - owed.surchargeSatang - owed.penaltySatang)}`,
    );
    expect(owed.surchargeSatang + owed.penaltySatang).toBe(0);
    expect(text).toContain(`${figure(owed.totalSatang)} บาท (${bahtText(owed.totalSatang)})`);
    expect(text).toContain(`/api/tax/verify/${bill.id}?instalment=1`);
    // The bill is not paid: its own receipt still waits, the second instalment has none.
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/tax/bills/${bill.id}/receipt.pdf`, headers: citizen }))
        .statusCode,
    ).toBe(409);
    expect((await t.app.inject({ method: 'GET', url: url(2), headers: citizen })).statusCode).toBe(409);
    expect(second.status).toBe('open');

    const staff = await t.app.inject({ method: 'GET', url: url(1), headers: revenue });
    expect(staff.statusCode).toBe(200);
    const [read] = await t.db.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM core_audit_log WHERE action = 'tax.bill.read' AND resource_id = ${bill.id}`,
    );
    expect(read.n).toBeGreaterThanOrEqual(1);

    const verified = await t.json({ method: 'GET', url: `/api/tax/verify/${bill.id}?instalment=1` });
    expect(verified.body).toMatchObject({ status: 'open', instalment: { seq: 1, of: 3, status: 'paid' } });
    expect(verified.body.ownerName).toBeUndefined();
    expect((await t.json({ method: 'GET', url: `/api/tax/verify/${bill.id}?instalment=9` })).status).toBe(
      404,
    );
  });

  it('keeps an instalment receipt from other citizens and clerks, and refuses a bad instalment number', async () => {
    const { t, revenue } = tax;
    const bill = await parcelBill(await owner(), 5_000);
    const planned = await planInPeriod(bill.id, revenue);
    const first = planned.body.instalments[0];
    await pay(first.number, Math.round(Number(first.amountBaht) * 100), '2026-04-20T03:00:00Z');
    const url = (seq: string | number, id = bill.id) => `/api/tax/bills/${id}/instalments/${seq}/receipt.pdf`;
    const get = async (u: string, headers: Record<string, string>) =>
      (await t.app.inject({ method: 'GET', url: u, headers })).statusCode;
    expect(await get(url(1), revenue)).toBe(200);
    expect(await get(url(1), await t.signIn('citizen'))).toBe(404);
    expect(await get(url(1), await t.signIn('officer'))).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: url(1) })).statusCode).toBe(401);
    expect(await get(url(4), revenue)).toBe(404);
    expect(await get(url(13), revenue)).toBe(400);
    expect(await get(url("1' OR '1'='1"), revenue)).toBe(400);
    expect(await get(url(1, '00000000-0000-4000-8000-000000000000'), revenue)).toBe(404);
  });
});
